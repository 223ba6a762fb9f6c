"""The access layer's registry: what each module declares, and the readers it declares it for.

A module joins the layer by declaring, in ``tests/<app>/access.py``, a :class:`Module`: a builder that
seeds its records through the module's services (once for all readers), and its :class:`Case` s — one
per model — each naming the EXACT set of records every reader may see and the paths that show them.
The generic test (``tests/access/test_access.py``) then asks, as every reader, every path of every case:

- :class:`Detail` (a page or endpoint about one record, an export of one record): exactly 200 for each
  record of the reader's set and exactly 404 for each other one;
- :class:`Listing` (a list page or endpoint, search, a feed, an export of a list): exactly the reader's
  set, by id in JSON and by a canary title in HTML, calendars and workbooks; a JSON list's ``count``
  is the size of the set;
- :class:`Count` (a dashboard widget, a matrix, a roll-up): the figure of the reader's set;
- :class:`Write` (an action on one record): 404 for a record outside the set, and for one inside it the
  code of success for the readers allowed to act, 403 for the others.

The expectations are data, written in each module's declaration by role and body, not read from the
product's policy: a bug of the policy is caught instead of copied. Where the crawl of ``tests/leaks``
checks that nothing hidden appears anywhere, this layer checks that each reader gets exactly his
answer, path by path.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpResponse
from django.urls import reverse

from kenes.accounts.models import Role
from kenes.core.classification import Classification
from kenes.directory.models import Organization

# --- the readers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """A user of the layer's world: the keys are those of the ``users`` fixture (tests/conftest.py) plus
    the liaison of a third body (the ministry of defence) that control and strategy address."""

    name: str
    username: str
    role: str
    clearance: Classification
    body: str
    staff: bool = False


APPARATUS, MIA, ALMATY, DEFENCE = "apparatus", "mia", "akimat-almaty-city", "ministry-defence"
BODIES = {
    APPARATUS: Organization.Kind.APPARATUS,
    MIA: Organization.Kind.MINISTRY,
    ALMATY: Organization.Kind.CITY_AKIMAT,
    DEFENCE: Organization.Kind.MINISTRY,
}
READERS = (
    Reader("chair", "chair", Role.CHAIRMAN, Classification.SPECIAL_IMPORTANCE, APPARATUS),
    Reader("secretary", "secretary", Role.SECRETARY, Classification.SPECIAL_IMPORTANCE, APPARATUS),
    Reader("analyst", "analyst", Role.ANALYST, Classification.SECRET, APPARATUS),
    Reader("controller", "controller", Role.CONTROLLER, Classification.SECRET, APPARATUS),
    Reader("auditor", "auditor", Role.AUDITOR, Classification.SECRET, APPARATUS),
    Reader("admin", "admin", Role.ADMINISTRATOR, Classification.OFFICIAL, APPARATUS, staff=True),
    Reader("member", "member_mvd", Role.MEMBER, Classification.TOP_SECRET, MIA),
    Reader("liaison", "liaison_mvd", Role.LIAISON, Classification.OFFICIAL, MIA),
    Reader("liaison_almaty", "liaison_almaty", Role.LIAISON, Classification.OFFICIAL, ALMATY),
    Reader("liaison_mod", "liaison_mod", Role.LIAISON, Classification.OFFICIAL, DEFENCE),
)
NAMES = tuple(reader.name for reader in READERS)

Records = dict[str, models.Model]


# --- the paths -----------------------------------------------------------------------------------


def url_of(target: str, records: Mapping[str, Records], on: tuple[str, str] | None) -> str:
    """The address of a list or a figure: about no record, or about the record ``on`` names."""
    return _url(target, records[on[0]][on[1]] if on else None)


def _url(target: str, record: models.Model | None, *extra: Any) -> str:
    """A page by its URL name (``council:meeting-detail``, with the record's id and ``extra`` as its
    arguments), or an API path with ``{pk}`` standing for the record's id."""
    if target.startswith("/"):
        return target.format(pk=record.pk if record is not None else None)
    args = ([record.pk] if record is not None else []) + list(extra)
    return reverse(target, args=args)


@dataclass(frozen=True)
class Detail:
    """A page, endpoint or export about one record: 200 if the reader may see it, else 404."""

    target: str
    extra: tuple[Any, ...] = ()  # the path's arguments after the record's id (an export's format)

    def url(self, record: models.Model) -> str:
        return _url(self.target, record, *self.extra)


def _items(response: HttpResponse) -> list[dict]:
    return response.json()["items"]


def ids(*, kind: str | None = None, key: str = "id") -> Callable[[HttpResponse, Records], set[str]]:
    """The records whose id an API answer lists (of search results, those of ``kind`` only)."""

    def read(response: HttpResponse, records: Records) -> set[str]:
        listed = {item[key] for item in _items(response) if kind is None or item["type"] == kind}
        return {name for name, record in records.items() if record.pk in listed} | (
            {f"unknown id {pk}" for pk in listed - {r.pk for r in records.values()}} if kind is None else set()
        )

    return read


