"""What a record is about: the links of the traceability chain between modules.

An agenda item is about an evaluation report or a threat, an instruction is aimed at an indicator or a
countermeasure. Those records carry a generic subject (``subject_type``, ``subject_id``); the modules
that own subject models register them here under a short slug, so the API can name a subject as
``{"type": "indicator", "id": 7}``, and a page can show the link without knowing the other module.
A subject is shown, or accepted as input, only if the user may read it: otherwise it does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kenes.core import policy, references

if TYPE_CHECKING:
    from kenes.accounts.models import User


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    url: Callable[[Any], str]
    title: Callable[[Any], str]


@dataclass(frozen=True)
class Link:
    """A subject as a page shows it."""

    slug: str
    id: int
    title: str
    url: str
    kind: str


_by_slug: dict[str, Kind] = {}


def register(slug: str, model: type[models.Model], *, url: Callable[[Any], str], title: Callable[[Any], str]) -> None:
    """Let records of other modules name ``model`` records as their subject, as ``slug``."""
    _by_slug[slug] = Kind(slug, model, url, title)


def slugs() -> list[str]:
    return sorted(_by_slug)


def is_subject(record: models.Model) -> bool:
    """Whether records of other modules may name ``record`` as their subject."""
    return _kind_of_model(type(record)) is not None


def _kind_of_model(model: type[models.Model]) -> Kind | None:
    return next((kind for kind in _by_slug.values() if kind.model is model), None)


def resolve(user: User, slug: str, pk: int, *, field: str = "subject") -> models.Model:
    """The subject named by ``slug`` and ``pk`` if the user may read it: an unknown kind is invalid
    input naming ``field``; an invisible record answers 404 exactly like a missing one."""
    kind = _by_slug.get(slug)
    if kind is None:
        raise ValidationError({field: [_("Unknown kind of subject: “%(slug)s”.") % {"slug": slug[:40]}]})
    return policy.get_visible_or_404(kind.model._default_manager, user, pk=pk)


def parse(value: str, *, field: str = "subject") -> tuple[str, int]:
    """``indicator:7`` as ("indicator", 7); anything else is invalid input naming ``field``."""
    slug, _sep, raw_id = (value or "").partition(":")
    if not raw_id.isdigit() or int(raw_id) < 1:
        raise ValidationError({field: [_("Name the subject as kind:id, e.g. indicator:7.")]})
    return slug, int(raw_id)


def link_of(user: User, subject_type_id: int | None, subject_id: int | None) -> Link | None:
    """The link to a record's subject, if there is one and the user may read it."""
    if not subject_type_id or not subject_id:
        return None
    model = ContentType.objects.get_for_id(subject_type_id).model_class()
    kind = _kind_of_model(model) if model is not None else None
    if kind is None:
        return None
    record = kind.model._default_manager.filter(policy.visibility_q(kind.model, user), pk=subject_id).first()
    if record is None:
        return None
    return _link(kind, record)


def link_to(record: models.Model) -> Link | None:
    """The link to a record the caller already fetched through the policy."""
    kind = _kind_of_model(type(record))
    return _link(kind, record) if kind else None


def _link(kind: Kind, record: Any) -> Link:
    return Link(kind.slug, record.pk, kind.title(record), kind.url(record), str(kind.model._meta.verbose_name))


def filter_q(subject: models.Model) -> models.Q:
    """The filter of records whose generic subject is ``subject``."""
    return models.Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


def links_for(user: User, records: list[Any]) -> dict[int, Link]:
    """The visible subject links of many records at once (one query per kind of subject), by record id."""
    wanted: dict[int, dict[int, list[int]]] = {}
    for record in records:
        if record.subject_type_id and record.subject_id:
            wanted.setdefault(record.subject_type_id, {}).setdefault(record.subject_id, []).append(record.pk)
    links: dict[int, Link] = {}
    for type_id, by_subject in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        kind = _kind_of_model(model) if model is not None else None
        if kind is None:
            continue
        visible = kind.model._default_manager.filter(policy.visibility_q(kind.model, user), pk__in=list(by_subject))
        for subject in visible:
            link = _link(kind, subject)
            for record_id in by_subject[subject.pk]:
                links[record_id] = link
    return links


def visible_ref(request: Any, record: Any) -> dict[str, Any] | None:
    """A record's subject as the API names it, ``{"type": slug, "id": n}``, only if the requesting user
    may read it (else None, as if there were none): the rule of every reference
    (:func:`kenes.core.references.may_read`), memoised for the request's user, so a list answers with
    one query per distinct subject, not one per row."""
    if not record.subject_type_id or not record.subject_id:
        return None
    model = ContentType.objects.get_for_id(record.subject_type_id).model_class()
    kind = _kind_of_model(model) if model is not None else None
    if kind is None or not references.may_read(request.user, kind.model, record.subject_id):
        return None
    return {"type": kind.slug, "id": record.subject_id}


def url_maker(model: type[models.Model]) -> Callable[[Any], str] | None:
    """How the page of a ``model`` record is addressed, if ``model`` is a registered subject (the caller
    shows the link only to whoever may read the record)."""
    kind = _kind_of_model(model)
    return kind.url if kind is not None else None
