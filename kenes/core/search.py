"""Search across every module, through the visibility policy.

Each app registers what it makes searchable; a search asks each registered model for the rows the
user may see (``visible_to``) that match, so a result, and the count, never includes what the user may
not read."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Q

from kenes.core import policy
from kenes.core.classification import Classification

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Searchable:
    type: str
    model: builtins.type[models.Model]
    fields: tuple[str, ...]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    order_by: tuple[str, ...] = ("-pk",)


@dataclass(frozen=True)
class Hit:
    type: str
    id: int
    title: str
    classification: str
    url: str


_registry: list[Searchable] = []


def register(searchable: Searchable) -> None:
    if all(s.type != searchable.type for s in _registry):
        _registry.append(searchable)


def registered() -> list[Searchable]:
    return list(_registry)


def terms_of(query: str | None) -> list[str]:
    """The words of a query (at most ten, of a query at most ``MAX_QUERY_LENGTH`` long)."""
    return [t for t in (query or "").strip()[:MAX_QUERY_LENGTH].split() if t][:10]


def matching(queryset: models.QuerySet, query: str | None, fields: tuple[str, ...]) -> models.QuerySet:
    """Rows in which every word of ``query`` occurs in one of ``fields`` (case-insensitive). Every list
    filter and the search of all modules use this one rule."""
    for term in terms_of(query):
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)))
    return queryset


def _matching(searchable: Searchable, user: Any, query: str) -> models.QuerySet:
    queryset = searchable.model._default_manager.filter(policy.visibility_q(searchable.model, user))
    return matching(queryset, query, searchable.fields).order_by(*searchable.order_by)


def search(user: Any, query: str, *, limit: int = 50, offset: int = 0) -> tuple[int, list[Hit]]:
    """Count and fetch the page ``[offset, offset+limit)`` of what matches every word of ``query``."""
    if not terms_of(query) or not policy.is_reader(user):
        return 0, []
    total, hits = 0, list[Hit]()
    for searchable in _registry:
        queryset = _matching(searchable, user, query)
        count = queryset.count()
        start = max(0, offset - total)
        wanted = max(0, limit - len(hits))
        if wanted and start < count:
            for obj in queryset[start : start + wanted]:
                level = getattr(obj, "classification", Classification.PUBLIC)
                hits.append(
                    Hit(searchable.type, obj.pk, searchable.title(obj), Classification(level).slug, searchable.url(obj))
                )
        total += count
    return total, hits
