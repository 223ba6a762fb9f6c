"""Imports of the threat register (run by ``kenes.core.imports``): observations of many signals, and
dated, located, categorised events (in the spirit of ACLED) counted into monthly signals per region
and category. Both are all or nothing, with every error named by row and column."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kenes.core import codes, periods, policy, tabular, texts
from kenes.core.classification import Classification
from kenes.core.models import ImportJob
from kenes.core.services import service
from kenes.reports import import_template
from kenes.threats import services
from kenes.threats.models import Signal, Threat

if TYPE_CHECKING:
    from kenes.core.imports import Progress

MAX_ROWS = 200_000

OBSERVATION_COLUMNS = (
    tabular.Column("signal", ("signal", "signal code", "code", "сигнал", "код", "белгі")),
    tabular.Column("period", ("period", "период", "кезең")),
    tabular.Column("value", ("value", "значение", "мән")),
)

EVENT_COLUMNS = (
    tabular.Column("event_date", ("event_date", "event date", "date", "дата", "күні")),
    tabular.Column("region", ("region", "admin1", "регион", "өңір")),
    tabular.Column("category", ("event_type", "event type", "category", "тип события", "категория", "санат")),
    tabular.Column("fatalities", ("fatalities", "погибшие", "қаза тапқандар"), required=False),
)

OBSERVATIONS_TEMPLATE = import_template.Template(
    title=gettext_lazy("Import of observations"),
    columns=OBSERVATION_COLUMNS,
    explanations={
        "signal": gettext_lazy("The signal's code, as on its page. One file may hold many signals."),
        "period": gettext_lazy(
            "The first day of the period observed, as YYYY-MM-DD (2025-03-01 for March of a monthly signal)."
        ),
        "value": gettext_lazy("The observed value, a number (1234.5 or 1 234,5)."),
    },
    examples={"signal": import_template.EXAMPLE_CODE, "period": "2025-03-01", "value": 42},
)
EVENTS_TEMPLATE = import_template.Template(
    title=gettext_lazy("Import of events"),
    columns=EVENT_COLUMNS,
    explanations={
        "event_date": gettext_lazy("The day of the event, as YYYY-MM-DD."),
        "region": gettext_lazy("The region where it happened; events are counted per region and category."),
        "category": gettext_lazy("The kind of event (event_type in ACLED files)."),
        "fatalities": gettext_lazy("Optional: the number of people killed, a whole number."),
    },
    examples={"event_date": "2025-03-14", "region": "EXAMPLE-REGION", "category": "EXAMPLE-CATEGORY", "fatalities": 0},
    notes=(
        gettext_lazy(
            "Events are counted per month into a signal per region and category; the months in the file "
            "replace the counts stored before."
        ),
    ),
)
TEMPLATES = {"observations": OBSERVATIONS_TEMPLATE, "events": EVENTS_TEMPLATE}


def template_signals(user: Any) -> list[Signal]:
    """The signals ``user`` may record observations of, by code: the list to choose from in the template."""
    visible = Signal.objects.visible_to(user).select_related("threat").order_by("code")
    return [s for s in visible[: import_template.MAX_CODES] if services.may_record(user, s)]


def import_observations(job: ImportJob, data: bytes, progress: Progress) -> dict[str, Any]:
    """Observations ``signal code, period, value`` of the signals the importer may record."""
    user = job.owner
    table = tabular.read_table(data, filename=job.filename, columns=OBSERVATION_COLUMNS, max_rows=MAX_ROWS)
    errors = tabular.ImportErrors()
    codes = {str(row.values.get("signal") or "").strip() for row in table.rows}
    known = {s.code: s for s in Signal.objects.visible_to(user).filter(code__in=codes).select_related("threat")}
    rows: list[tuple[int, dt.date, float]] = []
    seen: dict[tuple[int, dt.date], int] = {}
    for index, row in enumerate(table.rows, start=1):
        code = tabular.to_text(row.values.get("signal"), row.number, "signal", errors, max_length=80)
        signal = known.get(code or "")
        if code and signal is None:
            errors.add(row.number, "signal", texts.text("import.unknown_signal", code=code[:80]))
        elif signal is not None and not services.may_record(user, signal):
            errors.add(row.number, "signal", texts.text("import.may_not_record"))
            signal = None
        period = (
            tabular.to_period(row.values.get("period"), signal.frequency, row.number, "period", errors)
            if signal
            else None
        )
        value = tabular.to_number(
            row.values.get("value"),
            row.number,
            "value",
            errors,
            minimum=-services.MAX_ABS_VALUE,
            maximum=services.MAX_ABS_VALUE,
        )
        if signal and period and value is not None:
            first = seen.get((signal.pk, period))
            if first is not None:
                errors.add(row.number, "period", texts.text("import.period_twice", row=first))
            else:
                seen[(signal.pk, period)] = row.number
                rows.append((signal.pk, period, value))
        if index % 1000 == 0:
            progress(index, len(table.rows))
    errors.raise_if_any()
    progress(len(table.rows), len(table.rows))
    return _write_observations(rows, actor=user, source=job.filename, sha256=table.sha256)


@service
def _write_observations(rows: list, *, actor: Any, source: str, sha256: str) -> dict[str, Any]:
    return services.bulk_observations(rows, actor=actor, source=source, sha256=sha256)


def import_events(job: ImportJob, data: bytes, progress: Progress) -> dict[str, Any]:
    """Events counted per month, region and category into signals ``events-<region>-<category>``
    (created when missing, classified as the importer chose, under the chosen threat if any)."""
    user = job.owner
    params = job.params or {}
    level = int(params.get("classification", Classification.OFFICIAL))
    policy.ensure_may_classify(user, level)
    threat = None
    if params.get("threat"):
        threat = Threat.objects.visible_to(user).filter(pk=params["threat"]).first()
        if threat is None:
            raise tabular.ImportRejected([tabular.RowError(0, "threat", texts.text("import.no_such_threat"))])
    table = tabular.read_table(data, filename=job.filename, columns=EVENT_COLUMNS, max_rows=MAX_ROWS)
    errors = tabular.ImportErrors()
    counts: dict[tuple[str, str], dict[dt.date, float]] = {}
    fatalities: dict[tuple[str, str], float] = {}
    for index, row in enumerate(table.rows, start=1):
        day = _event_date(row.values.get("event_date"), row.number, errors)
        region = tabular.to_text(row.values.get("region"), row.number, "region", errors, max_length=200)
        category = tabular.to_text(row.values.get("category"), row.number, "category", errors, max_length=200)
        if region == EVENTS_TEMPLATE.examples["region"]:  # free text: a forgotten example would be imported
            errors.add(row.number, "region", _("This is the template's example row: replace it or delete it."))
        dead = row.values.get("fatalities")
        if dead not in (None, ""):
            number = tabular.to_number(dead, row.number, "fatalities", errors, minimum=0, maximum=1e7)
            if number is not None and region and category:
                fatalities[(region, category)] = fatalities.get((region, category), 0) + number
        if day and region and category:
            month = periods.floor(day, periods.Frequency.MONTHLY)
            series = counts.setdefault((region, category), {})
            series[month] = series.get(month, 0) + 1
        if index % 1000 == 0:
            progress(index, len(table.rows))
    errors.raise_if_any()
    progress(len(table.rows), len(table.rows))
    return _write_events(counts, actor=user, level=level, threat=threat, source=job.filename, sha256=table.sha256)


def _free_event_code(region: str, category: str) -> str:
    """The code of a new events signal: readable when the names slug to ASCII, and random after that
    (``events-almaty-theft-3f9a1c``), never numbered, so that it counts no signal the importer may not
    see; always within a signal code's 80 characters, however long the names."""
    base = f"events-{slugify(region)[:30] or 'region'}-{slugify(category)[:30] or 'category'}"
    taken = Signal.objects  # policy: uniqueness of a code, nothing is shown
    return codes.random_code(base, lambda code: taken.filter(code=code).exists(), length=80)


