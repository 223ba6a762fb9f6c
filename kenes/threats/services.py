"""Rules of the threat register: threats and their reassessment, countermeasures, signals and their
observations, forecasts (one engine, :mod:`kenes.threats.forecasting`), the early-warning rules,
acknowledgement, situation reports, and the readings the pages and the API share.

Every change runs in one transaction with its audit events (``core.services.service``); bulk writes
that bypass the model signals (imports, forecast runs) record one summary event themselves.
Notifications are recorded in the same transaction and e-mailed after it commits.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.core import audit, codes, periods, policy, references, search
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent
from kenes.core.services import service
from kenes.directory.models import Organization
from kenes.threats import forecasting
from kenes.threats.choices import CountermeasureStatus, Domain, RunReason, RunStatus, Scope, Trend
from kenes.threats.early_warning import check_forecast, check_observations
from kenes.threats.models import (
    Alert,
    Countermeasure,
    Forecast,
    ForecastRun,
    Observation,
    Signal,
    SituationReport,
    Threat,
    ThreatAssessment,
)
from kenes.threats.report_sections import report_sections

if TYPE_CHECKING:
    from kenes.council.models import Meeting

# The analysts keep the register; the chairman and the secretary may change it too.
EDITING_ROLES = (Role.ANALYST, Role.SECRETARY, Role.CHAIRMAN)
DEFAULT_HORIZON = 12
MAX_OBSERVATIONS_PER_CALL = 10_000
MAX_ABS_VALUE = 1e15


def may_edit(user: Any) -> bool:
    """Whether ``user`` keeps the register (threats, signals, countermeasures, reports)."""
    return policy.is_reader(user) and user.role in EDITING_ROLES


def may_record(user: Any, signal: Signal) -> bool:
    """Observations are recorded by the analysts, or by the liaisons of the body owning the threat."""
    if may_edit(user):
        return True
    return (
        policy.is_reader(user)
        and user.is_liaison
        and signal.threat is not None
        and signal.threat.owner_id == user.organization_id
    )


def _ensure(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _level(value: int | None, default: int) -> int:
    level = int(value if value is not None else default)
    if level not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    return level


def _scale(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError({field: _("Give a whole number from 1 to 5.")})
    return value


def _text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


# --- threats -------------------------------------------------------------------------------------


@service
def create_threat(
    *,
    actor: User,
    title: str,
    domain: str,
    scope: str,
    likelihood: int,
    impact: int,
    owner: Organization | None = None,
    description: str = "",
    trend: str = Trend.STABLE,
    classification: int | None = None,
) -> Threat:
    """Enter a threat in the register, with its first assessment kept as the start of its history.

    Its ``owner`` (the body answering for it) is by default the author's own body."""
    _ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman keep the threat register."))
    owner = owner if owner is not None else actor.organization
    if owner is None:
        raise ValidationError({"owner": _("Name the body that owns the threat.")})
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Unknown domain.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("The scope is internal or external.")})
    if trend not in Trend.values:
        raise ValidationError({"trend": _("Unknown trend.")})
    level = _level(classification, Classification.OFFICIAL)
    policy.ensure_may_classify(actor, level)
    threat = Threat(
        title=_text(title, "title", _("Name the threat.")),
        domain=domain,
        scope=scope,
        description=description,
        likelihood=_scale(likelihood, "likelihood"),
        impact=_scale(impact, "impact"),
        trend=trend,
        owner=owner,
        classification=level,
    )
    threat.full_clean()
    threat.save()
    ThreatAssessment.objects.create(
        threat=threat,
        new_likelihood=threat.likelihood,
        new_impact=threat.impact,
        new_trend=threat.trend,
        reason=_("Entered in the register."),
        assessed_by=actor,
    )
    return threat


