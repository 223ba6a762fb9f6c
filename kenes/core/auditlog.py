"""The audit log as its readers see it: labels instead of codes, changes as a before → after table,
links to the records the reader may open, the object types to filter by, and its exports.

Which events a reader sees is decided by :func:`kenes.core.audit.events_visible_to` alone; this module
only presents them. A record an event is about is linked only if the reader may read it (the visibility
policy, one query per kind of record on a page); otherwise the event shows what it always showed (its
type, id and the name it was written with), never a link."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kenes.core import audit, policy, search, subjects
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent

#: Values longer than this are cut in the list (the event's own page shows them whole).
SHORT = 120
#: The most events one export holds.
EXPORT_LIMIT = 20_000


@dataclass(frozen=True)
class Change:
    """One changed field of an event: its label and its values before and after, formatted."""

    field: str
    before: str
    after: str

    @property
    def before_short(self) -> str:
        return _short(self.before)

    @property
    def after_short(self) -> str:
        return _short(self.after)

    @property
    def cut(self) -> bool:
        return len(self.before) > SHORT or len(self.after) > SHORT


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def model_of(object_type: str) -> type[models.Model] | None:
    """The model an event's ``object_type`` (``app_label.model_name``) names, if it still exists."""
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """An object type by its model's name in the reader's language (unknown ones as they are written)."""
    model = model_of(object_type)
    return str(capfirst(model._meta.verbose_name)) if model is not None else object_type


def object_types(user: Any) -> list[tuple[str, str]]:
    """The object types that occur in the events ``user`` may read, labelled and sorted by label."""
    found = (
        audit.events_visible_to(user).exclude(object_type="").order_by().values_list("object_type", flat=True)
    ).distinct()
    return sorted(((code, type_label(code)) for code in found), key=lambda pair: pair[1].lower())


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return field if isinstance(field, models.Field) else None
    return None


#: The names of reference data (state bodies) that changes refer to, by (model, id): public by nature,
#: so shown by name rather than by id (see :func:`names_of`).
Names = dict[tuple[type[models.Model], int], str]


