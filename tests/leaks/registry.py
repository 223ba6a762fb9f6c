"""The leak crawl's registry: the demo readers, the canary factories of the modules, and the ground truth.

A module joins the crawl by declaring, in ``tests/<app>/canaries.py``, a factory decorated with
:func:`canary_factory`. The factory seeds records through the module's services with a marker from
:meth:`Seeder.mark` in every free-text field, and says of each marker who may read it (its level and
the state bodies whose liaisons may read it) — written here as data, independently of the product's
visibility policy, so that a bug of the policy is caught instead of copied. It also hands the records
to :meth:`Seeder.record`, so that every page and endpoint with an id in its path is requested with
them. Nothing else: the crawl (``tests/leaks/crawl.py``) finds the pages, endpoints and exports itself.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from kenes.core.classification import Classification

LEVELS = tuple(Classification)
SHORT = {
    Classification.PUBLIC: "pub",
    Classification.OFFICIAL: "off",
    Classification.SECRET: "sec",
    Classification.TOP_SECRET: "ts",
    Classification.SPECIAL_IMPORTANCE: "si",
}
# The two state bodies whose liaison officers are demo users (CONTRACT.md), and a third one that no
# demo user belongs to (its records are addressed to nobody the crawl logs in as).
MIA, ALMATY, OTHER = "mia", "akimat-almaty-city", "ministry-defence"
BODIES = (MIA, ALMATY)
AUDIT_READERS = ("auditor", "secretary", "chairman")
# Where the audit log is read (its page and its API): there the audit readers' rule applies.
AUDIT_LOG_PATHS = ("/audit/", "/api/v1/audit")
MARKER = re.compile(r"CANARY-[a-z]+-[a-z]+-\d{5}", re.IGNORECASE)
# The numeric canaries (values of observations, measurements and targets): 9 1nn nnn, unique, found however
# a page groups their digits (9100042, 9 100 042, 9,100,042) and whatever decimals follow (9100042.0).
FIRST_NUMBER = 9_100_000
NUMBER = re.compile(r"(?<![\d.,])9[\s,.'\u00a0\u202f]?1\d\d[\s,.'\u00a0\u202f]?\d{3}(?!\d)")


@dataclass(frozen=True)
class Reader:
    """A demo user as CONTRACT.md describes him: the ground truth of what he may read."""

    username: str
    role: str
    body: str
    clearance: Classification

    @property
    def is_liaison(self) -> bool:
        return self.role == "liaison"


# CONTRACT.md's table of demo users, copied as data (not read from the product).
READERS = (
    Reader("chair", "chairman", "security-council", Classification.SPECIAL_IMPORTANCE),
    Reader("secretary", "secretary", "security-council-apparatus", Classification.SPECIAL_IMPORTANCE),
    Reader("analyst", "analyst", "security-council-apparatus", Classification.SECRET),
    Reader("controller", "controller", "security-council-apparatus", Classification.SECRET),
    Reader("member_mvd", "member", MIA, Classification.TOP_SECRET),
    Reader("liaison_mvd", "liaison", MIA, Classification.OFFICIAL),
    Reader("liaison_almaty", "liaison", ALMATY, Classification.OFFICIAL),
    Reader("auditor", "auditor", "security-council-apparatus", Classification.SECRET),
    Reader("admin", "administrator", "security-council-apparatus", Classification.OFFICIAL),
)
READER = {reader.username: reader for reader in READERS}


@dataclass(frozen=True)
class Canary:
    """One marker planted in one field of one record, with who may read it.

    ``level`` is the record's classification; ``bodies`` the state bodies whose liaison officers may
    read it by need-to-know (none: no liaison may); ``only_for`` names the only users who may read it
    at all (a notification, an import job), whatever their role."""

    marker: str
    module: str
    what: str
    level: Classification
    bodies: frozenset[str] = frozenset()
    only_for: frozenset[str] | None = None

    def readable_by(self, reader: Reader, *, in_audit_log: bool = False) -> bool:
        """DESIGN.md's rules, stated once: no read above clearance; what is addressed to one user is his
        alone; a liaison reads only what is addressed to his body; the rest of the apparatus and the
        Council read by clearance. The audit log is read by the auditor, the secretary and the chairman,
        who read there the changes of every record up to their clearance, personal ones included."""
        if reader.clearance < self.level:
            return False
        if in_audit_log:
            return reader.role in AUDIT_READERS
        if self.only_for is not None:
            return reader.username in self.only_for
        if reader.is_liaison:
            return reader.body in self.bodies
        return True

    def describe(self) -> str:
        bodies = ", ".join(sorted(self.bodies)) or "no liaison"
        audience = f"only {', '.join(sorted(self.only_for))}" if self.only_for is not None else bodies
        return f"{self.marker} ({self.what}; {Classification(self.level).slug}; {audience})"


@dataclass
class Seeder:
    """What a canary factory is given: the demo users and bodies, and the means to plant markers.

    A factory seeds its records at every level of ``levels`` for every body of ``bodies`` (by code; the
    records of each body are those its liaison officers may read by need-to-know), and addresses
    personal records (notifications, import jobs) to the users of ``recipients``. The count probe runs
    the same factories again with levels and a body that the users it checks may not read."""

    module: str
    users: dict[str, Any]
    orgs: dict[str, Any]
    world: World
    levels: tuple[Classification, ...] = LEVELS
    bodies: tuple[str, ...] = BODIES
    recipients: tuple[str, ...] = tuple(READER)

    def mark(
        self,
        what: str,
        level: int,
        bodies: Iterable[str] = (),
        *,
        only_for: Iterable[str] | None = None,
    ) -> str:
        """A fresh marker for the field ``what`` of a record at ``level`` addressed to ``bodies``."""
        level = Classification(level)
        marker = f"CANARY-{self.module}-{SHORT[level]}-{next(self.world.counter):05d}".upper()
        self.world.canaries[marker] = Canary(
            marker=marker,
            module=self.module,
            what=what,
            level=level,
            bodies=frozenset(bodies),
            only_for=frozenset(only_for) if only_for is not None else None,
        )
        return marker

    def record(self, *objects: models.Model) -> None:
        """Request every page, endpoint and export whose path takes the id of such a record with these.

        Every record recorded is requested everywhere, exports included: the records of the particular
        cases that once leaked (an amendment, a raised item) are the reason the exports are crawled."""
        for obj in objects:
            self.world.records[type(obj)].append(obj.pk)

    def mark_number(
        self, what: str, level: int, bodies: Iterable[str] = (), *, only_for: Iterable[str] | None = None
    ) -> int:
        """A fresh numeric canary for the value ``what`` (an observation, a measurement, a target) of a
        record at ``level`` addressed to ``bodies``: a number no other record holds, found like a marker."""
        number = FIRST_NUMBER + next(self.world.counter)
        assert number < FIRST_NUMBER + 100_000, "more canaries than numbers"
        level = Classification(level)
        self.world.canaries[str(number)] = Canary(
            marker=str(number),
            module=self.module,
            what=what,
            level=level,
            bodies=frozenset(bodies),
            only_for=frozenset(only_for) if only_for is not None else None,
        )
        return number

    def relevel(self, obj: models.Model, level: int, *replaced: str) -> None:
        """``obj`` was raised to ``level`` after it was seeded: every marker planted in it and in its child
        rows (the rows whose foreign keys point to it, and theirs), and the markers of ``replaced`` (what
        its fields held before the raise changed them), is from now on readable only at ``level`` wherever
        it is shown (the record's earlier events, a notification, an export). Asserts that the raise
        happened: a raise refused would be a case of its own, not one for the crawl to pass over."""
        level = Classification(level)
        obj.refresh_from_db()
        assert obj.classification == level, f"{obj!r} was not raised to {level.slug}"
        texts = " ".join([*_texts(obj), *replaced])
        planted = {m.upper() for m in MARKER.findall(texts)} & set(self.world.canaries)
        assert planted, f"no marker was planted in {obj!r}"
        for marker in planted:
            canary = self.world.canaries[marker]
            self.world.canaries[marker] = dataclasses.replace(canary, level=Classification(max(canary.level, level)))

    def above(self, level: int) -> Classification | None:
        """The next level up, if any (for a record put above the one it belongs to)."""
        higher = [candidate for candidate in LEVELS if candidate > level]
        return higher[0] if higher else None


def _texts(obj: models.Model, depth: int = 2) -> Iterator[str]:
    """The values of ``obj``'s fields and, ``depth`` levels down, of its child rows'."""
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname)
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | list):
            yield str(value)
    if depth:
        for relation in obj._meta.related_objects:
            if relation.one_to_many and not relation.hidden:
                for child in getattr(obj, relation.get_accessor_name()).all():
                    yield from _texts(child, depth - 1)


@dataclass
class World:
    """Everything the factories seeded: the canaries by marker and the records by model."""

    canaries: dict[str, Canary] = field(default_factory=dict)
    records: dict[type[models.Model], list[int]] = field(default_factory=lambda: defaultdict(list))
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    media: Any = None
    # The canary that stands for each seeded record as a whole (its name carries it): by model and id.
    rows: dict[tuple[type[models.Model], int], Canary] = field(default_factory=dict)

    def learn_rows(self) -> None:
        """Find, for every classified record seeded, the canary its name carries: a reference to it (an
        id in an API answer) may be given only to whoever may read that canary."""
        from kenes.core.models import ClassifiedModel

        for model in apps.get_models():
            if issubclass(model, ClassifiedModel) and model.__module__.startswith("kenes."):
                for row in model._default_manager.all():
                    found = [self.canaries[m.upper()] for m in MARKER.findall(str(row)) if m.upper() in self.canaries]
                    if found:  # the record's level may be above the name's (an item named after a report)
                        named = max(found, key=lambda canary: canary.level)
                        level = Classification(max(named.level, row.classification))
                        self.rows[model, row.pk] = dataclasses.replace(
                            named, level=level, what=f"the record whose {named.what} it is"
                        )


Factory = Callable[[Seeder], None]
_factories: dict[str, Factory] = {}


def canary_factory(module: str) -> Callable[[Factory], Factory]:
    """Register the canary factory of ``module`` (a short lower-case name: it is part of the markers)."""
    assert re.fullmatch(r"[a-z]+", module), module

    def register(function: Factory) -> Factory:
        _factories[module] = function
        return function

    return register


def discover() -> None:
    """Import ``tests.<app>.canaries`` of every Kenes app that has one."""
    for config in apps.get_app_configs():
        if config.name.startswith("kenes."):
            try:
                importlib.import_module(f"tests.{config.label}.canaries")
            except ModuleNotFoundError as error:
                if error.name != f"tests.{config.label}.canaries":
                    raise


def factories() -> dict[str, Factory]:
    discover()
    return dict(_factories)


# --- filling paths -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathParam:
    """How to fill a path parameter: with the ids of the canaries of ``model``; ``others`` fills the
    other parameters of the same path from each record (``{"meeting_id": "meeting_id"}``)."""

    model: str
    others: tuple[tuple[str, str], ...] = ()


# Path parameters by name, optionally qualified by the URL namespace (``threats:report_id``). The
# string parameters are filled with every value listed (the formats of the exports, the kinds of import).
PATH_PARAMS: dict[str, PathParam] = {}
STRING_VALUES: dict[str, tuple[str, ...]] = {"fmt": ("docx", "pdf", "xlsx")}


def path_param(name: str, model: str, *, scopes: Iterable[str] = (), **others: str) -> None:
    """Declare that the path parameter ``name`` takes ids of ``model`` ("app_label.Model"): everywhere, or
    only in ``scopes`` (a page's URL namespace, or an API path's first segment after ``/api/v1/``)."""
    for key in [f"{scope}:{name}" for scope in scopes] or [name]:
        PATH_PARAMS[key] = PathParam(model, tuple(others.items()))


def param_for(scope: str, name: str) -> PathParam | None:
    return PATH_PARAMS.get(f"{scope}:{name}") or PATH_PARAMS.get(name)


def string_values(name: str, *values: str) -> None:
    """Declare the values a string path parameter ``name`` is tried with."""
    STRING_VALUES[name] = tuple(dict.fromkeys((*STRING_VALUES.get(name, ()), *values)))