@service
def reassess_threat(
    threat: Threat, *, actor: User, likelihood: int, impact: int, trend: str, reason: str
) -> ThreatAssessment:
    """Change a threat's likelihood, impact and trend, keeping the old values and the reason."""
    _ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman reassess threats."))
    threat = Threat.objects.select_for_update().get(pk=threat.pk)
    if trend not in Trend.values:
        raise ValidationError({"trend": _("Unknown trend.")})
    reason = _text(reason, "reason", _("Say why the threat is reassessed."))
    assessment = ThreatAssessment(
        threat=threat,
        old_likelihood=threat.likelihood,
        old_impact=threat.impact,
        old_trend=threat.trend,
        new_likelihood=_scale(likelihood, "likelihood"),
        new_impact=_scale(impact, "impact"),
        new_trend=trend,
        reason=reason,
        assessed_by=actor,
    )
    threat.likelihood, threat.impact, threat.trend = likelihood, impact, trend
    threat.save(update_fields=["likelihood", "impact", "trend", "updated_at"])
    assessment.save()
    return assessment


@service
def add_countermeasure(
    threat: Threat,
    *,
    actor: User,
    title: str,
    expected_effect: str = "",
    status: str = CountermeasureStatus.PLANNED,
    classification: int | None = None,
) -> Countermeasure:
    """A measure against a threat, classified at least as high as the threat."""
    _ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman propose countermeasures."))
    if status not in CountermeasureStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    level = _level(classification, threat.classification)
    policy.ensure_may_classify(actor, level)
    policy.ensure_high_water(level, [threat])
    return Countermeasure.objects.create(
        threat=threat,
        title=_text(title, "title", _("Name the measure.")),
        expected_effect=expected_effect,
        status=status,
        classification=level,
    )


# The moves a countermeasure may make: planned → in progress → done, and any open status → cancelled.
COUNTERMEASURE_MOVES: dict[str, tuple[str, ...]] = {
    CountermeasureStatus.PLANNED: (CountermeasureStatus.IN_PROGRESS, CountermeasureStatus.CANCELLED),
    CountermeasureStatus.IN_PROGRESS: (CountermeasureStatus.DONE, CountermeasureStatus.CANCELLED),
    CountermeasureStatus.DONE: (),
    CountermeasureStatus.CANCELLED: (),
}


@service
def set_countermeasure_status(countermeasure: Countermeasure, *, actor: User, status: str) -> Countermeasure:
    """Move a countermeasure along planned → in progress → done, or cancel it while open; any other move
    (skipping a step, going back, staying put, leaving a closed status) is a Conflict (409)."""
    _ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman change countermeasures."))
    if status not in CountermeasureStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    countermeasure = Countermeasure.objects.select_for_update().get(pk=countermeasure.pk)
    if countermeasure.status in (CountermeasureStatus.DONE, CountermeasureStatus.CANCELLED):
        raise Conflict(_("This countermeasure is closed."))
    if status not in COUNTERMEASURE_MOVES[countermeasure.status]:
        raise Conflict(_("A countermeasure cannot move from this status to that one."))
    countermeasure.status = status
    countermeasure.save(update_fields=["status", "updated_at"])
    return countermeasure


