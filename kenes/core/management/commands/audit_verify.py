"""Verify the audit chain and name the first broken link (exit status 1 if it is broken)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kenes.core import audit
from kenes.core.models import AuditHead


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit log and check it against the anchors kept outside the database; "
        "exits 1 and names the first broken link if it is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, no_progress: bool = False, **options):
        head = AuditHead.objects.filter(pk=1).first()
        total = head.seq if head else 0
        with tqdm(total=total, unit="event", disable=no_progress, file=self.stderr._out) as bar:
            result = audit.verify(progress=bar.update)
        path = audit.anchor_file()
        for line in result.malformed:
            self.stderr.write(self.style.WARNING(f"{path}, line {line}: not an anchor, skipped"))
        if result.bad_anchor is not None:
            anchor = result.bad_anchor
            raise CommandError(
                f"audit chain does not match the anchor of event #{anchor.seq} written at {anchor.at} "
                f"({path}, line {anchor.line}): broken at event #{result.first_bad_seq}"
            )
        if not result.ok:
            raise CommandError(f"audit chain broken at event #{result.first_bad_seq} ({result.events} events intact)")
        self.stdout.write(
            self.style.SUCCESS(f"audit chain intact: {result.events} events, {result.anchors} anchors checked ({path})")
        )
