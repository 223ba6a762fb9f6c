"""Benchmarks of the security core, run by ``make bench`` on a scratch database."""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable

from django.db import transaction
from django.test import Client

from kenes.core import audit


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


def build_chain(events: int) -> None:
    """Append ``events`` chained events quickly (bulk insert with the same hashing as ``record``)."""
    from datetime import UTC, datetime

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


def run(report: Callable[[str, float, str], None]) -> None:
    appended = 5_000
    start = time.perf_counter()
    for _ in range(appended // 100):
        with transaction.atomic():
            for _ in range(100):
                audit.record("read", object_type="bench.record", object_id="1", classification=0)
    report("core.audit_append_rate", round(appended / (time.perf_counter() - start)), "events/s")

    build_chain(100_000 - appended)
    start = time.perf_counter()
    result = audit.verify()
    report("core.audit_verify_100k", round((time.perf_counter() - start) * 1000), "ms")
    assert result.ok and result.events >= 100_000

    from kenes.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="analyst"))
    for name, url in [
        ("directory.api_list_p95", "/api/v1/organizations?limit=50"),
        ("directory.page_list_p95", "/organizations/"),
        ("core.search_api_p95", "/api/v1/search?q=akimat"),
        ("core.dashboard_p95", "/"),
    ]:
        assert client.get(url).status_code == 200, url
        report(name, round(p95(timed(functools.partial(client.get, url), 50)), 1), "ms")
