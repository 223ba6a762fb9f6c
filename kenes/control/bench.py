"""Benchmarks of execution control (``make bench``): 200,000 instructions over 250 bodies on PostgreSQL;
the controller's board, a liaison's inbox and the discipline dashboard, each timed and query-counted."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.test import Client

from kenes.accounts.models import User
from kenes.control.choices import InstructionStatus
from kenes.control.models import Instruction, InstructionExecutor
from kenes.core.bench import p95, timed
from kenes.core.classification import Classification
from kenes.directory.models import Organization

INSTRUCTIONS = 200_000
BODIES = 250


def _build() -> tuple[User, User]:
    rng = random.Random(7)
    existing = list(Organization.objects.all())
    extra = [
        Organization(
            code=f"bench-body-{n}", kind="other", name_kk=f"Орган {n}", name_ru=f"Орган {n}", name_en=f"Body {n}"
        )
        for n in range(BODIES - len(existing))
    ]
    Organization.objects.bulk_create(extra)
    bodies = list(Organization.objects.values_list("pk", flat=True))
    mia = Organization.objects.get(code="mia").pk
    controller = User.objects.get(username="controller")
    liaison = User.objects.get(username="liaison_mvd")
    secretary = User.objects.get(username="secretary")
    today = dt.date.today()
    statuses = [InstructionStatus.EXECUTED] * 6 + [
        InstructionStatus.ASSIGNED,
        InstructionStatus.OVERDUE,
        InstructionStatus.REPORTED,
        InstructionStatus.RETURNED,
    ]
    batch, executors = [], []
    for n in range(INSTRUCTIONS):
        issued = today - dt.timedelta(days=rng.randint(0, 540))
        due = issued + dt.timedelta(days=rng.randint(5, 60))
        status = rng.choice(statuses)
        executed = due + dt.timedelta(days=rng.randint(-5, 10)) if status == InstructionStatus.EXECUTED else None
        lead = mia if n % 250 == 0 else rng.choice(bodies)
        batch.append(
            Instruction(
                number=f"B{n}",
                text=f"Benchmark instruction {n}",
                lead_executor_id=lead,
                controller=controller,
                issued_by=secretary,
                issued_on=issued,
                due_date=due,
                status=status,
                executed_on=executed,
                returned_count=1 if rng.random() < 0.1 else 0,
                classification=Classification.OFFICIAL,
            )
        )
        if len(batch) == 10_000:
            _flush(batch, executors, bodies, rng)
            batch = []
    _flush(batch, executors, bodies, rng)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return controller, liaison


def _flush(batch, executors, bodies, rng) -> None:
    with transaction.atomic():
        created = Instruction.objects.bulk_create(batch)
        rows = []
        for instruction in created:
            rows.append(
                InstructionExecutor(
                    instruction_id=instruction.pk, organization_id=instruction.lead_executor_id, is_lead=True
                )
            )
            if rng.random() < 0.3:
                co = rng.choice(bodies)
                if co != instruction.lead_executor_id:
                    rows.append(InstructionExecutor(instruction_id=instruction.pk, organization_id=co))
        InstructionExecutor.objects.bulk_create(rows)


def run(report: Callable[[str, float, str], None]) -> None:
    start = time.perf_counter()
    controller, liaison = _build()
    report("control.build_200k", round(time.perf_counter() - start, 1), "s")
    pages = [
        ("control.board", controller, "/instructions/board/"),
        ("control.liaison_inbox", liaison, "/instructions/"),
        ("control.discipline", controller, "/instructions/discipline/"),
        ("control.api_list", liaison, "/api/v1/instructions?limit=50"),
    ]
    for name, user, url in pages:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        assert client.get(url).status_code == 200, url
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        report(f"{name}_p95", round(p95(timed(lambda c=client, u=url: c.get(u), 20)), 1), "ms")
        report(f"{name}_queries", len(queries), "queries")