def _value(field: models.Field | None, value: Any, names: Names | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is not None and field.choices and not isinstance(value, list | dict):
        labels = {str(code): label for code, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if field is not None and field.is_relation and isinstance(value, int):
        related = field.related_model
        return (names or {}).get((related, value), f"#{value}") if isinstance(related, type) else f"#{value}"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


#: Fields a created or deleted record's event holds that the page does not repeat (its id is in the
#: object's column, its times in the event's).
_NOT_REPEATED = {"id", "created_at", "updated_at"}


def shows(event: AuditEvent) -> str:
    """Which values the event's changes hold: ``after`` (a record created), ``before`` (deleted), or
    ``both`` (before → after)."""
    shown = {str(AuditEvent.Action.CREATE): "after", str(AuditEvent.Action.DELETE): "before"}
    return shown.get(event.action, "both")


def _pairs(event: AuditEvent) -> Iterable[tuple[models.Field | None, str, Any, Any]]:
    """Each changed field of the event with its label and its raw values before and after."""
    model = model_of(event.object_type)
    for key, value in (event.changes or {}).items() if isinstance(event.changes, dict) else ():
        if model is not None and shows(event) != "both" and key in _NOT_REPEATED:
            continue
        field = _field(model, key)
        label = str(capfirst(field.verbose_name)) if field is not None else key
        if event.action == AuditEvent.Action.CREATE:
            yield field, label, None, value
        elif event.action == AuditEvent.Action.DELETE:
            yield field, label, value, None
        elif isinstance(value, list) and len(value) == 2:
            yield field, label, value[0], value[1]
        else:
            yield field, label, None, value


def changes_of(event: AuditEvent, names: Names | None = None) -> list[Change]:
    """The event's changes as rows of before → after, each field by its label in the reader's language
    where the model is known; a created record has only an after, a deleted one only a before. A
    reference to reference data is shown by the name in ``names`` (:func:`names_of`), any other by id."""
    return [
        Change(label, _value(field, before, names), _value(field, after, names))
        for field, label, before, after in _pairs(event)
    ]


def names_of(user: Any, events: Iterable[AuditEvent]) -> Names:
    """The names of the reference data (``is_public_reference``: the state bodies) the events' changes
    refer to, one query per kind: anything else stays an id, its name being no audit reader's to see."""
    wanted: dict[type[models.Model], set[int]] = {}
    for event in events:
        for field, _label, before, after in _pairs(event):
            related = field.related_model if field is not None and field.is_relation else None
            if isinstance(related, type) and getattr(related, "is_public_reference", False):
                wanted.setdefault(related, set()).update(v for v in (before, after) if isinstance(v, int))
    names: Names = {}
    for model, ids in wanted.items():
        for record in model._default_manager.filter(policy.visibility_q(model, user), pk__in=ids):
            names[(model, record.pk)] = str(getattr(record, "name", None) or record)
    return names


def _url_maker(model: type[models.Model]) -> Callable[[Any], str] | None:
    """The registered address of a ``model`` record's page (the search's and the subjects' registries)."""
    for searchable in search.registered():
        if searchable.model is model:
            return searchable.url
    return subjects.url_maker(model)


def links(user: Any, events: Iterable[AuditEvent]) -> dict[int, str]:
    """The page of the record each event is about (or of the record it belongs to, for a row without a
    page of its own), by event number, for the records ``user`` may read: one query per kind of record."""
    wanted: dict[type[models.Model], dict[int, list[int]]] = {}
    for event in events:
        for type_, id_ in ((event.object_type, event.object_id), (event.root_type, event.root_id)):
            model = model_of(type_)
            if model is not None and id_.isdigit() and _url_maker(model) is not None:
                wanted.setdefault(model, {}).setdefault(int(id_), []).append(event.seq)
                break
    found: dict[int, str] = {}
    for model, by_pk in wanted.items():
        try:
            visible = policy.visibility_q(model, user)
        except TypeError:  # not a classified model: nothing to link
            continue
        make = _url_maker(model)
        for record in model._default_manager.filter(visible, pk__in=list(by_pk)):
            for seq in by_pk[record.pk]:
                found[seq] = make(record)  # type: ignore[misc]
    return found


@dataclass
class Row:
    event: AuditEvent
    type_label: str
    changes: list[Change]
    link: str | None

    @property
    def shows(self) -> str:
        return shows(self.event)


def rows(user: Any, events: list[AuditEvent]) -> list[Row]:
    """The events of a page as the page shows them."""
    linked, names = links(user, events), names_of(user, events)
    return [Row(e, type_label(e.object_type), changes_of(e, names), linked.get(e.seq)) for e in events]


def export_table(user: Any, events: list[AuditEvent]) -> tuple[list[str], list[list[object]]]:
    """The events as a table: a header and one row each, every value in the reader's language."""
    names = names_of(user, events)
    header = [
        "#",
        _("Time"),
        _("User"),
        _("Action"),
        _("Business action"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Classification"),
        _("Address"),
        _("Changes"),
    ]
    table = [
        [
            e.seq,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            str(e.get_action_display()),
            e.operation_label,
            type_label(e.object_type),
            e.object_id,
            e.object_repr,
            str(Classification(e.classification).label),
            e.ip or "",
            "; ".join(f"{c.field}: {c.before} → {c.after}" for c in changes_of(e, names)),
        ]
        for e in events
    ]
    return [str(h) for h in header], table


def to_csv(header: list[str], table: list[list[object]], *, marking: str, safe: Callable[[object], object]) -> bytes:
    """The table as CSV (UTF-8 with a byte order mark, for spreadsheets), the marking on its first line
    and every cell passed through ``safe`` (no cell is ever read as a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([marking])
    writer.writerow(header)
    for row in table:
        writer.writerow(["" if value is None else safe(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode()
