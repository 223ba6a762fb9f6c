"""Benchmarks of the security core, run by ``make bench`` on a scratch database, and the helpers every
app's benchmarks share: a timed page is always timed beside its *floor*, the raw SQL (and the least
Python) that computes the same figures on the same data, so that the cost of Kenes itself is seen."""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.test import Client

from kenes.core import audit

Report = Callable[[str, float, str], None]

#: Runs of each page (and of its floor) whose p95 is reported; the test of the benchmarks lowers it.
REPEAT = 20


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


def scaled(size: int, scale: float, least: int = 1) -> int:
    """A data size of the benchmark at ``scale`` (1 is the size the issues name)."""
    return max(least, round(size * scale))


def rows(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of one raw query: what a floor is made of. (Floors build their SQL from fixed column
    lists and placeholders only, never from input: hence their ``noqa: S608``.)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def _page_context() -> Iterator[None]:
    """Templates rendered meanwhile hand their context to the test client's response (``response.context``),
    as under the test runner, so that a page's figures can be compared with its floor's."""
    from django.template import Template
    from django.test import utils

    original, instrumented = getattr(Template, "_render"), getattr(utils, "instrumented_test_render")  # noqa: B009
    if original is instrumented:  # already so (under pytest)
        yield
        return
    setattr(Template, "_render", instrumented)  # noqa: B010
    try:
        yield
    finally:
        setattr(Template, "_render", original)  # noqa: B010


def _queries(function: Callable[[], object]) -> int:
    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        function()
    return count


def measure(
    report: Report,
    name: str,
    function: Callable[[], Any],
    floor: Callable[[], Any],
    *,
    figures: Callable[[Any], Any],
    repeat: int | None = None,
) -> None:
    """Time ``function`` and its ``floor`` and report both p95s and their ratio (and ``function``'s
    query count). ``figures`` takes what ``function`` returned to the figures it shows; the floor must
    return the very same figures, or the benchmark fails: a floor that computes less cannot pass."""
    with _page_context():
        result = function()
    shown, direct = figures(result), floor()
    assert shown == direct, f"{name}: the floor does not compute the figures shown\n{shown!r}\n!=\n{direct!r}"
    queries = _queries(function)
    own_samples: list[float] = []
    floor_samples: list[float] = []
    for _ in range(repeat or REPEAT):  # in turn, so that both see the same load of the machine
        own_samples += timed(function, 1)
        floor_samples += timed(floor, 1)
    own, least = p95(own_samples), p95(floor_samples)
    report(f"{name}_p95", round(own, 1), "ms")
    report(f"{name}_queries", queries, "queries")
    report(f"{name}_floor_p95", round(least, 1), "ms")
    report(f"{name}_ratio", round(own / least, 1) if least else float("inf"), "x")


def page(
    report: Report,
    name: str,
    user: Any,
    url: str,
    floor: Callable[[], Any],
    *,
    figures: Callable[[Any], Any],
    repeat: int | None = None,
) -> None:
    """``measure`` a GET of ``url`` by ``user`` (``figures`` reads its context or its JSON)."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def get() -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    measure(report, name, get, floor, figures=figures, repeat=repeat)


#: Pages timed without a floor yet, and why (the test of the benchmarks lets no other page go without).
WITHOUT_FLOOR = {
    "core.search_api": "a full-text search over every module's records; its floor is one query per module",
    "core.dashboard": "a dozen widgets, each its own module's query; their floors are those modules' pages",
    "strategy.indicator_page": "one indicator with its measurements, targets, forecast, chart and instructions",
}


def unfloored(report: Report, name: str, user: Any, url: str) -> None:
    """Time a page that has no floor yet: only those named in ``WITHOUT_FLOOR``."""
    assert name in WITHOUT_FLOOR, f"{name}: a timed page needs its floor (kenes.core.bench.page)"
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    assert client.get(url).status_code == 200, url
    report(f"{name}_p95", round(p95(timed(lambda: client.get(url), REPEAT)), 1), "ms")
    report(f"{name}_queries", _queries(lambda: client.get(url)), "queries")


def build_chain(events: int) -> None:
    """Append ``events`` chained events quickly (bulk insert with the same hashing as ``record``)."""
    from kenes.core.models import AuditEvent, AuditHead

    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(pk=1)
        seq, prev, batch = head.seq, head.hash, []
        for _ in range(events):
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=datetime.now(UTC),
                action="read",
                object_type="bench.record",
                object_id=str(seq),
                changes={},
                prev_hash=prev,
                classification=0,
            )
            event.hash = prev = audit.event_hash(event)
            batch.append(event)
            if len(batch) == 5000:
                AuditEvent.objects.bulk_create(batch)
                batch = []
        AuditEvent.objects.bulk_create(batch)
        head.seq, head.hash = seq, prev
        head.save()


def verify_floor() -> tuple[bool, int]:
    """The chain checked directly: its events streamed by one plain ``SELECT … ORDER BY seq`` and each
    one's SHA-256 recomputed in a tight loop (the payload of ``audit.event_hash``)."""
    head_seq, head_hash = rows("SELECT seq, hash FROM core_audithead WHERE id = 1")[0]
    expected, prev, ok = 1, audit.GENESIS_HASH, True
    dumps = json.JSONEncoder(
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=DjangoJSONEncoder().default
    ).encode
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(
            "SELECT seq, at, actor_id, actor_username, action, object_type, object_id, object_repr,"
            " classification, changes, ip, prev_hash, root_type, root_id, operation, hash"
            " FROM core_auditevent WHERE seq <= %s ORDER BY seq",
            [head_seq],
        )
        while ok and (chunk := cursor.fetchmany(5000)):
            for (
                seq,
                at,
                actor,
                username,
                action,
                otype,
                oid,
                orepr,
                level,
                changes,
                ip,
                prev_hash,
                rtype,
                rid,
                operation,
                hash_,
            ) in chunk:
                at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite keeps UTC without a zone
                payload = {
                    "seq": seq,
                    "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
                    "actor": actor,
                    "actor_username": username,
                    "action": action,
                    "object_type": otype,
                    "object_id": oid,
                    "object_repr": orepr,
                    "classification": level,
                    "changes": json.loads(changes) if isinstance(changes, str) else changes,
                    "ip": ip,
                    "prev_hash": prev_hash,
                }
                if rtype or rid:
                    payload["root_type"], payload["root_id"] = rtype, rid
                if operation:
                    payload["operation"] = operation
                if seq != expected or prev_hash != prev or hashlib.sha256(dumps(payload).encode()).hexdigest() != hash_:
                    ok = False
                    break
                prev, expected = hash_, expected + 1
    count = expected - 1
    return ok and head_seq == count and head_hash == prev, count


def run(report: Report, scale: float = 1.0) -> None:
    from kenes.accounts.models import User

    appended = scaled(5_000, scale, 100) // 100 * 100
    start = time.perf_counter()
    for _ in range(appended // 100):
        with transaction.atomic():
            for _ in range(100):
                audit.record("read", object_type="bench.record", object_id="1", classification=0)
    report("core.audit_append_rate", round(appended / (time.perf_counter() - start)), "events/s")

    chain = scaled(100_000, scale, appended)
    build_chain(chain - appended)
    measure(
        report,
        "core.audit_verify",
        audit.verify,
        verify_floor,
        figures=lambda result: (result.ok, result.events),
        repeat=max(2, REPEAT // 4),
    )
    assert verify_floor()[1] >= chain

    analyst = User.objects.get(username="analyst")
    name = f"name_{(settings.LANGUAGE_CODE or 'kk')[:2]}"  # the bench's client asks in the default language

    def bodies() -> tuple[int, list[tuple[int, str]]]:
        found = rows(f"SELECT id, {name}, count(*) OVER () FROM directory_organization ORDER BY {name}, id LIMIT 50")  # noqa: S608
        return (found[0][2] if found else 0), [(pk, title) for pk, title, _n in found]

    page(
        report,
        "directory.api_list",
        analyst,
        "/api/v1/organizations?limit=50",
        bodies,
        figures=lambda r: (r.json()["count"], [(o["id"], o["name"]) for o in r.json()["items"]]),
    )
    page(
        report,
        "directory.page_list",
        analyst,
        "/organizations/",
        bodies,
        figures=lambda r: (r.context["page"].paginator.count, [(o.pk, o.name) for o in r.context["page"]]),
    )
    for label, url in [("core.search_api", "/api/v1/search?q=akimat"), ("core.dashboard", "/")]:
        unfloored(report, label, analyst, url)
