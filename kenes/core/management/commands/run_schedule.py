"""Enqueue the daily background jobs (overdue marking, reminders) once a day, Asia/Almaty time."""

import time

from django.core.management.base import BaseCommand

from kenes.core import schedule


class Command(BaseCommand):
    help = "Run the scheduler: enqueue each registered daily job once a day (use --once to check just now)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between checks")

    def handle(self, *args, once: bool = False, interval: int = 60, **options):
        while True:
            for name in schedule.tick():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(max(interval, 1))
