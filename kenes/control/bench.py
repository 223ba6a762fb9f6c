"""Benchmarks of execution control (``make bench``): 200,000 instructions over 250 bodies on PostgreSQL;
the controller's board, a liaison's inbox, the discipline dashboard and the API list, each timed and
query-counted beside its floor: the raw SQL that computes the same figures on the same data."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import connection, transaction

from kenes.accounts.models import Role, User
from kenes.control import services
from kenes.control.choices import OPEN_STATUSES, ExtensionStatus, InstructionStatus
from kenes.control.models import Instruction, InstructionExecutor
from kenes.core import audit
from kenes.core.bench import Report, page, rows, scaled
from kenes.core.classification import Classification
from kenes.directory.models import Organization

INSTRUCTIONS = 200_000
BODIES = 250


@transaction.atomic
def _build(instructions: int) -> tuple[User, User]:
    """The instructions, bulk-inserted; the audit log gets one summary event per model."""
    rng = random.Random(7)
    existing = list(Organization.objects.all())
    extra = [
        Organization(
            code=f"bench-body-{n}", kind="other", name_kk=f"Орган {n}", name_ru=f"Орган {n}", name_en=f"Body {n}"
        )
        for n in range(BODIES - len(existing))
    ]
    public: dict[str, Any] = {"classification": Classification.PUBLIC, "object_repr": "benchmark data"}
    with audit.bulk(Organization, action=audit.AuditEvent.Action.CREATE, **public) as changes:
        Organization.objects.bulk_create(extra)
        changes["created"] = len(extra)
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
    batch: list[Instruction] = []
    level: dict[str, Any] = {"classification": Classification.OFFICIAL, "object_repr": "benchmark data"}
    create = audit.AuditEvent.Action.CREATE
    with (
        audit.bulk(Instruction, action=create, **level) as made,
        audit.bulk(InstructionExecutor, action=create, **level) as addressed,
    ):
        made["created"] = addressed["created"] = 0
        for n in range(instructions):
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
                _flush(batch, made, addressed, bodies, rng)
                batch = []
        _flush(batch, made, addressed, bodies, rng)
    return controller, liaison


def _flush(
    batch: list[Instruction], made: dict[str, Any], addressed: dict[str, Any], bodies: list[int], rng: random.Random
) -> None:
    created = Instruction.objects.bulk_create(batch)
    executors = []
    for instruction in created:
        executors.append(
            InstructionExecutor(
                instruction_id=instruction.pk, organization_id=instruction.lead_executor_id, is_lead=True
            )
        )
        if rng.random() < 0.3:
            co = rng.choice(bodies)
            if co != instruction.lead_executor_id:
                executors.append(InstructionExecutor(instruction_id=instruction.pk, organization_id=co))
    InstructionExecutor.objects.bulk_create(executors)
    made["created"] += len(created)
    addressed["created"] += len(executors)


# --- floors: the same figures, computed by raw SQL -------------------------------------------------

ROW = "i.id, i.number, i.due_date, i.status, i.lead_executor_id, i.classification"


def _row(instruction: Instruction) -> tuple[Any, ...]:
    i = instruction
    return (i.pk, i.number, i.due_date, i.status, i.lead_executor_id, i.classification)


def _days(sql: str) -> str:
    """Whole days between two dates, in the database's dialect."""
    if connection.vendor == "postgresql":
        return sql
    left, right = sql.split(" - ")
    return f"(julianday({left}) - julianday({right}))"


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def board_floor(controller: User) -> Any:
    """The board's three lists (their first 50 rows) and four counts: five plain queries."""
    assert controller.role == Role.CONTROLLER and not controller.is_liaison
    mine = "i.classification <= %s AND i.controller_id = %s"
    horizon = services.today() + dt.timedelta(days=7)
    overdue, reported = InstructionStatus.OVERDUE, InstructionStatus.REPORTED
    open_ = ", ".join(f"'{s}'" for s in OPEN_STATUSES if s != overdue)
    conditions: dict[str, tuple[str, list[Any]]] = {
        "due_soon": (f"i.status IN ({open_}) AND i.due_date <= %s", [horizon]),
        "overdue": ("i.status = %s", [overdue]),
        "to_review": ("i.status = %s", [reported]),
    }
    params = [controller.clearance, controller.pk]
    lists: dict[str, Any] = {}
    for key, (where, extra) in conditions.items():
        sql = f"SELECT {ROW} FROM control_instruction i WHERE {mine} AND {where} ORDER BY i.due_date, i.id LIMIT 50"  # noqa: S608
        lists[key] = rows(sql, [*params, *extra])
    filters = ", ".join(f"count(*) FILTER (WHERE {where})" for where, _e in conditions.values())
    counted = rows(
        f"SELECT {filters} FROM control_instruction i WHERE {mine}",  # noqa: S608
        [*(p for _w, extra in conditions.values() for p in extra), *params],
    )[0]
    counts = dict(zip(conditions, counted, strict=True))
    extensions = rows(
        "SELECT e.id, count(*) OVER () FROM control_extensionrequest e JOIN control_instruction i"  # noqa: S608
        f" ON i.id = e.instruction_id WHERE e.status = %s AND {mine} ORDER BY e.requested_at DESC, e.id DESC LIMIT 50",
        [ExtensionStatus.PENDING, *params],
    )
    lists["extensions"] = [pk for pk, _n in extensions]
    counts["extensions"] = extensions[0][1] if extensions else 0
    return lists, counts


