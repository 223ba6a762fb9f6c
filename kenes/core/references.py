"""References to other classified records: shown only to a reader who may read the record referred to.

A record carries references to others: a decision the decision it amends, an instruction the decision
that gave it, an evaluation report its agenda item, a work plan question its planned session. Being
allowed to read the record does not mean being allowed to read what it refers to (a co-executor reads
an instruction given by a decision he may not read; the administrator reads the work plan, not the
secret sessions it plans). So a reference — its title, its id, its link — is shown on a page, in an
API answer or in an export only if the reader may read the record referred to, by the one visibility
policy; otherwise it is absent (``null`` in the API), as if there were none. This module decides it,
for templates (the ``{% reference %}`` tag of ``kenes``), schemas (:func:`readable_id` in a resolver) and
exports (:func:`readable`) alike. Generic subjects (:mod:`kenes.core.subjects`) follow the same rule.

The answer is memoised on the user object, which lives as long as one request, so a page or an answer
asks the database once per record referred to; a list asks nothing more when its queryset was
prepared with :func:`annotate` (one ``EXISTS`` per reference field in the list's own query).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, Model, OuterRef, QuerySet

from kenes.core import policy

if TYPE_CHECKING:
    from kenes.accounts.models import User

_MEMO = "_kenes_readable_refs"


def _flag(field: str) -> str:
    return f"_readable_{field}"


def _related_model(model: type[Model], field: str) -> type[Model]:
    related = model._meta.get_field(field).related_model
    if related is None or isinstance(related, str):
        raise TypeError(f"{model.__name__}.{field} is not a reference to another record")
    return related


def may_read(user: User | Any, model: type[Model], pk: Any) -> bool:
    """Whether ``user`` may read the ``model`` record ``pk`` (memoised for the user object)."""
    if pk is None or not policy.is_reader(user):
        return False
    memo = user.__dict__.setdefault(_MEMO, {})
    key = (model._meta.label, pk)
    if key not in memo:
        memo[key] = model._default_manager.filter(policy.visibility_q(model, user), pk=pk).exists()
    return memo[key]


def annotate(queryset: QuerySet[Any], user: User | Any, *fields: str) -> QuerySet[Any]:
    """The queryset with, for each reference ``field``, whether ``user`` may read the record it refers
    to, computed in the same query (so a list costs no query per row)."""
    annotations = {}
    for field in fields:
        related = _related_model(queryset.model, field)
        visible = related._default_manager.filter(policy.visibility_q(related, user), pk=OuterRef(f"{field}_id"))
        annotations[_flag(field)] = Exists(visible)
    return queryset.annotate(**annotations)


def filter_by(queryset: QuerySet[Any], user: User | Any, field: str, pk: Any) -> QuerySet[Any]:
    """The rows of ``queryset`` whose reference ``field`` is ``pk``, among the records ``user`` may read.

    A list filtered by a reference (``?decision=N``) must not answer what the nulled reference hides:
    filtered by a record the reader may not read, it is empty, the same as for a record that does not
    exist. Every ``*_for`` filter on a reference field goes through here."""
    if _flag(field) not in queryset.query.annotations:
        queryset = annotate(queryset, user, field)
    return queryset.filter(**{f"{field}_id": pk, _flag(field): True})


def _may_follow(user: User | Any, record: Model, field: str) -> bool:
    pk = getattr(record, f"{field}_id")
    if pk is None:
        return False
    flag = record.__dict__.get(_flag(field))
    if flag is not None:
        return bool(flag) and policy.is_reader(user)
    return may_read(user, _related_model(type(record), field), pk)


def readable_id(user: User | Any, record: Model, field: str) -> Any:
    """The id that ``record.<field>`` refers to if ``user`` may read that record, else None."""
    return getattr(record, f"{field}_id") if _may_follow(user, record, field) else None


def readable(user: User | Any, record: Model, field: str) -> Any:
    """The record that ``record.<field>`` refers to if ``user`` may read it, else None."""
    return getattr(record, field) if _may_follow(user, record, field) else None


def request_user(context: Any) -> Any:
    """The user of a ninja resolver's ``context`` (None outside a request: nothing is readable)."""
    request = (context or {}).get("request")
    return getattr(request, "user", None)


def id_field(what: str) -> Any:
    """An API answer's field naming another record by id, documented as absent when unreadable; its
    schema resolves it with :func:`readable_id`."""
    from pydantic import Field

    return Field(None, description=f"the id of {what}; null when there is none or the caller may not read it")
