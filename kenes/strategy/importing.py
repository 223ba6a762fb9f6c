"""Import of measurements from XLSX or CSV files: many indicators in one file, all or nothing.

Every row is validated before anything is written (the indicator is known to the importer and his to
report, the period is a period start of the indicator's frequency inside its document and has begun,
the value is a finite, sane number, no (indicator, period) twice) and each error is reported with its
row and column. The rules are those of ``services``; this module only makes them fast for a million
rows: the importer's indicators are loaded once into a dict, periods are parsed once per distinct
text, and the rows are written in bulk (on PostgreSQL with COPY into a temporary table and one
``INSERT ... ON CONFLICT``), with one audit event for the whole file and a revision row for every
value it replaced. The achievement of the indicators it touched is recomputed at once; their
forecasts by a background task.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kenes.accounts.models import User
from kenes.core import audit, context, periods, policy, tabular, texts
from kenes.core.models import AuditEvent
from kenes.reports import import_template
from kenes.strategy import services
from kenes.strategy.choices import MeasurementSource
from kenes.strategy.models import Indicator, Measurement, MeasurementRevision

KIND = "strategy.measurements"
COLUMNS = (
    tabular.Column(
        "indicator",
        ("indicator", "indicator code", "code", "код показателя", "көрсеткіш коды", "показатель", "көрсеткіш"),
    ),
    tabular.Column("period", ("period", "период", "кезең")),
    tabular.Column("value", ("value", "значение", "мәні", "мән")),
)
TEMPLATE = import_template.Template(
    title=gettext_lazy("Import of measurements"),
    columns=COLUMNS,
    explanations={
        "indicator": gettext_lazy("The indicator's code, as on its page. One file may hold many indicators."),
        "period": gettext_lazy(
            "The first day of the period the value is for, as YYYY-MM-DD: 2025-01-01 for the year 2025 of an "
            "annual indicator or its first quarter, 2025-04-01 for the second quarter, 2025-03-01 for March. "
            "The period must have begun and lie within the document's years."
        ),
        "value": gettext_lazy(
            "The actual value, a number (1234.5 or 1 234,5). A value for a period that has one already "
            "replaces it; the old value stays in the history."
        ),
    },
    examples={"indicator": import_template.EXAMPLE_CODE, "period": "2025-01-01", "value": 12.5},
)
Progress = Callable[[int, int], None]


def template_indicators(actor: User) -> list[Indicator]:
    """The indicators ``actor`` may report, by code: the list to choose from in the template."""
    queryset = Indicator.objects.visible_to(actor)
    if actor.is_liaison:
        queryset = queryset.filter(responsible_id=actor.organization_id)
    elif not services.may_verify(actor):
        return []
    return list(queryset.order_by("code")[: import_template.MAX_CODES])


def page_limit() -> int:
    """The most rows a file uploaded on the page or through the API may hold (the command may take more)."""
    return int(getattr(settings, "KENES_STRATEGY_IMPORT_MAX_ROWS", 50_000))


def import_file(
    data: bytes,
    *,
    actor: User,
    filename: str,
    max_rows: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Validate and import a file of measurements for ``actor``; ``ImportRejected`` names every bad row.

    Returns ``{"rows", "created", "updated", "unchanged", "indicators"}``."""
    report = progress or (lambda done, total: None)
    table = tabular.read_table(
        data,
        filename=filename,
        columns=COLUMNS,
        max_rows=max_rows if max_rows is not None else page_limit(),
        progress=report,
    )
    rows = _validate(table, actor, report)
    ids = sorted({indicator_id for indicator_id, _p, _v in rows})
    with transaction.atomic(), context.acting_as(actor), context.naming("import"):
        level = max(
            Indicator.objects.filter(pk__in=ids)
            .values_list("classification", flat=True)
            .order_by("-classification")[:1],  # policy: ids were validated visible
            default=0,
        )
        summary = {"import": True, "file": filename[:200], "sha256": table.sha256, "rows": len(rows)}
        with audit.bulk(
            Measurement,
            action=AuditEvent.Action.CREATE,
            changes=summary,
            object_repr=f"import {filename[:120]}: {len(rows)} rows",
            classification=level,
            actor=actor,
        ) as changes:
            result, replaced, replaced_total = _write(rows, actor)
            changes.update(result, indicators=len(ids), replaced=_replaced_by_code(replaced))
            changes["replaced_total"] = replaced_total
        services.evaluate_soon(ids)
    report(len(table.rows), len(table.rows))
    return {"rows": len(rows), **result, "indicators": len(ids)}