def board_figures(response: Any) -> Any:
    lists = {key: [_row(i) for i in response.context["lists"][key]] for key in ("due_soon", "overdue", "to_review")}
    lists["extensions"] = [e.pk for e in response.context["lists"]["extensions"]]
    return lists, dict(response.context["counts"])


def inbox_floor(liaison: User, limit: int = 50) -> Any:
    """A liaison's first page: the instructions addressed to his body (lead or co-executor, each once:
    an executor row is unique per instruction and body), and their count: two plain queries. (One query
    with ``count(*) OVER ()`` was measured slower than the page at 200,000 instructions: the window
    needs every row, so the first 50 by due date can no longer be read in index order and stop early.)"""
    assert liaison.is_liaison
    mine = (
        " FROM control_instructionexecutor e JOIN control_instruction i ON i.id = e.instruction_id"
        " WHERE e.organization_id = %s AND i.classification <= %s"
    )
    params = [liaison.organization_id, liaison.clearance]
    count = rows(f"SELECT count(*){mine}", params)[0][0]
    found = rows(f"SELECT {ROW}{mine} ORDER BY i.due_date, i.id LIMIT %s", [*params, limit])
    return count, [tuple(r) for r in found]


def discipline_floor(controller: User, start: dt.date, end: dt.date) -> Any:
    """The discipline figures: one GROUP BY (lead body, month of issue), summed per body, month and in all."""
    assert not controller.is_liaison
    executed, withdrawn = InstructionStatus.EXECUTED, InstructionStatus.WITHDRAWN
    found = rows(
        f"SELECT lead_executor_id, {_month('issued_on')},"  # noqa: S608
        " count(*) FILTER (WHERE status <> %s),"
        " count(*) FILTER (WHERE status = %s AND executed_on <= due_date),"
        " count(*) FILTER (WHERE status = %s AND executed_on > due_date),"
        " count(*) FILTER (WHERE status = %s),"
        " count(*) FILTER (WHERE returned_count > 0 AND status <> %s),"
        f" sum({_days('executed_on - due_date')}) FILTER (WHERE status = %s AND executed_on > due_date)"
        " FROM control_instruction WHERE classification <= %s AND issued_on >= %s AND issued_on <= %s"
        " GROUP BY 1, 2",
        [
            withdrawn,
            executed,
            executed,
            InstructionStatus.OVERDUE,
            withdrawn,
            executed,
            controller.clearance,
            start,
            end,
        ],
    )
    bodies: dict[int, list[float]] = {}
    months: dict[str, list[float]] = {}
    total = [0.0] * 6
    for body, month, *figures in found:
        figures[5] = figures[5] or 0
        label = str(month)[:7]
        for sums in (bodies.setdefault(body, [0.0] * 6), months.setdefault(label, [0.0] * 6), total):
            for n, value in enumerate(figures):
                sums[n] += value

    def shown(sums: list[float]) -> tuple[Any, ...]:
        received, on_time, late, overdue, returned, delay = sums
        return (
            int(received),
            int(on_time),
            int(late),
            int(overdue),
            int(returned),
            round(delay / late, 1) if late else None,
        )

    monthly = [(label, int(s[1]), int(s[2]), int(s[3])) for label, s in sorted(months.items())]
    return shown(total), {body: shown(s) for body, s in bodies.items()}, monthly


def _discipline(d: services.Discipline) -> tuple[Any, ...]:
    return d.received, d.on_time, d.late, d.overdue, d.returned, d.average_delay_days


def discipline_figures(response: Any) -> Any:
    import json

    chart = json.loads(response.context["chart"])
    on_time, late, overdue = (s["data"] for s in chart["series"])
    monthly = list(zip(chart["labels"], on_time, late, overdue, strict=True))
    rows_ = {pk: _discipline(d) for pk, _name, d in response.context["rows"]}
    return _discipline(response.context["total"]), rows_, monthly


def run(report: Report, scale: float = 1.0) -> None:
    instructions = scaled(INSTRUCTIONS, scale, 500)
    start = time.perf_counter()
    controller, liaison = _build(instructions)
    report("control.build", round(time.perf_counter() - start, 1), "s")
    report("control.instructions", instructions, "instructions")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = services.today()
    year = today.replace(month=1, day=1)
    page(
        report,
        "control.board",
        controller,
        "/instructions/board/",
        lambda: board_floor(controller),
        figures=board_figures,
    )
    page(
        report,
        "control.liaison_inbox",
        liaison,
        "/instructions/",
        lambda: inbox_floor(liaison),
        figures=lambda r: (r.context["page"].paginator.count, [_row(i) for i in r.context["page"]]),
    )
    page(
        report,
        "control.discipline",
        controller,
        "/instructions/discipline/",
        lambda: discipline_floor(controller, year, today),
        figures=discipline_figures,
    )
    page(
        report,
        "control.api_list",
        liaison,
        "/api/v1/instructions?limit=50",
        lambda: inbox_floor(liaison),
        figures=lambda r: (
            r.json()["count"],
            [
                (
                    i["id"],
                    i["number"],
                    dt.date.fromisoformat(i["due_date"]),
                    i["status"],
                    i["lead_executor"],
                    Classification.from_slug(i["classification"]),
                )
                for i in r.json()["items"]
            ],
        ),
    )
