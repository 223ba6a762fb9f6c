"""Anchor the audit chain's head outside the database now (the daily job does it every day)."""

from django.core.management.base import BaseCommand

from kenes.core import audit


class Command(BaseCommand):
    help = "Append the audit chain's head (sequence number and hash) to the anchor file, and to the log."

    def handle(self, *args, **options):
        anchor = audit.anchor_head()
        self.stdout.write(self.style.SUCCESS(f"anchored event #{anchor.seq} ({anchor.hash}) in {audit.anchor_file()}"))
