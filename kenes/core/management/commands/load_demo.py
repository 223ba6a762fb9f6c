"""Load the demo: the state bodies of Kazakhstan and the demo users (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kenes.accounts.demo import load_demo_users
from kenes.core import search
from kenes.core.context import acting_as
from kenes.core.demo import load_module_demos
from kenes.directory.services import load_reference_bodies


class Command(BaseCommand):
    help = "Load the demo data (state bodies, demo users, each module's demo records). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even outside demo mode (KENES_DEMO=0)")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEMO and not force:
            raise CommandError("Refusing to load demo users outside demo mode; set KENES_DEMO=1 or pass --force.")
        with acting_as(None):
            regions, bodies = load_reference_bodies()
            users = load_demo_users(settings.KENES_DEMO_PASSWORD)
            modules = load_module_demos(stdout=self.stdout)
        search.rebuild()  # the records of a demo loaded before the search index existed
        self.stdout.write(
            self.style.SUCCESS(
                f"demo loaded: {regions} new regions, {bodies} new state bodies, {users} new users"
                + (f", modules: {', '.join(modules)}" if modules else "")
            )
        )