def _event_date(value: Any, row: int, errors: tabular.ImportErrors) -> dt.date | None:
    return tabular.to_period(value, periods.Frequency.DAILY, row, "event_date", errors)


@service
def _write_events(
    counts: dict[tuple[str, str], dict[dt.date, float]],
    *,
    actor: Any,
    level: int,
    threat: Threat | None,
    source: str,
    sha256: str,
) -> dict[str, Any]:
    rows: list[tuple[int, dt.date, float]] = []
    created = 0
    events = Signal.objects.filter(code__startswith="events-")  # policy: each is checked against the importer below
    for (region, category), series in sorted(counts.items()):
        same = events.filter(region=region, category=category).order_by("pk")
        signal = next((s for s in same if policy.can_read(actor, s)), None)
        if signal is None:  # one the importer may not see is neither used nor mentioned: he gets his own
            signal = services.create_signal(
                actor=actor,
                code=_free_event_code(region, category),
                name=_("Events: %(category)s, %(region)s") % {"category": category, "region": region},
                unit=_("events"),
                frequency=periods.Frequency.MONTHLY,
                threat=threat,
                classification=max(level, threat.classification if threat else level),
                region=region,
                category=category,
            )
            created += 1
        months = sorted(series)
        for month in periods.span(months[0], months[-1], periods.Frequency.MONTHLY):
            rows.append((signal.pk, month, series.get(month, 0.0)))
    with transaction.atomic():
        summary = services.bulk_observations(rows, actor=actor, source=source, sha256=sha256)
    return {**summary, "signals_created": created}
