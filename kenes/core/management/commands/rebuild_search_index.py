"""Write the search index of every searchable record anew (after upgrading to the index, or after a
change of the word-form rules); the records themselves are not touched, so nothing is audited."""

from django.core.management.base import BaseCommand
from django.db import transaction

from kenes.core import search


class Command(BaseCommand):
    help = "Rebuild the search index (the word forms of every searchable record) in one transaction."

    def handle(self, *args, **options):
        with transaction.atomic():
            indexed = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"search index: {indexed} records"))
