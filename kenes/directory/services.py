"""Rules of the directory: finding organizations and loading the reference data of state bodies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kenes.core import search
from kenes.directory import bodies
from kenes.directory.models import Organization, Region

SORTS = {"name": None, "kind": "kind", "code": "code"}


def name_field() -> str:
    """The name column of the active language, for sorting."""
    language = (get_language() or "kk")[:2]
    return f"name_{language}" if language in ("kk", "ru", "en") else "name_kk"


def body_choices(user: Any) -> QuerySet[Organization]:
    """The state bodies a form offers to pick from: the active ones, by their name in the reader's
    language (every pick list of bodies is built here)."""
    return Organization.objects.visible_to(user).filter(is_active=True).order_by(name_field(), "pk")


def active_bodies(user: Any, ids: list[int], *, field: str) -> list[Organization]:
    """The active organizations named by ``ids`` in a request; any unknown or inactive one is invalid
    input naming ``field`` (the directory is reference data every user reads)."""
    found = list(Organization.objects.visible_to(user).filter(pk__in=ids, is_active=True))
    if len(found) != len(set(ids)):
        raise ValidationError({field: _("Unknown or inactive organization.")})
    by_id = {body.pk: body for body in found}
    return [by_id[pk] for pk in dict.fromkeys(ids)]


def active_body(user: Any, pk: int, *, field: str) -> Organization:
    """One active organization named in a request (see ``active_bodies``)."""
    return active_bodies(user, [pk], field=field)[0]


def organizations_for(
    user: Any,
    *,
    kind: str | None = None,
    parent: int | None = None,
    region: int | None = None,
    q: str | None = None,
    sort: str | None = None,
) -> QuerySet[Organization]:
    """The organizations the user may see, filtered and sorted as the list page and the API ask."""
    queryset = Organization.objects.visible_to(user).select_related("parent", "region")
    if kind:
        queryset = queryset.filter(kind=kind)
    if parent:
        queryset = queryset.filter(parent_id=parent)
    if region:
        queryset = queryset.filter(region_id=region)
    queryset = search.matching(queryset, q, ("name_kk", "name_ru", "name_en", "code"))
    descending = bool(sort and sort.startswith("-"))
    key = (sort or "name").lstrip("-")
    column = SORTS.get(key) or name_field()
    return queryset.order_by(f"-{column}" if descending else column, "pk")


@transaction.atomic
def load_reference_bodies() -> tuple[int, int]:
    """Create or update the regions and state bodies of Kazakhstan by their codes; safe to run again.

    Returns how many regions and organizations were created (the rest were brought up to date)."""
    created_regions = created_bodies = 0
    regions: dict[str, Region] = {}
    for code, kind, name_kk, name_ru, name_en in bodies.REGIONS:
        region, created = Region.objects.update_or_create(
            code=code, defaults={"kind": kind, "name_kk": name_kk, "name_ru": name_ru, "name_en": name_en}
        )
        regions[code] = region
        created_regions += created
    organizations: dict[str, Organization] = {}
    for code, kind, parent_code, region_code, name_kk, name_ru, name_en in bodies.BODIES:
        organization, created = Organization.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "parent": organizations.get(parent_code) if parent_code else None,
                "region": regions.get(region_code) if region_code else None,
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
            },
        )
        organizations[code] = organization
        created_bodies += created
    return created_regions, created_bodies