# --- signals and observations --------------------------------------------------------------------


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
    _ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman define signals."))
    if frequency not in periods.Frequency.values:
        raise ValidationError({"frequency": _("Unknown frequency.")})
    level = _level(classification, threat.classification if threat else Classification.OFFICIAL)
    policy.ensure_may_classify(actor, level)
    policy.ensure_high_water(level, [threat] if threat else [])
    lower = _threshold(lower_threshold, "lower_threshold")
    upper = _threshold(upper_threshold, "upper_threshold")
    if lower is not None and upper is not None and lower >= upper:
        raise ValidationError({"upper_threshold": _("The upper threshold must be above the lower one.")})
    name = _text(name, "name", _("Name the signal."))
    code = _signal_code(code, name)
    signal = Signal(
        code=code,
        name=name,
        unit=_text(unit, "unit", _("Give the unit.")),
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
    _ensure(may_record(actor, signal), _("You may not record observations of this signal."))
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


def bulk_observations(
    rows: Iterable[tuple[int, dt.date, float]], *, actor: Any, source: str, sha256: str = ""
) -> dict[str, int]:
    """Write many observations of many signals (imports), inside the caller's transaction: new periods
    added, known ones replaced when the value differs. Bypasses the model signals, so one audit event
    records the batch (its size, source, the file's SHA-256, and the old and new value of each replaced
    row, ``{code: {period: [old, new]}}``, the first 1000 of them with the total). The signals whose data
    changed are forecast again by one background task."""
    by_signal: dict[int, dict[dt.date, float]] = {}
    for signal_id, period, value in rows:
        by_signal.setdefault(signal_id, {})[period] = value
    signals = {s.pk: s for s in Signal.objects.filter(pk__in=list(by_signal)).select_related("threat")}
    periods_given = {period for values in by_signal.values() for period in values}
    known = {
        (o.signal_id, o.period): o
        for o in Observation.objects.filter(signal_id__in=list(by_signal), period__in=periods_given).only(
            "pk", "signal_id", "period", "value"
        )
    }
    fresh: list[Observation] = []
    changed: list[Observation] = []
    replaced: dict[str, dict[str, list[float]]] = {}
    replaced_total = 0
    touched: set[int] = set()
    now = timezone.now()
    for signal_id, values in by_signal.items():
        for period, value in values.items():
            observation = known.get((signal_id, period))
            if observation is None:
                fresh.append(Observation(signal_id=signal_id, period=period, value=value))
                touched.add(signal_id)
            elif observation.value != value:
                if replaced_total < MAX_AUDITED_REPLACEMENTS:
                    replaced.setdefault(signals[signal_id].code, {})[period.isoformat()] = [observation.value, value]
                replaced_total += 1
                observation.value, observation.recorded_at = value, now
                changed.append(observation)
                touched.add(signal_id)
    Observation.objects.bulk_create(fresh, batch_size=1000)
    Observation.objects.bulk_update(changed, ["value", "recorded_at"], batch_size=1000)
    created, updated = len(fresh), len(changed)
    level = max((s.classification for s in signals.values()), default=Classification.PUBLIC)
    audit.record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        object_type="threats.observation",
        object_repr=f"{source}: {created} created, {updated} replaced",
        classification=level,
        changes={
            "source": source,
            "created": created,
            "updated": updated,
            "signals": len(by_signal),
            "sha256": sha256,
            "replaced": replaced,
            "replaced_total": replaced_total,
        },
    )
    for signal_id in sorted(touched):
        check_observations(signals[signal_id], sorted(by_signal[signal_id].items()))
    enqueue_forecasts(list(touched))
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


# --- forecasts -----------------------------------------------------------------------------------


def check_horizon(horizon: Any, frequency: str) -> int:
    """A horizon the engine accepts for this frequency, or a ValidationError naming ``horizon``."""
    longest = forecasting.max_horizon(periods.season_length(frequency))
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= longest:
        raise ValidationError(
            {"horizon": _("The horizon is a whole number of periods from 1 to %(n)d.") % {"n": longest}}
        )
    return horizon


def check_run_horizon(horizon: Any) -> int:
    """A run's horizon: from 1 to the longest any frequency accepts; each frequency's signals are then
    forecast at most as far as their own frequency allows."""
    longest = max(forecasting.max_horizon(periods.season_length(f)) for f in periods.Frequency.values)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= longest:
        raise ValidationError(
            {"horizon": _("The horizon is a whole number of periods from 1 to %(n)d.") % {"n": longest}}
        )
    return horizon


