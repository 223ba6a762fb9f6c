"""Import a file of measurements from the command line, with a progress bar: the same service and
rules as the page and the API, without their limit on the number of rows."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kenes.accounts.models import User
from kenes.core.tabular import ImportRejected
from kenes.strategy import importing


class Command(BaseCommand):
    help = "Import measurements of indicators from an XLSX or CSV file (indicator, period, value), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="the username the values are entered as")
        parser.add_argument("--max-rows", type=int, default=5_000_000, help="refuse larger files (default 5,000,000)")

    def handle(self, *args, file: Path, user: str, max_rows: int, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        with tqdm(total=0, unit="rows", file=self.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                result = importing.import_file(
                    data, actor=actor, filename=file.name, max_rows=max_rows, progress=progress
                )
            except ImportRejected as rejected:
                lines = [f"row {e.row}, {e.column or '-'}: {e.message}" for e in rejected.errors[:50]]
                raise CommandError(f"Nothing was imported ({rejected.total} errors):\n" + "\n".join(lines)) from None
        self.stdout.write(
            f"{result['rows']} rows: {result['created']} new, {result['updated']} corrected, "
            f"{result['unchanged']} unchanged, {result['indicators']} indicators"
        )
