"""The crawl: every page of the URL configuration, every GET of the OpenAPI document and every export
they lead to, requested as one user, each response searched for canaries he may not read.

Pages and endpoints are found, not listed: a new page or endpoint is crawled the day it is added. A path
parameter is filled with the ids of the records the canary factories seeded (``registry.path_param``);
a string parameter with the values declared for it (the formats of the exports). Exports are read as
their readers would read them: DOCX paragraphs and tables, PDF text, XLSX cells, iCalendar text; the
headers (a file name in ``Content-Disposition``, a redirect's ``Location``) are searched too."""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.leaks import registry
from tests.leaks.registry import MARKER, NUMBER, Canary, Reader, World

API_PREFIX = "/api/v1/"
LIMIT = 500  # the most a list answers at once (CONTRACT.md)
# Pages that change the session rather than show anything: requesting them would end the crawl.
SKIPPED_PAGES = {"accounts:logout", "set_language", "admin:logout", "api:openapi-view"}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
API_PARAM = re.compile(r"\{(?P<name>\w+)\}")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass(frozen=True)
class Route:
    """A page route or an API path, with its parameters and where it came from."""

    template: str  # "/council/sessions/{meeting_id}/minutes.{fmt}"
    scope: str  # the URL namespace of a page, the first segment of an API path
    name: str
    int_params: tuple[str, ...]
    str_params: tuple[str, ...]
    is_api: bool
    takes_limit: bool = False


@dataclass(frozen=True)
class Finding:
    """A canary shown to a user who may not read it: where (path, and body, header or reference) and to whom."""

    path: str
    username: str
    canary: Canary
    where: str

    def __str__(self) -> str:
        return f"{self.path} as {self.username}: {self.canary.describe()} in the {self.where}"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, str]]:
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else ""
            yield prefix + route, namespace, name


def page_routes() -> list[Route]:
    """Every page of the URL configuration but the API (crawled from its own document) and regular
    expressions with groups (the admin's catch-alls, which no canary fills)."""
    routes = []
    for route, namespace, name in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX.lstrip("/")) or name in SKIPPED_PAGES or "(?P" in route:
            continue
        route = route.lstrip("^").rstrip("$").replace("\\", "")
        params = [(m["converter"] or "str", m["name"]) for m in PARAM.finditer(route)]
        routes.append(
            Route(
                template="/" + PARAM.sub(lambda m: "{" + m["name"] + "}", route),
                scope=namespace.split(":")[0],
                name=name,
                int_params=tuple(n for c, n in params if c == "int"),
                str_params=tuple(n for c, n in params if c != "int"),
                is_api=False,
            )
        )
    return routes


def api_routes(document: dict[str, Any]) -> list[Route]:
    """Every GET operation of the OpenAPI document."""
    routes = []
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        parameters = operation.get("parameters", [])
        in_path = {p["name"]: p.get("schema", {}).get("type") for p in parameters if p["in"] == "path"}
        names = [m["name"] for m in API_PARAM.finditer(path)]
        routes.append(
            Route(
                template=path,
                scope=path[len(API_PREFIX) :].split("/")[0],
                name=operation.get("operationId", path),
                int_params=tuple(n for n in names if in_path.get(n) == "integer"),
                str_params=tuple(n for n in names if in_path.get(n) != "integer"),
                is_api=True,
                takes_limit=any(p["name"] == "limit" and p["in"] == "query" for p in parameters),
            )
        )
    return routes


def unfilled(route: Route) -> list[str]:
    """The integer parameters of ``route`` that no module said how to fill."""
    return [name for name in route.int_params if registry.param_for(route.scope, name) is None]


def fill(route: Route, world: World) -> list[str]:
    """The paths to request for ``route``: its integer parameters filled from the seeded records (one
    parameter leads, the others follow from its record), its string parameters with the declared values."""
    if unfilled(route):
        return []
    choices: list[list[dict[str, Any]]] = []
    if route.int_params:
        declared = {name: registry.param_for(route.scope, name) for name in route.int_params}
        lead = max(route.int_params, key=lambda name: len(declared[name].others))  # type: ignore[union-attr]
        param = declared[lead]
        assert param is not None
        model = apps.get_model(param.model)
        attributes = [attribute for _name, attribute in param.others]
        ids = world.records.get(model, [])
        rows = model._default_manager.filter(pk__in=ids).values("pk", *attributes)
        filled = [{lead: row["pk"], **{name: row[attr] for name, attr in param.others}} for row in rows]
        choices.append([row for row in filled if set(route.int_params) <= set(row)])
    for name in route.str_params:
        choices.append([{name: value} for value in registry.STRING_VALUES.get(name, ("view",))])
    paths = []
    for combination in itertools.product(*choices):
        values: dict[str, Any] = {}
        for part in combination:
            values.update(part)
        path = route.template.format(**values)
        paths.append(path + (f"?limit={LIMIT}" if route.takes_limit else ""))
    return paths