def forecast_signals(
    signals: Sequence[Signal],
    *,
    horizon: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    actor: Any = None,
    run: ForecastRun | None = None,
) -> dict[int, Forecast | str]:
    """Forecast many signals at once: one engine call per frequency over all their series, then the
    forecasts stored and the forecast-crossing rule run. The per-signal path is this with one signal.
    The forecasts bypass the model signals, so each batch records one summary audit event (the codes,
    the count, the horizon and the run) in the same transaction as the rows.

    Answers per signal id the stored Forecast, or the message saying why it was not forecast."""
    answers: dict[int, Forecast | str] = {}
    by_frequency: dict[str, list[Signal]] = {}
    for signal in signals:
        by_frequency.setdefault(signal.frequency, []).append(signal)
    done_before = 0
    total = len(signals)
    for frequency, group in by_frequency.items():
        season = periods.season_length(frequency)
        h = min(horizon or DEFAULT_HORIZON, forecasting.max_horizon(season))
        tails: dict[int, list[tuple[dt.date, float]]] = {}
        rows: dict[int, list[tuple[dt.date, float]]] = {}
        for signal_id, period, value in (
            Observation.objects.filter(signal__in=[s.pk for s in group])
            .order_by("signal_id", "period")
            .values_list("signal_id", "period", "value")
            .iterator(chunk_size=20_000)
        ):
            rows.setdefault(signal_id, []).append((period, value))
        for signal in group:
            tails[signal.pk] = consecutive_tail(rows.get(signal.pk, []), frequency)

        def report(done: int, _total: int, offset: int = done_before) -> None:
            if progress:
                progress(offset + done, total)

        outcomes = forecasting.forecast_many(
            {pk: [v for _p, v in tail] for pk, tail in tails.items()}, season_length=season, horizon=h, progress=report
        )
        fresh = []
        for signal in group:
            outcome = outcomes[signal.pk]
            if isinstance(outcome, forecasting.ForecastError):
                answers[signal.pk] = str(outcome)
                continue
            last = tails[signal.pk][-1][0]
            fresh.append(_forecast_row(signal, outcome, h, last, len(tails[signal.pk])))
        with transaction.atomic():
            for forecast in Forecast.objects.bulk_create(fresh, batch_size=500):
                answers[forecast.signal_id] = forecast
            if fresh:
                audit.record(
                    AuditEvent.Action.CREATE,
                    actor=actor,
                    object_type="threats.forecast",
                    object_id=str(fresh[0].pk) if len(fresh) == 1 else "",
                    object_repr=f"{len(fresh)} forecasts, {frequency}, h={h}",
                    classification=max(f.signal.classification for f in fresh),
                    changes={
                        "signals": [f.signal.code for f in fresh],
                        "count": len(fresh),
                        "horizon": h,
                        "run": run.pk if run is not None else None,
                    },
                )
            for signal in group:
                stored = answers.get(signal.pk)
                if isinstance(stored, Forecast):
                    check_forecast(signal, stored)
        done_before += len(group)
    return answers


def _forecast_row(signal: Signal, outcome: forecasting.Outcome, horizon: int, last: dt.date, n: int) -> Forecast:
    points = [
        {
            "period": periods.shift(last, signal.frequency, p.step).isoformat(),
            "mean": p.mean,
            "lo80": p.lo80,
            "hi80": p.hi80,
            "lo95": p.lo95,
            "hi95": p.hi95,
        }
        for p in outcome.points
    ]
    return Forecast(
        signal=signal,
        model=outcome.model,
        horizon=horizon,
        last_period=last,
        observations=n,
        points=points,
        mase=outcome.scores.mase,
        interval_score=outcome.scores.interval_score,
        coverage95=outcome.scores.coverage95,
        baseline_mase=outcome.baseline.mase,
        baseline_interval_score=outcome.baseline.interval_score,
        baseline_coverage95=outcome.baseline.coverage95,
        windows=outcome.windows,
        backtest_horizon=outcome.backtest_horizon,
    )


@service
def compute_forecast(signal: Signal, *, actor: User | None, horizon: int = DEFAULT_HORIZON) -> Forecast:
    """Forecast one signal now (a request, or the task after data arrived); a series that cannot be
    forecast is a ValidationError saying why (too short, constant, a bad horizon). A person computes it only
    where he may record the signal's observations (``may_record``); ``actor=None`` is the system."""
    if actor is not None:
        _ensure(may_record(actor, signal), _("You may not compute forecasts of this signal."))
    check_horizon(horizon, signal.frequency)
    answer = forecast_signals([signal], horizon=horizon, actor=actor)[signal.pk]
    if isinstance(answer, str):
        raise ValidationError({"observations": answer})
    return answer


