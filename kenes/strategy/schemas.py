import datetime as dt

from ninja import Schema
from pydantic import Field

from kenes.core import references
from kenes.core.schemas import ClassificationSlug, ClassifiedOut, Id, Period
from kenes.strategy.choices import Direction, DocumentKind, DocumentStatus, EvaluationStatus, IndicatorFrequency


class DocumentOut(ClassifiedOut):
    title: str
    kind: DocumentKind
    period_start: dt.date
    period_end: dt.date
    owner: int = Field(..., alias="owner_id")
    parent: int | None = references.id_field("the parent document")
    status: DocumentStatus
    description: str

    @staticmethod
    def resolve_parent(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "parent")


class DocumentIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    kind: DocumentKind
    period_start: Period
    period_end: Period
    owner: Id
    parent: Id | None = None
    status: DocumentStatus = DocumentStatus.IN_FORCE
    description: str = Field("", max_length=20000)
    classification: str | None = ClassificationSlug


class DocumentFilter(Schema):
    kind: DocumentKind | None = None
    q: str | None = Field(None, max_length=200)


class GoalOut(ClassifiedOut):
    document: int = Field(..., alias="document_id")
    parent: int | None = references.id_field("the parent goal")
    title: str
    weight: float
    position: int

    @staticmethod
    def resolve_parent(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "parent")


class GoalIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    weight: float = Field(1.0, gt=0, le=1000)
    parent: Id | None = None
    classification: str | None = ClassificationSlug


class TargetIO(Schema):
    period: Period
    value: float


class IndicatorOut(ClassifiedOut):
    document: int = Field(..., alias="document_id")
    goal: int | None = references.id_field("the goal")
    code: str
    name: str
    unit: str
    direction: Direction
    frequency: IndicatorFrequency
    baseline: float = Field(..., alias="baseline_value")
    baseline_period: dt.date
    targets: list[TargetIO]
    responsible: int = Field(..., alias="responsible_id")
    data_source: str
    weight: float
    status: EvaluationStatus

    @staticmethod
    def resolve_goal(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "goal")

    @staticmethod
    def resolve_targets(obj) -> list[dict]:
        return [{"period": t.period, "value": t.value} for t in obj.targets.all()]

    @staticmethod
    def resolve_status(obj) -> str:
        evaluation = getattr(obj, "evaluation", None)
        return evaluation.status if evaluation is not None else EvaluationStatus.NO_DATA


class IndicatorIn(Schema):
    document: Id
    goal: Id | None = None
    code: str | None = Field(
        None,
        description="1 to 40 characters without spaces, unique among all indicators (case-insensitive); imports "
        "name indicators by it. By default `D<document id>-<6 random hex digits>`, e.g. `D12-3F9A1C`. A code "
        "that cannot be used is refused with one message, whatever the reason",
    )
    name: str = Field(..., min_length=1, max_length=500)
    unit: str = Field(..., max_length=60)
    direction: Direction = Direction.INCREASE
    frequency: IndicatorFrequency = IndicatorFrequency.ANNUAL
    baseline: float
    baseline_period: Period | None = Field(
        None,
        description="the period of the baseline (its first day); by default the period before the first target, "
        "or before the document's first period when there are no targets",
    )
    targets: list[TargetIO] = Field(default_factory=list, max_length=1000)
    responsible: Id
    data_source: str = Field("", max_length=300)
    weight: float = Field(1.0, gt=0, le=1000)
    classification: str | None = ClassificationSlug


class IndicatorPatch(Schema):
    baseline: float | None = None
    baseline_period: Period | None = None
    weight: float | None = Field(None, gt=0, le=1000)
    name: str | None = Field(None, min_length=1, max_length=500)
    unit: str | None = Field(None, max_length=60)
    data_source: str | None = Field(None, max_length=300)
    targets: list[TargetIO] | None = Field(None, max_length=1000)


class IndicatorFilter(Schema):
    document: Id | None = None
    goal: Id | None = None
    responsible: Id | None = None
    status: EvaluationStatus | None = None
    q: str | None = Field(None, max_length=200)


class RevisionOut(Schema):
    value: float
    source: str
    entered_at: dt.datetime
    replaced_at: dt.datetime


class MeasurementOut(Schema):
    id: int
    indicator: int = Field(..., alias="indicator_id")
    period: dt.date
    value: float
    source: str
    entered_at: dt.datetime
    verified: bool
    verified_at: dt.datetime | None
    revisions: list[RevisionOut]

    @staticmethod
    def resolve_verified(obj) -> bool:
        return obj.verified_at is not None

    @staticmethod
    def resolve_revisions(obj) -> list:
        return list(obj.revisions.all())


class MeasurementsIn(Schema):
    measurements: list[TargetIO] = Field(..., min_length=1, max_length=1000)


class IndicatorForecastPointOut(Schema):
    period: dt.date
    mean: float
    lo95: float
    hi95: float


class EvaluationOut(Schema):
    indicator: int = Field(..., alias="indicator_id")
    period: dt.date | None
    actual: float | None
    target: float | None
    achievement: float | None
    status: EvaluationStatus
    final_period: dt.date | None
    final_target: float | None
    forecast_end_value: float | None
    forecast_lo95: float | None
    forecast_hi95: float | None
    probability: float | None = Field(None, description="probability that the final target is met")
    forecast_model: str
    forecast_note: str = Field(
        description="why there is no forecast, in the caller's language", alias="forecast_note_shown"
    )
    forecast_points: list[IndicatorForecastPointOut]
    evaluated_at: dt.datetime
    forecast_at: dt.datetime | None = Field(None, description="when the forecast shown was computed")
    forecast_requested_at: dt.datetime | None = Field(None, description="when a recomputation was last asked for")
    forecast_pending: bool = Field(False, description="the worker is recomputing the forecast")


class RollupGoalOut(Schema):
    id: int
    title: str
    parent: int | None
    score: float | None
    status: EvaluationStatus
    counts: dict[str, int]


class DocumentEvaluationOut(Schema):
    document: int
    score: float | None
    status: EvaluationStatus
    counts: dict[str, int]
    goals: list[RollupGoalOut]


class EvaluationReportOut(ClassifiedOut):
    document: int = Field(..., alias="document_id")
    period: dt.date
    title: str
    conclusion: str
    recommendations: str
    figures: dict
    author: int = Field(..., alias="author_id")
    agenda_item: int | None = references.id_field("the agenda item it was put on")

    @staticmethod
    def resolve_agenda_item(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "agenda_item")


class EvaluationReportIn(Schema):
    period: Period
    conclusion: str = Field(..., min_length=1, max_length=50000)
    recommendations: str = Field("", max_length=50000)
    title: str = Field("", max_length=500)
    classification: str | None = ClassificationSlug


class AgendaIn(Schema):
    meeting: Id


class ThresholdsIO(Schema):
    achieved: float
    on_track: float
    at_risk: float


class ImportStartedOut(Schema):
    id: int
    status: str
    url: str
