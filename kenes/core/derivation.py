"""Derived records and raising a classification: the high-water mark kept when a source rises.

A record derived from another carries at least its source's level (:func:`kenes.core.policy.ensure_high_water`):
an agenda item its session's, a decision its item's, an instruction its decision's, a signal its
threat's, an indicator its goal's. When a source is raised, what was derived from it must rise with
it, or the derived record (and the source's title that it shows) would stay readable below the new
level. Each app declares here, once, which rows derive from which model (:func:`derives`), or from any
record (:func:`derives_from_any`, for generic links such as subjects and attachments), without the
source's app knowing the child's models: council does not import control, yet raising an agenda item
raises the instructions given by its decisions.

:func:`raise_classification` is the one way a classification goes up (a service that changes more of
the record than its level goes through :func:`change_level`, which checks the change, raises the
derived tree the same way, or writes the declassification event): it raises the record and its
whole derived tree in one transaction, each raised row written to the audit log (the audit signal
handlers record the change of level), and stops with a 409 if a guard (:func:`guard`) refuses a row,
leaving nothing changed. Lowering a record (a declassification, checked by
:func:`kenes.core.policy.ensure_may_change_level`) leaves its derived records where they are: they
may be above their source, never below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kenes.core import policy
from kenes.core.classification import Classification

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from kenes.accounts.models import User

Children = Callable[[Any], "QuerySet[Any] | None"]
Guard = Callable[[Any, int], None]

_children: dict[type[models.Model], list[Children]] = {}
_any_children: list[Children] = []
_guards: dict[type[models.Model], list[Guard]] = {}


def derives(parent: type[models.Model], children: Children) -> None:
    """Declare that ``children(record)`` (a queryset of classified rows) derive from a ``parent`` record."""
    registered = _children.setdefault(parent, [])
    if children not in registered:
        registered.append(children)


@dataclass(frozen=True)
class _Through:
    """The rows of ``child`` whose foreign key ``field`` names the record (equal when declared twice)."""

    child: type[models.Model]
    field: str

    def __call__(self, record: models.Model) -> QuerySet[Any]:
        return self.child._default_manager.filter(**{f"{self.field}_id": record.pk})


def derives_through(parent: type[models.Model], child: type[models.Model], field: str) -> None:
    """Declare that the rows of ``child`` whose foreign key ``field`` names a ``parent`` record derive from it."""
    derives(parent, _Through(child, field))


def derives_from_any(children: Children) -> None:
    """Declare rows that may derive from a record of any model (``children`` answers None for the others)."""
    if children not in _any_children:
        _any_children.append(children)


def guard(model: type[models.Model], check: Guard) -> None:
    """``check(record, level)`` raises (a Conflict or a ValidationError) when ``record`` may not rise to ``level``."""
    registered = _guards.setdefault(model, [])
    if check not in registered:
        registered.append(check)


def guards_of(record: models.Model) -> list[Guard]:
    """The guards of ``record``'s model, for a service that raises the record itself."""
    return list(_guards.get(type(record), []))


def derived_from(record: models.Model) -> list[QuerySet[Any]]:
    """The querysets of the rows derived directly from ``record``."""
    found = [children(record) for children in _children.get(type(record), [])]
    found += [children(record) for children in _any_children]
    return [queryset for queryset in found if queryset is not None]


def raise_classification(record: models.Model, level: int, *, actor: User) -> list[models.Model]:
    """Raise ``record`` to ``level`` and everything derived from it (recursively) that is below it.

    One transaction: every raised row is saved (and so audited) or none is. The actor may not
    classify above his own clearance (403); a guard that refuses any row of the tree stops it all.
    Returns the raised rows, ``record`` first if it was raised."""
    with transaction.atomic():
        raised: list[models.Model] = []
        _lock(record)
        if int(record.classification) < int(level):  # type: ignore[attr-defined]
            _raise_row(record, int(level), actor)
            raised.append(record)
        return raised + raise_derived(record, level, actor=actor)


def change_level(record: models.Model, level: int, *, actor: User, sources: Any = ()) -> None:
    """Move ``record`` to ``level``, leaving the save to the calling service (which changes more of it).

    The level must be known (422 naming ``classification``), within the actor's clearance, not below
    ``sources`` (the high-water mark), and lowering it is a declassification (the chairman or the
    secretary only), written to the audit log as such. Raising it runs ``record``'s guards and raises
    everything derived from it (:func:`raise_derived`). The caller holds ``record`` locked
    (``select_for_update``), so no child can be created from its old level meanwhile."""
    from kenes.core import audit
    from kenes.core.models import AuditEvent

    level = int(level)
    if level not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    old = record.classification if record.pk else None  # type: ignore[attr-defined]
    policy.ensure_may_change_level(actor, old, level)
    policy.ensure_high_water(level, sources)
    if old is not None and level > int(old):
        for check in guards_of(record):
            check(record, level)
        raise_derived(record, level, actor=actor)
    elif old is not None and level < int(old):
        audit.record(AuditEvent.Action.DECLASSIFY, record, changes={"classification": [int(old), level]})
    record.classification = level  # type: ignore[attr-defined]


def _lock(record: models.Model) -> None:
    """Lock ``record``'s row and read its current level (a concurrent raise may have moved it)."""
    if record.pk is not None:
        current = (
            type(record)
            ._default_manager.select_for_update()
            .filter(pk=record.pk)
            .values_list("classification", flat=True)
        )
        for level in current:
            record.classification = level  # type: ignore[attr-defined]


def raise_derived(record: models.Model, level: int, *, actor: User) -> list[models.Model]:
    """Raise to ``level`` every row derived (recursively) from ``record`` that is below it, leaving
    ``record`` itself to its caller (a service that is changing more of it and saves it itself).

    Rows at or above ``level`` are left as they are, and so is what derives from them (it is at least
    as high). Guards run row by row as the tree is walked, all inside one transaction: any refusal rolls
    the whole tree back, so nothing is raised."""
    level = int(level)
    policy.ensure_may_classify(actor, level)
    raised: list[models.Model] = []
    seen = {(type(record), record.pk)}
    with transaction.atomic():
        pending = _below(record, level)
        while pending:
            row = pending.pop(0)
            key = (type(row), row.pk)
            if key in seen:
                continue
            seen.add(key)
            _raise_row(row, level, actor)
            raised.append(row)
            pending.extend(_below(row, level))
    return raised


def _below(record: models.Model, level: int) -> list[models.Model]:
    rows: list[models.Model] = []
    for queryset in derived_from(record):
        rows.extend(queryset.filter(classification__lt=level).select_for_update().order_by("pk"))
    return rows


def _raise_row(row: models.Model, level: int, actor: User) -> None:
    policy.ensure_may_classify(actor, level)
    for check in guards_of(row):
        check(row, level)
    row.classification = level  # type: ignore[attr-defined]
    row.save(update_fields=_level_fields(row))


def _level_fields(row: models.Model) -> list[str]:
    names = {field.name for field in row._meta.concrete_fields}
    return ["classification", "updated_at"] if "updated_at" in names else ["classification"]
