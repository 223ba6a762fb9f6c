"""Actual values of indicators: entered by the responsible body or the apparatus, corrected with their
history kept, verified by an analyst. Every change re-evaluates its indicator at once and asks the
worker for its new forecast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import periods, policy
from kenes.core.services import service
from kenes.strategy.choices import MeasurementSource
from kenes.strategy.models import Indicator, Measurement, MeasurementRevision
from kenes.strategy.services import common, evaluation


def validate_measurement_period(indicator: Indicator, period: dt.date, field_name: str) -> None:
    """A measured period lies inside the document's span and has begun."""
    common.in_document(indicator, period, field_name)
    if period > periods.floor(common.today(), indicator.frequency):
        raise ValidationError({field_name: _("The period has not begun yet.")})


@service(named="enter")
def record_measurements(
    indicator: Indicator,
    *,
    actor: User,
    measurements: Sequence[tuple[Any, Any]],
    source: str = MeasurementSource.API,
) -> list[Measurement]:
    """Record actual values of an indicator, all or nothing.

    Each period must be a start of the indicator's frequency inside the document's span and must have
    begun; each value a finite, sane number; a period may appear once. A value for a period that has
    one already is a correction: the old value goes to the history and the verification is cleared."""
    policy.ensure(
        common.may_enter(actor, indicator),
        _("Only the responsible body's liaison officer or an analyst enters values."),
    )
    if not measurements:
        raise ValidationError({"measurements": _("Send at least one value.")})
    if len(measurements) > 1000:
        raise ValidationError({"measurements": _("Send at most 1000 values at once; import a file for more.")})
    rows: dict[dt.date, float] = {}
    for index, (raw_period, raw_value) in enumerate(measurements):
        where = f"measurements[{index}]"
        period = periods.parse(raw_period, indicator.frequency, field=f"{where}.period")
        validate_measurement_period(indicator, period, f"{where}.period")
        if period in rows:
            raise ValidationError({f"{where}.period": _("This period is given twice.")})
        rows[period] = common.finite(raw_value, f"{where}.value")
    now = timezone.now()
    # Writers of one indicator queue on its row, so two corrections of a period cannot both win.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk", flat=True).first()  # policy: a lock
    existing = {m.period: m for m in indicator.measurements.filter(period__in=list(rows))}
    saved = []
    for period, value in rows.items():
        measurement = existing.get(period)
        if measurement is None:
            measurement = Measurement.objects.create(
                indicator=indicator, period=period, value=value, source=source, entered_by=actor, entered_at=now
            )
        elif measurement.value != value:
            MeasurementRevision.objects.create(
                measurement=measurement,
                value=measurement.value,
                source=measurement.source,
                entered_by_id=measurement.entered_by_id,
                entered_at=measurement.entered_at,
                replaced_by=actor,
                replaced_at=now,
            )
            measurement.value, measurement.source, measurement.entered_by, measurement.entered_at = (
                value,
                source,
                actor,
                now,
            )
            measurement.verified_by, measurement.verified_at = None, None
            measurement.save()
        saved.append(measurement)
    evaluation.evaluate_soon([indicator.pk])  # the forecast is the worker's: the page answers at once
    return saved


@service(named="verify")
def verify_measurement(measurement: Measurement, *, actor: User) -> Measurement:
    """An analyst (or the secretary) confirms a value against its source."""
    policy.ensure(common.may_verify(actor), _("Only an analyst or the secretary verifies values."))
    measurement.verified_by, measurement.verified_at = actor, timezone.now()
    measurement.save(update_fields=["verified_by", "verified_at"])
    return measurement


# --- thresholds ------------------------------------------------------------------------------------