def latest_forecast(signal: Signal) -> Forecast | None:
    return Forecast.objects.filter(signal=signal).order_by("-created_at", "-pk").first()


def _run_signals(run: ForecastRun) -> QuerySet[Signal]:
    """The signals a run forecasts: a person's run only those he may read; the system's run all."""
    if run.started_by is not None:
        return Signal.objects.visible_to(run.started_by)
    return Signal.objects.all()  # policy: the system's own job; its counts are shown by ``runs_for``


def start_run(*, actor: User | None, horizon: int = DEFAULT_HORIZON) -> ForecastRun:
    """Queue a forecast of every signal the actor may read (every signal for the system, ``actor=None``);
    the worker runs it and the run's page shows its progress to whom ``runs_for`` allows."""
    from kenes.threats.tasks import run_forecasts

    if actor is not None:
        _ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman start forecast runs."))
    check_run_horizon(horizon)
    run = ForecastRun(started_by=actor, horizon=horizon)
    run.total = _run_signals(run).count()
    run.save()
    transaction.on_commit(lambda: run_forecasts.enqueue(run.pk))
    return run


def runs_for(user: Any) -> QuerySet[ForecastRun]:
    """The forecast runs ``user`` sees: the runs he started, and the system's runs (the daily job, the
    command), whose counts he sees only if cleared to the highest level (``shows_counts``)."""
    if not policy.is_reader(user):
        return ForecastRun.objects.none()
    condition = models.Q(started_by=user) | models.Q(started_by__isnull=True)
    return (
        ForecastRun.objects.filter(condition)
        .select_related("started_by", "cancelled_by")
        .order_by("-created_at", "-pk")
    )


def shows_counts(user: Any, run: ForecastRun) -> bool:
    """Whether ``user`` sees a run's counts (signals, processed, forecast, skipped) and its message: his
    own run counts only what he may read; the system's run counts every signal, so only a reader
    cleared to the highest level sees its counts (the others see its status and times)."""
    if run.started_by_id is not None:
        return bool(run.started_by_id == user.pk)
    return bool(user.clearance >= Classification.SPECIAL_IMPORTANCE)


def cancels_runs(user: Any) -> bool:
    """The secretary cancels forecast runs (the daily one too)."""
    return policy.is_reader(user) and user.role == Role.SECRETARY


def may_cancel(user: Any, run: ForecastRun) -> bool:
    return cancels_runs(user) and not run.finished


class RunCancelled(Exception):
    """The run was cancelled (or ended by someone else) while it was going: it stops at its next checkpoint."""


@service
def cancel_run(run: ForecastRun, *, actor: User) -> ForecastRun:
    """Cancel a queued or running forecast run: it is marked cancelled at once, and the worker stops it
    at its next checkpoint (every chunk of signals); forecasts are stored a frequency at a time, so those
    of the frequencies already finished are kept and the group in progress is dropped. Only the secretary
    cancels; a run that has ended is a conflict."""
    _ensure(cancels_runs(actor), _("Only the secretary cancels forecast runs."))
    previous = run.status
    cancelled = ForecastRun.objects.filter(pk=run.pk, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=RunStatus.CANCELLED,
        reason=RunReason.CANCELLED,
        cancelled_by=actor,
        finished_at=timezone.now(),
    )
    if not cancelled:
        raise Conflict(_("This forecast run has already ended."))
    audit.record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        object_type="threats.forecastrun",
        object_id=str(run.pk),
        object_repr=f"forecast run {run.pk}",
        classification=Classification.PUBLIC,  # the event names the run only, none of its signals
        changes={"status": [previous, RunStatus.CANCELLED]},
    )
    run.refresh_from_db()
    return run


def interrupted_after() -> dt.timedelta:
    """A run still ``running`` this long after it started has lost its worker: the worker's time limit
    would have stopped it before, and a minute's grace."""
    from kenes.core.tasks import FORECASTS_QUEUE, time_limit

    return dt.timedelta(seconds=time_limit(FORECASTS_QUEUE) + 60)


