"""Run every app's benchmarks (``kenes/<app>/bench.py``) and print ``bench: NAME VALUE UNIT`` lines:
each page's p95 beside its floor's (the raw SQL computing the same figures) and their ratio.

It builds its data in the database it is given, so it refuses to run unless ``KENES_BENCH=1`` says
that database is a scratch one (``make bench`` makes a throwaway PostgreSQL cluster)."""

import importlib
import os

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the benchmarks on a scratch database (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("only", nargs="*", help="apps to benchmark (default: all)")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="data sizes as a fraction of those the issues name (default 1; e.g. 0.05 while developing)",
        )

    def handle(self, *args, only=(), scale=1.0, **options):
        if os.environ.get("KENES_BENCH") != "1":
            raise CommandError("bench writes a lot of data: run it through `make bench`, on a scratch database.")
        call_command("load_demo", force=True, verbosity=0)
        for config in apps.get_app_configs():
            if not config.name.startswith("kenes.") or (only and config.label not in only):
                continue
            try:
                module = importlib.import_module(f"{config.name}.bench")
            except ModuleNotFoundError:
                continue
            module.run(self._report, scale=scale)

    def _report(self, name: str, value: float, unit: str) -> None:
        self.stdout.write(f"bench: {name} {value} {unit}")
        self.stdout.flush()