def _visible_indicators(actor: User) -> dict[str, tuple[int, str, dt.date, dt.date]]:
    """Code → (id, frequency, first period, last period) of the indicators ``actor`` may report."""
    queryset = Indicator.objects.visible_to(actor)
    if actor.is_liaison:
        queryset = queryset.filter(responsible_id=actor.organization_id)
    elif not services.may_verify(actor):
        return {}
    known = {}
    for pk, code, frequency, start, end in queryset.values_list(
        "pk", "code", "frequency", "document__period_start", "document__period_end"
    ):
        known[code.casefold()] = (pk, frequency, periods.floor(start, frequency), periods.floor(end, frequency))
    return known


def _validate(table: Any, actor: User, report: Progress) -> list[tuple[int, dt.date, float]]:
    errors = tabular.ImportErrors(limit=200)
    known = _visible_indicators(actor)
    today = services.today()
    begun = {f: periods.floor(today, f) for f in ("monthly", "quarterly", "annual")}
    parsed: dict[tuple[Any, str], dt.date] = {}
    seen: dict[tuple[int, dt.date], int] = {}
    rows: list[tuple[int, dt.date, float]] = []
    total = len(table.rows)
    for count, row in enumerate(table.rows, 1):
        values = row.values
        code = values.get("indicator")
        entry = known.get(str(code).strip().casefold()) if code not in (None, "") else None
        if entry is None:
            why = "import.unknown_indicator" if code not in (None, "") else "import.required"
            errors.add(row.number, "indicator", texts.text(why))
            continue
        pk, frequency, first, last = entry
        raw = values.get("period")
        key = (raw, frequency)
        period = parsed.get(key)
        if period is None:
            period = tabular.to_period(raw, frequency, row.number, "period", errors)
            if period is None:
                continue
            parsed[key] = period
        value = tabular.to_number(
            values.get("value"), row.number, "value", errors, minimum=-services.ABSURD, maximum=services.ABSURD
        )
        if not first <= period <= last:
            errors.add(
                row.number,
                "period",
                texts.text(
                    "import.outside_document",
                    start=texts.period(first, frequency),
                    end=texts.period(last, frequency),
                ),
            )
            continue
        if period > begun[frequency]:
            errors.add(row.number, "period", texts.text("import.not_begun"))
            continue
        if value is None:
            continue
        previous = seen.get((pk, period))
        if previous is not None:
            errors.add(row.number, "period", texts.text("import.indicator_period_twice", row=previous))
            continue
        seen[(pk, period)] = row.number
        rows.append((pk, period, value))
        if count % 50_000 == 0:
            report(count, total)
    errors.raise_if_any()
    if not rows:
        errors.add(1, "", texts.text("import.no_rows"))
        errors.raise_if_any()
    return rows


REPLACED_IN_AUDIT = 1000
Replaced = list[tuple[int, dt.date, float, float]]


def _replaced_by_code(replaced: Replaced) -> dict[str, dict[str, list[float]]]:
    """The values an import replaced, for its audit event: {indicator code: {period: [old, new]}} (at
    most ``REPLACED_IN_AUDIT`` of them; the event also holds their total). One query for the codes."""
    codes = dict(
        Indicator.objects.filter(pk__in={pk for pk, _p, _o, _n in replaced}).values_list("pk", "code")
    )  # policy: ids were validated visible
    out: dict[str, dict[str, list[float]]] = {}
    for pk, period, old, new in replaced:
        out.setdefault(codes[pk], {})[period.isoformat()] = [old, new]
    return out


def _write(rows: list[tuple[int, dt.date, float]], actor: User) -> tuple[dict[str, int], Replaced, int]:
    """Write the rows; return the counts, the first ``REPLACED_IN_AUDIT`` values replaced as
    (indicator id, period, old, new), and how many were replaced in all."""
    if connection.vendor == "postgresql":
        return _write_postgresql(rows, actor)
    return _write_generic(rows, actor)


