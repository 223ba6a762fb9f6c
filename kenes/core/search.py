"""Search across every module, through the visibility policy.

Each app registers what it makes searchable; a search asks each registered model for the rows the
user may see (``visible_to``) that match, so a result, and the count, never includes what the user may
not read.

A record matches when every word of the query is found in it, in any of the three languages and any
word form: each registered record keeps the keys of its words (:mod:`kenes.core.wordforms`: Russian
lemmas, English stems, Kazakh stems) in the search index (:class:`~kenes.core.models.SearchEntry`),
written on every save of the record, from its registered fields and its translations
(:mod:`kenes.core.translated`). One index table for every app (rather than a column per model) keeps
the audit log of the records free of derived text, lets ``rebuild`` refill it without touching (and
auditing) a record, and gives PostgreSQL one GIN index to answer the full-text query. On SQLite the
same keys are matched by containment. A record also matches, as before, when every word occurs as
written in one of its registered fields (part of a number, of a code)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, models
from django.db.models import F, Func, Q
from django.db.models.signals import post_delete, post_save, pre_save

from kenes.core import policy, wordforms
from kenes.core.classification import Classification
from kenes.core.models import SearchEntry

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Searchable:
    type: str
    model: builtins.type[models.Model]
    fields: tuple[str, ...]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    order_by: tuple[str, ...] = ("-pk",)
    #: The title in the reader's language (a translated record's); ``title`` (as entered) by default.
    shown: Callable[[Any], str] | None = None

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


@dataclass(frozen=True)
class Hit:
    type: str
    id: int
    title: str
    classification: str
    url: str
    #: The title in the reader's language (the API gives ``title``, as entered).
    shown: str = ""
    #: The classification as a number (for its marking in the reader's language).
    level: int = Classification.PUBLIC


@dataclass(frozen=True)
class Group:
    """The results of one type: its label, its count (of every page), its hits on this page."""

    type: str
    label: str
    count: int
    hits: list[Hit]


_registry: list[Searchable] = []


def register(searchable: Searchable) -> None:
    if all(s.type != searchable.type for s in _registry):
        _registry.append(searchable)
        uid = f"kenes.search.{searchable.type}"
        pre_save.connect(_note_unchanged, sender=searchable.model, weak=False, dispatch_uid=uid)
        post_save.connect(_index_saved, sender=searchable.model, weak=False, dispatch_uid=uid)
        post_delete.connect(_unindex_deleted, sender=searchable.model, weak=False, dispatch_uid=uid)


def _searchable_of(model: builtins.type[models.Model]) -> Searchable | None:
    return next((s for s in _registry if s.model is model), None)


def keys_of_record(searchable: Searchable, obj: models.Model) -> str:
    """The search keys of ``obj``: of its registered fields as entered and of its translations."""
    texts = [str(getattr(obj, field) or "") for field in searchable.fields]
    texts.extend(getattr(obj, "translation_texts", list)())
    return wordforms.document_keys(*texts)


def index(obj: models.Model) -> None:
    """Write the search keys of ``obj`` (one statement: insert, or update on conflict)."""
    searchable = _searchable_of(type(obj))
    if searchable is None or obj.pk is None:
        return
    content_type = ContentType.objects.get_for_model(type(obj))
    entry = SearchEntry(content_type=content_type, object_id=obj.pk, keys=keys_of_record(searchable, obj))
    SearchEntry.objects.bulk_create(
        [entry], update_conflicts=True, unique_fields=["content_type", "object_id"], update_fields=["keys"]
    )


def _note_unchanged(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    """Before a save: whether the searched fields and translations are as the row was loaded (a service
    loads the row it changes in its transaction, and the audit log keeps those values), so that a
    status change, an acceptance, an overdue mark writes no search keys. Unknown means changed."""
    searchable = _searchable_of(sender)
    loaded = getattr(instance, "_audit_loaded", None)
    names = (
        (*searchable.fields, *(["translations"] if hasattr(instance, "translation_texts") else []))
        if searchable
        else ()
    )
    instance._search_keys_kept = bool(  # type: ignore[attr-defined]
        loaded
        and not instance._state.adding
        and all(name in loaded and loaded[name] == getattr(instance, name, None) for name in names)
    )


def _index_saved(sender: Any, instance: models.Model, update_fields: Any = None, **kwargs: Any) -> None:
    searchable = _searchable_of(sender)
    if searchable and update_fields and not set(update_fields) & {*searchable.fields, "translations"}:
        return  # a save of other fields (a status, a date) leaves the keys as they were
    if getattr(instance, "_search_keys_kept", False):
        return  # nothing searched changed since the row was loaded
    index(instance)


def _unindex_deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk).delete()


def fill_after_migrate(sender: Any, *, plan: Any = None, **kwargs: Any) -> None:
    """After a ``migrate`` that applied something: an empty index over existing records (a database
    upgraded to a version with the index) is filled, so that search finds the old records at once."""
    if plan and not SearchEntry.objects.exists() and any(s.model._default_manager.exists() for s in _registry):
        rebuild()


def rebuild(batch: int = 500) -> int:
    """Write the search index of every registered record anew (after a migration, an import that
    bypassed the saves); returns the number of records indexed."""
    total = 0
    for searchable in _registry:
        content_type = ContentType.objects.get_for_model(searchable.model)
        SearchEntry.objects.filter(content_type=content_type).delete()
        entries = (
            SearchEntry(content_type=content_type, object_id=obj.pk, keys=keys_of_record(searchable, obj))
            for obj in searchable.model._default_manager.order_by("pk").iterator(chunk_size=batch)
        )
        total += _create_in_batches(entries, batch)
    return total


def _create_in_batches(entries: Iterable[SearchEntry], batch: int) -> int:
    done, chunk = 0, list[SearchEntry]()
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == batch:
            done += len(SearchEntry.objects.bulk_create(chunk))
            chunk = []
    return done + len(SearchEntry.objects.bulk_create(chunk))


def registered() -> list[Searchable]:
    return list(_registry)


def terms_of(query: str | None) -> list[str]:
    """The words of a query (at most ten, of a query at most ``MAX_QUERY_LENGTH`` long)."""
    return [t for t in _printable(query).strip()[:MAX_QUERY_LENGTH].split() if t][:10]


def _printable(query: str | None) -> str:
    """The query without control characters (PostgreSQL refuses a NUL in a text)."""
    return "".join(c if c.isprintable() else " " for c in (query or ""))


def keys_of_query(query: str | None) -> list[frozenset[str]]:
    """The keys of each word of a query (at most ten words): a record matches a word when it has one
    of its keys, and the query when it matches every word."""
    words = wordforms.words_of(_printable(query)[:MAX_QUERY_LENGTH])[:10]
    return [wordforms.keys_of(word) for word in words]


class _SimpleVector(Func):
    """``to_tsvector('simple', keys)``: exactly the expression of the GIN index (migration core 0009)."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def _entries_matching(model: builtins.type[models.Model], keys: list[frozenset[str]]) -> models.QuerySet:
    """The ids of the records of ``model`` whose index has, for every word, one of its keys."""
    entries = SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    return having_keys(entries, keys).values("object_id")