def _text(response: HttpResponse) -> str:
    content = response.content
    if content[:2] == b"PK":  # a workbook
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content))
        return " ".join(str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    return content.decode()


def shows(canary: Callable[[models.Model], str]) -> Callable[[HttpResponse, Records], set[str]]:
    """The records whose canary (a title, a number, a code) a page, feed or workbook shows."""

    def read(response: HttpResponse, records: Records) -> set[str]:
        text = _text(response)
        return {name for name, record in records.items() if canary(record) in text}

    return read


@dataclass(frozen=True)
class Listing:
    """A list of records (page, endpoint, search, feed, export): exactly the reader's set.

    ``counted``: the answer is JSON whose ``count`` is the size of the set; ``among``: only the records
    for which it holds belong in this list (a document's export lists that document's indicators);
    ``cap``: the list shows at most so many (a widget's latest three), all of them of the set;
    ``only``: the readers for whom the page exists at all (for the others it is exactly 404); ``on``:
    the (group, key) of the record the list is about (a document's goals), standing for ``{pk}``."""

    target: str
    read: Callable[[HttpResponse, Records], set[str]]
    counted: bool = False
    among: Callable[[models.Model], bool] | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    cap: int | None = None
    only: frozenset[str] | None = None
    on: tuple[str, str] | None = None


@dataclass(frozen=True)
class Count:
    """A figure (a widget's count, a matrix's sum) that counts the reader's records: ``figure`` reads it
    from the answer (None: no such figure for him, read as 0); ``of`` says what it is of his set;
    ``only``: the readers for whom the page exists at all (for the others it is exactly 404); ``on``:
    the (group, key) of the record the figure is about, standing for ``{pk}``."""

    target: str
    figure: Callable[[HttpResponse], int | None]
    of: Callable[[list[models.Model]], int] = len
    query: Mapping[str, str] = field(default_factory=dict)
    only: frozenset[str] | None = None
    on: tuple[str, str] | None = None


@dataclass(frozen=True)
class Write:
    """An action on one record: 404 outside the reader's set; inside it, ``ok`` for the readers of ``may``
    and 403 for the others."""

    target: str
    may: frozenset[str]
    ok: int = 200
    data: Mapping[str, Any] | None = None
    of: Callable[[models.Model], models.Model] | None = None  # the record acted on (a measurement of it)

    def url(self, record: models.Model) -> str:
        return _url(self.target, self.of(record) if self.of else record)


Path = Detail | Listing | Count | Write


def widget(name: str, key: str) -> Callable[[HttpResponse], int | None]:
    """A figure of the dashboard's widget ``name`` (None when the reader has no such widget)."""

    def figure(response: HttpResponse) -> int | None:
        found = [w for w in response.context["widgets"] if w["name"] == name]
        return found[0][key] if found else None

    return figure


def in_widget(name: str, key: str) -> Callable[[HttpResponse, Records], set[str]]:
    """The records that the dashboard's widget ``name`` lists under ``key`` (none without the widget)."""

    def read(response: HttpResponse, records: Records) -> set[str]:
        found = [w for w in response.context["widgets"] if w["name"] == name]
        shown = {row.pk for row in found[0][key]} if found else set()
        return {k for k, record in records.items() if record.pk in shown}

    return read


def visible(key: str, expected: set[str] | frozenset[str]) -> bool:
    """Whether the record keyed ``key`` is of the set ``expected`` (``key#n`` goes with ``key``)."""
    return key.split("#")[0] in expected


# --- the declarations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One model's access: the records of the builder's ``group``, who sees which, by which paths.

    A record keyed ``key#n`` (one of several alike, as the alerts of one signal) goes with ``key``."""

    model: type[models.Model]
    group: str
    expected: Mapping[str, frozenset[str] | set[str]]
    paths: tuple[Path, ...]

    def __post_init__(self) -> None:
        missing = set(NAMES) - set(self.expected)
        unknown = set(self.expected) - set(NAMES)
        assert not missing and not unknown, f"{self.model.__name__}: readers missing {missing}, unknown {unknown}"


Builder = Callable[[dict[str, Any], dict[str, Organization]], dict[str, Records]]


@dataclass(frozen=True)
class Module:
    """A module's declaration: its builder (given the readers by name and the bodies by code, it returns
    the records by group and by key) and its cases; ``during`` is a context kept while the records are
    built and read (a fixed day)."""

    app: str
    build: Builder
    cases: tuple[Case, ...]
    during: Callable[[], AbstractContextManager] = nullcontext


_modules: dict[str, Module] = {}


def declare(module: Module) -> Module:
    assert module.app not in _modules, f"{module.app} declared twice"
    _modules[module.app] = module
    return module


def discover() -> dict[str, Module]:
    """Import ``tests.<app>.access`` of every Kenes app that has one."""
    for config in apps.get_app_configs():
        if config.name.startswith("kenes."):
            try:
                importlib.import_module(f"tests.{config.label}.access")
            except ModuleNotFoundError as error:
                if error.name != f"tests.{config.label}.access":
                    raise
    return dict(_modules)


def declared_models() -> Iterator[type[models.Model]]:
    for module in discover().values():
        for case in module.cases:
            yield case.model
