"""Verify the audit chain and name the first broken link (exit status 1 if it is broken)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kenes.core import audit
from kenes.core.models import AuditHead


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exits 1 and names the first broken link if it is broken."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, no_progress: bool = False, **options):
        head = AuditHead.objects.filter(pk=1).first()
        total = head.seq if head else 0
        with tqdm(total=total, unit="event", disable=no_progress, file=self.stderr._out) as bar:
            result = audit.verify(progress=bar.update)
        if not result.ok:
            raise CommandError(f"audit chain broken at event #{result.first_bad_seq} ({result.events} events intact)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {result.events} events"))