def having_keys(entries: models.QuerySet, keys: list[frozenset[str]]) -> models.QuerySet:
    """The index entries that have, for every word, one of its keys: on PostgreSQL a full-text query
    over the GIN-indexed vector of their keys, elsewhere a containment test of each key."""
    if connection.vendor == "postgresql":
        query = reduce(
            and_,
            (reduce(or_, (SearchQuery(key, config="simple", search_type="plain") for key in sorted(k))) for k in keys),
        )
        return entries.alias(vector=_SimpleVector(F("keys"))).filter(vector=query)
    for word_keys in keys:
        entries = entries.filter(reduce(or_, (Q(keys__contains=f" {key} ") for key in sorted(word_keys))))
    return entries


def matching(queryset: models.QuerySet, query: str | None, fields: tuple[str, ...]) -> models.QuerySet:
    """Rows that have every word of ``query`` in one of its forms in any language (through the search
    index, for a registered model), or in which every word occurs as written in one of ``fields``
    (case-insensitive). Every list filter and the search of all modules use this one rule."""
    terms = terms_of(query)
    if not terms:
        return queryset
    as_written = reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields)) for term in terms))
    keys = keys_of_query(query)
    if not keys or _searchable_of(queryset.model) is None:
        return queryset.filter(as_written)
    return queryset.filter(Q(pk__in=_entries_matching(queryset.model, keys)) | as_written)


def _matching(searchable: Searchable, user: Any, query: str) -> models.QuerySet:
    queryset = searchable.model._default_manager.filter(policy.visibility_q(searchable.model, user))
    return matching(queryset, query, searchable.fields).order_by(*searchable.order_by)


def search(user: Any, query: str, *, limit: int = 50, offset: int = 0) -> tuple[int, list[Hit]]:
    """Count and fetch the page ``[offset, offset+limit)`` of what matches every word of ``query``."""
    groups = search_by_type(user, query, limit=limit, offset=offset)
    return sum(group.count for group in groups), [hit for group in groups for hit in group.hits]


def search_by_type(user: Any, query: str, *, limit: int = 50, offset: int = 0) -> list[Group]:
    """The results by type (in the order of registration), each with its count; the page
    ``[offset, offset+limit)`` of all results, in that order, is spread over the groups' hits. Two
    queries a type at most (its count, its rows of the page)."""
    if not terms_of(query) or not policy.is_reader(user):
        return []
    total, taken, groups = 0, 0, list[Group]()
    for searchable in _registry:
        queryset = _matching(searchable, user, query)
        count = queryset.count()
        start = max(0, offset - total)
        wanted = max(0, limit - taken)
        hits = [_hit(searchable, obj) for obj in queryset[start : start + wanted]] if wanted and start < count else []
        taken += len(hits)
        total += count
        if count:
            groups.append(Group(searchable.type, searchable.label, count, hits))
    return groups


def _hit(searchable: Searchable, obj: Any) -> Hit:
    level = getattr(obj, "classification", Classification.PUBLIC)
    title = searchable.title(obj)
    shown = searchable.shown(obj) if searchable.shown else title
    return Hit(searchable.type, obj.pk, title, Classification(level).slug, searchable.url(obj), shown, int(level))