def end_if_interrupted(run: ForecastRun) -> ForecastRun:
    """A run whose worker died never ends by itself: one still running past ``interrupted_after`` is
    ended ``failed`` as interrupted (the forecasts it stored before are kept)."""
    if run.status != RunStatus.RUNNING or (run.started_at or run.created_at) > timezone.now() - interrupted_after():
        return run
    ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, reason=RunReason.INTERRUPTED, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def execute_run(
    run: ForecastRun,
    progress: Callable[[int, int], None] | None = None,
    signals: Sequence[Signal] | None = None,
) -> ForecastRun:
    """Forecast every signal of the run (those its starter may read; or those given) for a run, writing
    its progress as it goes (read by the page's polling). A run no longer queued (cancelled, or taken
    by another worker) is left as it is; one cancelled while it goes stops at its next checkpoint (each
    progress report); one past the worker's time limit is ended failed, saying so."""
    from kenes.core.tasks import TimeLimitExceeded

    claimed = ForecastRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        run.refresh_from_db()
        return run
    if signals is None:
        signals = list(_run_signals(run).select_related("threat").order_by("pk"))
    ForecastRun.objects.filter(pk=run.pk).update(total=len(signals))

    def step(done: int, total: int) -> None:
        if not ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(processed=done, total=total):
            raise RunCancelled
        if progress:
            progress(done, total)

    try:
        answers = forecast_signals(signals, horizon=run.horizon, progress=step, actor=run.started_by, run=run)
    except RunCancelled:
        run.refresh_from_db()
        return run
    except TimeLimitExceeded:
        ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, reason=RunReason.TIME_LIMIT, finished_at=timezone.now()
        )
        raise
    except Exception as error:
        ForecastRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    made = sum(isinstance(a, Forecast) for a in answers.values())
    ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.DONE,
        processed=len(signals),
        forecast=made,
        skipped=len(signals) - made,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


# --- early warning (the rules are in early_warning.py) -------------------------------------------


def may_acknowledge(user: Any, alert: Alert) -> bool:
    """Alerts are acknowledged by those who keep the register, or by the liaisons of the owning body."""
    return may_edit(user) or (policy.is_reader(user) and user.is_liaison and may_record(user, alert.signal))


def acknowledgeable(user: Any, alerts: Iterable[Alert]) -> set[int]:
    """The ids of the open alerts among ``alerts`` that ``user`` may acknowledge (the pages show the form
    only for these)."""
    return {alert.pk for alert in alerts if alert.acknowledged_at is None and may_acknowledge(user, alert)}


@service
def acknowledge_alert(alert: Alert, *, actor: User, comment: str) -> Alert:
    """Acknowledge an alert with a comment (who, when and what are kept and audited)."""
    _ensure(may_acknowledge(actor, alert), _("You may not acknowledge this alert."))
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise Conflict(_("This alert has already been acknowledged."))
    alert.comment = _text(comment, "comment", _("Say what is being done about it."))
    alert.acknowledged_by, alert.acknowledged_at = actor, timezone.now()
    alert.save(update_fields=["comment", "acknowledged_by", "acknowledged_at", "updated_at"])
    return alert


# --- situation reports ---------------------------------------------------------------------------


@service
def create_situation_report(
    *,
    actor: User,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    analyst_text: str = "",
    classification: int | None = None,
) -> SituationReport:
    """Generate a situation report for a period from what the author may read: threats by domain,
    changes of assessment, alerts, forecasts and countermeasures.

    A composed document (:mod:`kenes.core.composition`): at the level the author chooses (never above
    his clearance) it holds only what is at or below that level; without a choice it is classified
    as the highest of what he may read that went into it."""
    _ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman write situation reports."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period is before its start.")})
    if classification is not None:
        level = _level(classification, Classification.OFFICIAL)
        policy.ensure_may_classify(actor, level)
        sections, _highest = report_sections(actor, period_start, period_end, max_level=level)
    else:
        sections, level = report_sections(actor, period_start, period_end)
    return SituationReport.objects.create(
        title=_text(title, "title", _("Give the report a title.")),
        period_start=period_start,
        period_end=period_end,
        analyst_text=analyst_text,
        sections=sections,
        author=actor,
        classification=max(level, Classification.OFFICIAL),
    )


