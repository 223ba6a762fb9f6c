"""Signals and their observations: defining a signal, recording values one by one or in bulk
(imports), and reading a signal's history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import audit, codes, periods, policy, references, search
from kenes.core.classification import Classification
from kenes.core.services import service
from kenes.threats.early_warning import check_observations
from kenes.threats.models import (
    Observation,
    Signal,
    Threat,
)
from kenes.threats.services.common import check_text, may_edit, may_record

MAX_OBSERVATIONS_PER_CALL = 10_000
MAX_ABS_VALUE = 1e15


def _threshold(value: Any, field: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({field: _("Give a number.")})
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not math.isfinite(number) or abs(number) > MAX_ABS_VALUE:
        raise ValidationError({field: _("Give a finite number of reasonable size.")})
    return number


@service
def create_signal(
    *,
    actor: User,
    name: str,
    unit: str,
    frequency: str = periods.Frequency.MONTHLY,
    threat: Threat | None = None,
    code: str = "",
    lower_threshold: float | None = None,
    upper_threshold: float | None = None,
    classification: int | None = None,
    region: str = "",
    category: str = "",
    alert_threshold: bool = True,
    alert_outside_interval: bool = True,
    alert_forecast_crossing: bool = True,
) -> Signal:
    """A signal that measures a threat (or stands alone), classified at least as high as the threat."""
    policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman define signals."))
    if frequency not in periods.Frequency.values:
        raise ValidationError({"frequency": _("Unknown frequency.")})
    default = threat.classification if threat else Classification.OFFICIAL
    level = policy.resolve_level(actor, classification, default=default, sources=[threat])
    lower = _threshold(lower_threshold, "lower_threshold")
    upper = _threshold(upper_threshold, "upper_threshold")
    if lower is not None and upper is not None and lower >= upper:
        raise ValidationError({"upper_threshold": _("The upper threshold must be above the lower one.")})
    name = check_text(name, "name", _("Name the signal."))
    code = _signal_code(code, name)
    signal = Signal(
        code=code,
        name=name,
        unit=check_text(unit, "unit", _("Give the unit.")),
        frequency=frequency,
        threat=threat,
        lower_threshold=lower,
        upper_threshold=upper,
        classification=level,
        region=region,
        category=category,
        alert_threshold=alert_threshold,
        alert_outside_interval=alert_outside_interval,
        alert_forecast_crossing=alert_forecast_crossing,
    )
    signal.full_clean(exclude=["code"])
    codes.save_with_code(signal, _code_message())  # a code taken by a concurrent writer since it was checked
    return signal


SIGNAL_CODE = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _signal_code(value: str | None, name: str) -> str:
    """The code of a new signal: the one given, or its name's slug and six random hex digits (``seizures-3f9a1c``).

    A code is unique across every signal (imports name signals by code alone); every unusable code is
    refused with one message (:func:`kenes.core.codes.choose`), which says nothing about signals the
    author may not see."""
    from django.utils.text import slugify

    taken = Signal.objects  # policy: uniqueness only
    return codes.choose(
        value,
        valid=lambda code: SIGNAL_CODE.fullmatch(code) is not None,
        taken=lambda code: taken.filter(code=code).exists(),
        base=(slugify(name) or "signal")[:60],
        length=80,
        message=_code_message(),
    )


def _code_message() -> str:
    return _("This code cannot be used: choose another of up to 80 letters, digits, - or _, or none.")


def check_value(value: Any, field: str = "value") -> float:
    """A finite number of reasonable size, or a ValidationError naming ``field``."""
    if isinstance(value, bool) or value is None:
        raise ValidationError({field: _("Give a number.")})
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not math.isfinite(number):
        raise ValidationError({field: _("The value must be a finite number.")})
    if abs(number) > MAX_ABS_VALUE:
        raise ValidationError({field: _("The value is too large.")})
    return number


def clean_observations(signal: Signal, rows: Sequence[tuple[Any, Any]]) -> list[tuple[dt.date, float]]:
    """Check every (period, value) against the signal's frequency; all errors are named by position
    (``observations.3.period``). Duplicate periods in one batch are refused."""
    if not rows:
        raise ValidationError({"observations": _("Send at least one observation.")})
    if len(rows) > MAX_OBSERVATIONS_PER_CALL:
        raise ValidationError({"observations": _("At most %(n)d observations at once.") % {"n": 10_000}})
    errors: dict[str, list[str]] = {}
    cleaned: list[tuple[dt.date, float]] = []
    seen: set[dt.date] = set()
    for index, (period, value) in enumerate(rows):
        field = f"observations.{index}"
        try:
            day = periods.parse(period, signal.frequency, field=f"{field}.period")
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        try:
            number = check_value(value, f"{field}.value")
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if day in seen:
            errors[f"{field}.period"] = [_("This period is given twice.")]
            continue
        seen.add(day)
        cleaned.append((day, number))
    if errors:
        raise ValidationError(errors)
    return cleaned


@service
def record_observations(
    signal: Signal, *, actor: User, observations: Sequence[tuple[Any, Any]], forecast: bool = True
) -> dict[str, int]:
    """Record values of a signal, all or nothing: new periods are added, known ones corrected (the
    audit log keeps each old and new value). The threshold rule runs on what arrived, and the signal's
    forecast is recomputed in the background after the commit."""
    policy.ensure(may_record(actor, signal), _("You may not record observations of this signal."))
    cleaned = clean_observations(signal, observations)
    existing = {o.period: o for o in Observation.objects.filter(signal=signal, period__in=[p for p, _v in cleaned])}
    created = updated = 0
    for period, value in cleaned:
        known = existing.get(period)
        if known is None:
            Observation.objects.create(signal=signal, period=period, value=value)
            created += 1
        elif known.value != value:
            known.value = value
            known.save(update_fields=["value", "recorded_at"])
            updated += 1
    check_observations(signal, cleaned)
    if forecast and (created or updated):
        enqueue_forecasts([signal.pk])
    return {"created": created, "updated": updated}


def enqueue_forecasts(signal_ids: Sequence[int]) -> None:
    """Recompute the signals' forecasts in the background, in one batch task (``forecast_signals``),
    once the data that arrived is committed."""
    from kenes.threats.tasks import forecast_batch

    ids = sorted(set(signal_ids))
    if ids:
        transaction.on_commit(lambda: forecast_batch.enqueue(ids))


MAX_AUDITED_REPLACEMENTS = 1000


@dataclasses.dataclass
class _Batch:
    """What a batch of observations changes: rows to add, rows to replace (and their old and new
    values, the first ``MAX_AUDITED_REPLACEMENTS`` of them, for the audit log), the signals touched."""

    fresh: list[Observation] = dataclasses.field(default_factory=list)
    changed: list[Observation] = dataclasses.field(default_factory=list)
    replaced: dict[str, dict[str, list[float]]] = dataclasses.field(default_factory=dict)
    replaced_total: int = 0
    touched: set[int] = dataclasses.field(default_factory=set)


def _batch(by_signal: dict[int, dict[dt.date, float]], signals: dict[int, Signal]) -> _Batch:
    """Compare the values given with those stored (one query): new periods added, differing ones replaced."""
    periods_given = {period for values in by_signal.values() for period in values}
    stored = Observation.objects.filter(signal_id__in=list(by_signal), period__in=periods_given)
    known = {(o.signal_id, o.period): o for o in stored.only("pk", "signal_id", "period", "value")}
    batch = _Batch()
    now = timezone.now()
    for signal_id, values in by_signal.items():
        for period, value in values.items():
            observation = known.get((signal_id, period))
            if observation is None:
                batch.fresh.append(Observation(signal_id=signal_id, period=period, value=value))
                batch.touched.add(signal_id)
            elif observation.value != value:
                if batch.replaced_total < MAX_AUDITED_REPLACEMENTS:
                    old_new = [observation.value, value]
                    batch.replaced.setdefault(signals[signal_id].code, {})[period.isoformat()] = old_new
                batch.replaced_total += 1
                observation.value, observation.recorded_at = value, now
                batch.changed.append(observation)
                batch.touched.add(signal_id)
    return batch


def bulk_observations(
    rows: Iterable[tuple[int, dt.date, float]], *, actor: Any, source: str, sha256: str = ""
) -> dict[str, int]:
    """Write many observations of many signals (imports), inside the caller's transaction: new periods
    added, known ones replaced when the value differs. An audited bulk block (``audit.bulk``) records the
    batch in one event (its size, source, the file's SHA-256, and the old and new value of each replaced
    row, ``{code: {period: [old, new]}}``, the first 1000 of them with the total). The signals whose data
    changed are forecast again by one background task."""
    by_signal: dict[int, dict[dt.date, float]] = {}
    for signal_id, period, value in rows:
        by_signal.setdefault(signal_id, {})[period] = value
    signals = {s.pk: s for s in Signal.objects.filter(pk__in=list(by_signal)).select_related("threat")}
    batch = _batch(by_signal, signals)
    created, updated = len(batch.fresh), len(batch.changed)
    summary = {
        "source": source,
        "created": created,
        "updated": updated,
        "signals": len(by_signal),
        "sha256": sha256,
        "replaced": batch.replaced,
        "replaced_total": batch.replaced_total,
    }
    with audit.bulk(
        Observation,
        actor=actor,
        changes=summary,
        object_repr=f"{source}: {created} created, {updated} replaced",
        classification=max((s.classification for s in signals.values()), default=Classification.PUBLIC),
    ):
        Observation.objects.bulk_create(batch.fresh, batch_size=1000)
        Observation.objects.bulk_update(batch.changed, ["value", "recorded_at"], batch_size=1000)
    for signal_id in sorted(batch.touched):
        check_observations(signals[signal_id], sorted(by_signal[signal_id].items()))
    enqueue_forecasts(list(batch.touched))
    return {"created": created, "updated": updated, "signals": len(by_signal)}


def latest_periods(signals: Sequence[Signal]) -> dict[int, dt.date]:
    """The last observed period of each of the signals (already visible to the reader), in one query."""
    rows = (
        Observation.objects.filter(signal__in=[s.pk for s in signals]).values("signal_id").annotate(last=Max("period"))
    )
    return {row["signal_id"]: row["last"] for row in rows}


def history(signal: Signal) -> list[tuple[dt.date, float]]:
    return list(Observation.objects.filter(signal=signal).order_by("period").values_list("period", "value"))


def consecutive_tail(rows: Sequence[tuple[dt.date, float]], frequency: str) -> list[tuple[dt.date, float]]:
    """The longest run of consecutive periods that ends at the latest observation: a forecast is made
    from evenly spaced data, so a gap cuts the history there."""
    if not rows:
        return []
    tail = [rows[-1]]
    for period, value in reversed(rows[:-1]):
        if periods.shift(period, frequency, 1) != tail[-1][0]:
            break
        tail.append((period, value))
    return list(reversed(tail))


def signals_for(user: Any, *, threat: int | None = None, q: str | None = None) -> QuerySet[Signal]:
    queryset = references.annotate(Signal.objects.visible_to(user).select_related("threat"), user, "threat")
    if threat:
        queryset = references.filter_by(queryset, user, "threat", threat)
    return search.matching(queryset, q, ("name", "code", "region", "category")).order_by("name", "pk")