def _write_generic(rows: list[tuple[int, dt.date, float]], actor: User) -> tuple[dict[str, int], Replaced, int]:
    """Any database: compare with what is stored, then bulk-create, bulk-update and keep the old values."""
    now = timezone.now()
    ids = {pk for pk, _p, _v in rows}
    stored = {
        (m.indicator_id, m.period): m
        for m in Measurement.objects.filter(indicator_id__in=ids).only(
            "pk", "indicator_id", "period", "value", "source", "entered_by_id", "entered_at"
        )
    }
    new: list[Measurement] = []
    changed: list[Measurement] = []
    revisions: list[MeasurementRevision] = []
    replaced: Replaced = []
    for pk, period, value in rows:
        old = stored.get((pk, period))
        if old is None:
            new.append(
                Measurement(
                    indicator_id=pk,
                    period=period,
                    value=value,
                    source=MeasurementSource.IMPORT,
                    entered_by=actor,
                    entered_at=now,
                )
            )
        elif old.value != value:
            if len(revisions) < REPLACED_IN_AUDIT:
                replaced.append((pk, period, old.value, value))
            revisions.append(
                MeasurementRevision(
                    measurement_id=old.pk,
                    value=old.value,
                    source=old.source,
                    entered_by_id=old.entered_by_id,
                    entered_at=old.entered_at,
                    replaced_by=actor,
                    replaced_at=now,
                )
            )
            old.value, old.source, old.entered_by, old.entered_at = value, MeasurementSource.IMPORT, actor, now
            old.verified_by, old.verified_at = None, None
            changed.append(old)
    Measurement.objects.bulk_create(new, batch_size=2000)
    MeasurementRevision.objects.bulk_create(revisions, batch_size=2000)
    Measurement.objects.bulk_update(
        changed, ["value", "source", "entered_by", "entered_at", "verified_by", "verified_at"], batch_size=2000
    )
    counts = {"created": len(new), "updated": len(changed), "unchanged": len(rows) - len(new) - len(changed)}
    return counts, replaced, len(changed)


def _write_postgresql(rows: list[tuple[int, dt.date, float]], actor: User) -> tuple[dict[str, int], Replaced, int]:
    """PostgreSQL: COPY the rows into a temporary table, keep the values about to be replaced (the same
    statement returns the first of them for the audit event, and their number), then one
    ``INSERT ... ON CONFLICT DO UPDATE`` (only where the value differs)."""
    now = timezone.now()
    buffer = io.StringIO()
    for pk, period, value in rows:
        buffer.write(f"{pk}\t{period.isoformat()}\t{value!r}\n")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS strategy_import_rows")
        cursor.execute(
            "CREATE TEMPORARY TABLE strategy_import_rows "
            "(indicator_id bigint NOT NULL, period date NOT NULL, value double precision NOT NULL) ON COMMIT DROP"
        )
        with cursor.copy("COPY strategy_import_rows (indicator_id, period, value) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            "SELECT count(*) FROM strategy_import_rows i JOIN strategy_measurement m "
            "ON m.indicator_id = i.indicator_id AND m.period = i.period"
        )
        existing = cursor.fetchone()[0]
        cursor.execute(
            "WITH replaced AS (SELECT m.id, m.value, m.source, m.entered_by_id, m.entered_at, i.indicator_id, "
            "i.period, i.value AS new_value FROM strategy_import_rows i JOIN strategy_measurement m "
            "ON m.indicator_id = i.indicator_id AND m.period = i.period WHERE m.value <> i.value), "
            "kept AS (INSERT INTO strategy_measurementrevision "
            "(measurement_id, value, source, entered_by_id, entered_at, replaced_by_id, replaced_at) "
            "SELECT id, value, source, entered_by_id, entered_at, %s, %s FROM replaced) "
            "SELECT indicator_id, period, value, new_value, count(*) OVER () FROM replaced LIMIT %s",
            [actor.pk, now, REPLACED_IN_AUDIT],
        )
        sample = cursor.fetchall()
        changed = sample[0][4] if sample else 0
        replaced: Replaced = [(pk, period, old, new) for pk, period, old, new, _total in sample]
        cursor.execute(
            "INSERT INTO strategy_measurement "
            "(indicator_id, period, value, source, entered_by_id, entered_at, verified_by_id, verified_at) "
            "SELECT indicator_id, period, value, %s, %s, %s, NULL, NULL FROM strategy_import_rows "
            "ON CONFLICT (indicator_id, period) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, "
            "entered_by_id = EXCLUDED.entered_by_id, entered_at = EXCLUDED.entered_at, "
            "verified_by_id = NULL, verified_at = NULL WHERE strategy_measurement.value <> EXCLUDED.value",
            [MeasurementSource.IMPORT, actor.pk, now],
        )
        cursor.execute("DROP TABLE strategy_import_rows")
    counts = {"created": len(rows) - existing, "updated": changed, "unchanged": existing - changed}
    return counts, replaced, changed


def may_import(user: Any) -> bool:
    """Liaison officers import their bodies' values; analysts and the secretary anyone's."""
    return policy.is_reader(user) and (user.is_liaison or services.may_verify(user))


def handle_job(job: Any, data: bytes, progress: Progress) -> dict[str, Any]:
    """The handler of ``kenes.core.imports`` for uploads on the page and through the API."""
    return import_file(data, actor=job.owner, filename=job.filename, progress=progress)
