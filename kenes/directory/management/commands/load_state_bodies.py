"""Load or refresh the reference list of Kazakhstan's state bodies and regions (safe to run again)."""

from django.core.management.base import BaseCommand

from kenes.directory.services import load_reference_bodies


class Command(BaseCommand):
    help = "Create or update the regions and state bodies of Kazakhstan by their codes."

    def handle(self, *args, **options):
        regions, bodies = load_reference_bodies()
        self.stdout.write(self.style.SUCCESS(f"{regions} regions and {bodies} state bodies created; the rest updated"))