def search_paths(world: World) -> list[str]:
    """Search, on the page and the API, for every prefix of the markers: by module and by level."""
    prefixes = sorted({c.marker.rsplit("-", 1)[0] for c in world.canaries.values() if MARKER.fullmatch(c.marker)})
    prefixes += sorted({prefix.rsplit("-", 1)[0] for prefix in prefixes})
    return [f"/search/?q={p}" for p in prefixes] + [f"{API_PREFIX}search?q={p}&limit={LIMIT}" for p in prefixes]


# --- reading a response --------------------------------------------------------------------------


def body_text(response: Any) -> str:
    """The text a reader gets from a response: the page or JSON as it is, an export as its reader opens it."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if not content:
        return ""
    raw = content.decode("utf-8", errors="replace")
    readers = {DOCX: _docx_text, XLSX: _xlsx_text, PDF: _pdf_text}
    if kind not in readers:
        return raw
    try:
        return readers[kind](content) + "\n" + raw
    except Exception:  # an uploaded file the reader cannot open: its bytes are all there is
        return raw


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer):
            parts += [p.text for p in part.paragraphs]
    parts.append(document.core_properties.title or "")
    parts.append(document.core_properties.subject or "")
    return "\n".join(parts)


def _xlsx_text(content: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    parts = [str(book.properties.title or "")]
    for sheet in book.worksheets:
        parts.append(sheet.title)
        parts += [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    return "\n".join(parts)


def _pdf_text(content: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    text += "\n" + " ".join(str(value) for value in (reader.metadata or {}).values())
    return re.sub(r"-\s+", "-", text)  # a marker wrapped at one of its hyphens


def markers_in(text: str, world: World) -> set[Canary]:
    """The canaries whose markers ``text`` carries (in any case: a file name may be lower-cased), and the
    numeric canaries it shows, however their digits are grouped."""
    found = [m.upper() for m in MARKER.findall(text)] + [re.sub(r"\D", "", n) for n in NUMBER.findall(text)]
    return {world.canaries[key] for key in found if key in world.canaries}


@cache
def reference_fields() -> dict[str, type[models.Model]]:
    """The names under which an API answer refers to another classified record: the names of the
    foreign keys to classified models (``amends``, ``decision``, ``planned_meeting``), where a name
    means one model only."""
    from kenes.core.models import ClassifiedModel

    found: dict[str, set[type[models.Model]]] = {}
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            target = getattr(model_field, "related_model", None)
            if model_field.is_relation and model_field.concrete and target and issubclass(target, ClassifiedModel):
                found.setdefault(model_field.name, set()).add(target)
    return {name: next(iter(targets)) for name, targets in found.items() if len(targets) == 1}


def references_in(data: Any, world: World) -> Iterator[Canary]:
    """The seeded records an API answer refers to by id."""
    fields = reference_fields()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in fields and isinstance(value, int) and not isinstance(value, bool):
                canary = world.rows.get((fields[key], value))
                if canary is not None:
                    yield canary
            else:
                yield from references_in(value, world)
    elif isinstance(data, list):
        for value in data:
            yield from references_in(value, world)


# --- the crawl -----------------------------------------------------------------------------------


@dataclass
class Crawl:
    """One user's crawl: what was requested, and every canary found that he may not read."""

    reader: Reader
    client: Client
    world: World
    requests: int = 0

    def __post_init__(self) -> None:
        self.findings: list[Finding] = []
        self.errors: list[str] = []

    def get(self, path: str) -> Any:
        self.requests += 1
        response = self.client.get(path)
        if response.status_code >= 500:
            self.errors.append(f"{path} as {self.reader.username}: {response.status_code}")
        return response

    def check(self, path: str, response: Any) -> None:
        """Every canary the response shows (in its body, file name, redirect, or as the id of a record
        an API answer refers to) that this user may not read is a finding."""
        shown = {
            "file name": markers_in(response.get("Content-Disposition", ""), self.world),
            "redirect": markers_in(response.get("Location", ""), self.world),
            # whatever the status: a refusal (403, 404, 409, 422) must not name what it refuses either
            "body": markers_in(body_text(response), self.world),
        }
        if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
            shown["id it refers to"] = set(references_in(json.loads(response.content), self.world))
        in_audit_log = path.startswith(registry.AUDIT_LOG_PATHS)
        for where, canaries in shown.items():
            for canary in canaries:
                if not canary.readable_by(self.reader, in_audit_log=in_audit_log):
                    self.findings.append(Finding(path, self.reader.username, canary, where))

    def route(self, route: Route) -> None:
        for path in fill(route, self.world):
            response = self.get(path)
            self.check(path, response)
            if response.status_code == 405:  # the route takes no GET: its other paths would not either
                return
            if route.takes_limit and response.status_code == 200:
                self.rest_of(path, response)

    def rest_of(self, path: str, response: Any) -> None:
        """The further pages of a list longer than one answer (the audit log is)."""
        count = json.loads(response.content).get("count", 0)
        for offset in range(LIMIT, count, LIMIT):
            page = f"{path}&offset={offset}"
            self.check(page, self.get(page))

    def run(self, routes: list[Route]) -> None:
        for route in routes:
            self.route(route)
        for path in search_paths(self.world):
            self.check(path, self.get(path))