@service
def put_report_on_agenda(report: SituationReport, meeting: Meeting, *, actor: User) -> Any:
    """Put a situation report on a session's agenda as an analysis item aimed at the report."""
    from kenes.council.services import add_agenda_item

    return add_agenda_item(
        meeting,
        actor=actor,
        title=report.title,
        kind="analysis",
        description=report.analyst_text[:5000],
        classification=max(report.classification, meeting.classification),
        subject=report,
    )


# --- reading -------------------------------------------------------------------------------------


def threats_for(
    user: Any,
    *,
    domain: str | None = None,
    scope: str | None = None,
    owner: int | None = None,
    likelihood: int | None = None,
    impact: int | None = None,
    q: str | None = None,
) -> QuerySet[Threat]:
    """The threats the user may see, filtered as the register, the matrix and the API ask."""
    queryset = Threat.objects.visible_to(user).select_related("owner")
    if domain:
        queryset = queryset.filter(domain=domain)
    if scope:
        queryset = queryset.filter(scope=scope)
    if owner:
        queryset = queryset.filter(owner_id=owner)
    if likelihood:
        queryset = queryset.filter(likelihood=likelihood)
    if impact:
        queryset = queryset.filter(impact=impact)
    return search.matching(queryset, q, ("title", "description"))


def matrix(user: Any, *, domain: str | None = None, scope: str | None = None) -> list[list[int]]:
    """Counts of visible threats by likelihood (rows, 5 at the top) and impact (columns 1–5): one query."""
    grid = [[0] * 5 for _ in range(5)]
    rows = threats_for(user, domain=domain, scope=scope).order_by().values("likelihood", "impact")
    for row in rows.annotate(n=Count("pk")):
        grid[5 - row["likelihood"]][row["impact"] - 1] = row["n"]
    return grid


def signals_for(user: Any, *, threat: int | None = None, q: str | None = None) -> QuerySet[Signal]:
    queryset = references.annotate(Signal.objects.visible_to(user).select_related("threat"), user, "threat")
    if threat:
        queryset = references.filter_by(queryset, user, "threat", threat)
    return search.matching(queryset, q, ("name", "code", "region", "category")).order_by("name", "pk")


def alerts_for(
    user: Any, *, acknowledged: bool | None = None, signal: int | None = None, kind: str | None = None
) -> QuerySet[Alert]:
    queryset = Alert.objects.visible_to(user).select_related("signal__threat", "acknowledged_by")
    if acknowledged is not None:
        queryset = queryset.filter(acknowledged_at__isnull=not acknowledged)
    if signal:
        queryset = references.filter_by(queryset, user, "signal", signal)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-raised_at", "-pk")


def countermeasures_for(user: Any, threat: Threat) -> QuerySet[Countermeasure]:
    return Countermeasure.objects.visible_to(user).filter(threat=threat).order_by("pk")


def reports_for(user: Any) -> QuerySet[SituationReport]:
    return SituationReport.objects.visible_to(user).select_related("author")


def owners() -> QuerySet[Organization]:
    """The bodies a threat may be owned by (the directory is reference data)."""
    return Organization.objects.filter(is_active=True).order_by("name_en")  # policy: public reference directory


def instructions_for_countermeasures(user: Any, measures: Sequence[Countermeasure]) -> dict[int, list[Any]]:
    """The visible instructions aimed at each of the countermeasures, by countermeasure id (one query)."""
    from kenes.control.services import instructions_aimed_at_each

    return instructions_aimed_at_each(measures, user)


def instructions_for_subject(obj: models.Model, user: Any) -> list[Any]:
    """The instructions aimed at ``obj`` that the user may see (execution control's rule)."""
    from kenes.control.services import instructions_aimed_at

    return list(instructions_aimed_at(obj, user))
