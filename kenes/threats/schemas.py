import datetime as dt

from ninja import Schema
from pydantic import Field

from kenes.core import references
from kenes.core.periods import Frequency
from kenes.core.schemas import ClassificationSlug, ClassifiedOut, Id
from kenes.threats.choices import AlertKind, CountermeasureStatus, Domain, Scope, Trend


class ThreatOut(ClassifiedOut):
    title: str
    domain: Domain
    scope: Scope
    description: str
    likelihood: int
    impact: int
    trend: Trend
    owner: int = Field(..., alias="owner_id")


class ThreatIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    domain: Domain
    scope: Scope
    likelihood: int = Field(..., ge=1, le=5)
    impact: int = Field(..., ge=1, le=5)
    owner: Id | None = Field(None, description="the body that owns the threat; by default the author's body")
    description: str = Field("", max_length=20000)
    trend: Trend = Trend.STABLE
    classification: str | None = ClassificationSlug


class ThreatFilter(Schema):
    domain: Domain | None = None
    scope: Scope | None = None
    owner: Id | None = None
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    q: str | None = Field(None, max_length=200)


class ReassessmentIn(Schema):
    likelihood: int = Field(..., ge=1, le=5)
    impact: int = Field(..., ge=1, le=5)
    trend: Trend
    reason: str = Field(..., min_length=1, max_length=5000)


class AssessmentOut(Schema):
    old_likelihood: int | None
    new_likelihood: int
    old_impact: int | None
    new_impact: int
    old_trend: str
    new_trend: str
    reason: str
    assessed_by: int | None = Field(None, alias="assessed_by_id")
    assessed_at: dt.datetime


class CountermeasureOut(ClassifiedOut):
    threat: int = Field(..., alias="threat_id")
    title: str
    status: CountermeasureStatus
    expected_effect: str


class CountermeasureIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    expected_effect: str = Field("", max_length=20000)
    status: CountermeasureStatus = CountermeasureStatus.PLANNED
    classification: str | None = ClassificationSlug


class CountermeasurePatch(Schema):
    status: CountermeasureStatus


class SignalOut(ClassifiedOut):
    code: str
    name: str
    unit: str
    frequency: Frequency
    threat: int | None = references.id_field("the threat it watches")
    lower_threshold: float | None
    upper_threshold: float | None
    alert_threshold: bool
    alert_outside_interval: bool
    alert_forecast_crossing: bool
    region: str
    category: str

    @staticmethod
    def resolve_threat(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "threat")


class SignalIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    unit: str = Field(..., min_length=1, max_length=60)
    frequency: Frequency = Frequency.MONTHLY
    threat: Id | None = None
    code: str = Field(
        "",
        description="up to 80 letters, digits, `-` or `_`, unique among all signals; imports name signals by it. "
        "By default made from the name: its slug and six random hex digits, e.g. `seizures-3f9a1c`. A code "
        "that cannot be used is refused "
        "with one message, whatever the reason",
    )
    lower_threshold: float | None = Field(None, allow_inf_nan=False)
    upper_threshold: float | None = Field(None, allow_inf_nan=False)
    alert_threshold: bool = True
    alert_outside_interval: bool = True
    alert_forecast_crossing: bool = True
    region: str = Field("", max_length=200)
    category: str = Field("", max_length=200)
    classification: str | None = ClassificationSlug


class SignalFilter(Schema):
    threat: Id | None = None
    q: str | None = Field(None, max_length=200)


class ObservationOut(Schema):
    period: dt.date
    value: float


class ObservationItem(Schema):
    period: str = Field(..., max_length=40, description="the first day of the period, YYYY-MM-DD")
    value: float = Field(..., allow_inf_nan=False)


class ObservationsIn(Schema):
    observations: list[ObservationItem] = Field(..., min_length=1, max_length=10_000)


class RecordedOut(Schema):
    created: int
    updated: int


class ForecastPointOut(Schema):
    period: dt.date
    mean: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


class BacktestOut(Schema):
    mase: float
    interval_score: float = Field(..., description="mean interval score of the 95% interval; lower is better")
    coverage95: float
    windows: int
    window_length: int


class ForecastOut(Schema):
    id: int
    signal: int = Field(..., alias="signal_id")
    model: str
    horizon: int
    created_at: dt.datetime
    last_period: dt.date
    points: list[ForecastPointOut]
    backtest: BacktestOut
    baseline: BacktestOut = Field(..., description="the same scores of the seasonal-naive forecast")

    @staticmethod
    def resolve_backtest(obj) -> dict:
        return {
            "mase": obj.mase,
            "interval_score": obj.interval_score,
            "coverage95": obj.coverage95,
            "windows": obj.windows,
            "window_length": obj.backtest_horizon,
        }

    @staticmethod
    def resolve_baseline(obj) -> dict:
        return {
            "mase": obj.baseline_mase,
            "interval_score": obj.baseline_interval_score,
            "coverage95": obj.baseline_coverage95,
            "windows": obj.windows,
            "window_length": obj.backtest_horizon,
        }


class ForecastIn(Schema):
    horizon: int = Field(12, ge=1, le=1000, description="periods ahead; at most two seasons (at least 8)")


class AlertOut(ClassifiedOut):
    signal: int = Field(..., alias="signal_id")
    kind: AlertKind
    cause: str
    period: dt.date | None
    value: float | None
    message: str = Field(description="in the caller's language", alias="text")
    raised_at: dt.datetime
    acknowledged: bool
    acknowledged_at: dt.datetime | None
    acknowledged_by: int | None = Field(None, alias="acknowledged_by_id")
    comment: str


class AlertFilter(Schema):
    acknowledged: bool | None = None
    signal: Id | None = None
    kind: AlertKind | None = None
    domain: Domain | None = None  # of the signal's threat
    owner: Id | None = None  # the body owning the signal's threat


class AcknowledgeIn(Schema):
    comment: str = Field(..., min_length=1, max_length=5000)


class MatrixOut(Schema):
    likelihood: list[int]
    impact: list[int]
    counts: list[list[int]] = Field(..., description="rows by likelihood 5..1, columns by impact 1..5")