def openapi(client: Client) -> dict[str, Any]:
    response = client.get(f"{API_PREFIX}openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


# --- counts --------------------------------------------------------------------------------------

TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)
CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
IDS = re.compile(r"^(id|seq|.*_id)$")
# The audit chain's sequence numbers are shown to its readers as they are: one chain for every reader is
# what lets each of them check that nothing was removed. That they reveal how many events lie between two
# a reader sees is the documented price (docs/operations.md); they are ids, not counts, in pages as in JSON.
SEQUENCE_NUMBERS = re.compile(r'<span class="audit-seq">[^<]*</span>')


def counted_paths(routes: list[Route]) -> list[str]:
    """The pages and endpoints without parameters: the lists, dashboards and figures a user is shown."""
    paths = []
    for route in routes:
        if not route.int_params and not route.str_params:
            paths.append(route.template + ("?limit=1" if route.takes_limit else ""))
    return paths


def numbers(response: Any) -> list[int]:
    """The figures a response shows: a list's ``count``, the numbers of any other JSON answer (not its
    ids), the numbers in a page's text (not its dates and times, nor the canaries' markers)."""
    if response.status_code != 200 or response.streaming:
        return []
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind == "application/json":
        data = json.loads(response.content)
        if isinstance(data, dict) and "count" in data and "items" in data:
            return [data["count"]]
        return list(_json_numbers(data))
    if kind == "text/html":
        import html

        page = SEQUENCE_NUMBERS.sub(" ", response.content.decode("utf-8", errors="replace"))
        text = html.unescape(TAGS.sub(" ", page))
        return [int(n) for n in re.findall(r"\d+", CLOCK.sub(" ", MARKER.sub(" ", text)))]
    return []


def _json_numbers(data: Any, key: str = "") -> Iterator[int]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _json_numbers(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from _json_numbers(value, key)
    elif isinstance(data, int | float) and not isinstance(data, bool) and not IDS.match(key):
        yield data  # type: ignore[misc]


def snapshot(clients: dict[str, Client], paths: list[str]) -> dict[tuple[str, str], list[int]]:
    """What every user is shown on every counted path, taken in a transaction rolled back afterwards,
    so that taking it (a verification of the audit chain is itself an event) changes nothing."""
    from django.db import transaction

    shown = {}
    with transaction.atomic():
        for username, client in clients.items():
            for path in paths:
                shown[username, path] = numbers(client.get(path))
        transaction.set_rollback(True)
    return shown


def moved(
    before: dict[tuple[str, str], list[int]], after: dict[tuple[str, str], list[int]], username: str, paths: list[str]
) -> list[str]:
    """The counted paths whose figures changed for ``username`` between two snapshots."""
    changes = []
    for path in paths:
        old, new = before[username, path], after[username, path]
        if old != new:
            changed = [f"{a} → {b}" for a, b in zip(old, new, strict=False) if a != b]
            if len(old) != len(new):
                changed.append(f"{len(old)} figures → {len(new)}")
            changes.append(f"{path} as {username}: {', '.join(changed[:5])}")
    return changes
