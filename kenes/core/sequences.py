"""Yearly number sequences (``12/2026``): locked, gap-free under concurrency, never reused."""

from django.db import transaction

from kenes.core.models import Sequence


@transaction.atomic
def take(name: str, year: int) -> int:
    """The next number of sequence ``name`` in ``year``; the row stays locked until the caller commits."""
    counter = Sequence.objects.select_for_update().filter(name=name, year=year).first()
    if counter is None:
        Sequence.objects.bulk_create([Sequence(name=name, year=year, last=0)], ignore_conflicts=True)
        counter = Sequence.objects.select_for_update().get(name=name, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
