import datetime as dt

from ninja import Schema
from pydantic import Field

from kenes.control.choices import ExtensionStatus, InstructionStatus, Periodicity, ReportOutcome, Urgency
from kenes.core import references, subjects
from kenes.core.schemas import ApiDate, ClassificationSlug, ClassifiedOut, Id, Period


class SubjectRef(Schema):
    type: str = Field(..., min_length=1, max_length=40, description="indicator, threat, countermeasure, ...")
    id: Id


class InstructionOut(ClassifiedOut):
    number: str
    decision: int | None = references.id_field("the decision that gave it")
    text: str
    lead_executor: int = Field(..., alias="lead_executor_id")
    co_executors: list[int]
    controller: int = Field(..., alias="controller_id")
    urgency: Urgency
    periodicity: Periodicity
    report_day: int | None
    period_start: dt.date | None
    period_end: dt.date | None
    issued_on: dt.date
    due_date: dt.date
    status: InstructionStatus
    executed_on: dt.date | None
    returned_count: int
    subject: SubjectRef | None = Field(None, description="what the instruction is aimed at, if anything")

    @staticmethod
    def resolve_decision(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "decision")

    @staticmethod
    def resolve_subject(obj, context) -> dict | None:
        return subjects.visible_ref(context["request"], obj)

    @staticmethod
    def resolve_co_executors(obj) -> list[int]:
        return sorted(e.organization_id for e in obj.executors.all() if not e.is_lead)


class InstructionIn(Schema):
    text: str = Field(..., min_length=1, max_length=20000)
    lead_executor: Id
    co_executors: list[Id] = Field(default_factory=list, max_length=100)
    controller: Id | None = Field(
        None,
        description="the user who keeps it under control; by default the author, if his role may control instructions",
    )
    decision: Id | None = None
    subject: SubjectRef | None = None
    urgency: Urgency = Urgency.ORDINARY
    due_date: ApiDate | None = None
    periodicity: Periodicity = Periodicity.NONE
    report_day: int | None = Field(None, ge=1, le=28)
    period_end: Period | None = None
    classification: str | None = ClassificationSlug


class InstructionPatch(Schema):
    status: str = Field(..., pattern="^withdrawn$", description="only `withdrawn`, with a reason (the secretary)")
    reason: str = Field(..., min_length=1, max_length=5000)


class ControllerIn(Schema):
    controller: Id = Field(..., description="the user who controls the instruction from now on")


class InstructionFilter(Schema):
    status: InstructionStatus | None = None
    executor: Id | None = None
    overdue: bool | None = None
    controller: Id | None = None
    decision: Id | None = None
    q: str | None = Field(None, max_length=200)
    figure: str | None = Field(None, pattern="^(received|on_time|late|overdue|returned)$")
    issued_from: ApiDate | None = None
    issued_to: ApiDate | None = None
    sort: str | None = Field(None, pattern=r"^(due|-due|issued|number|status)$")


class ExecutionReportOut(ClassifiedOut):
    instruction: int = Field(..., alias="instruction_id")
    organization: int = Field(..., alias="organization_id")
    text: str
    submitted_at: dt.datetime
    submitted_by: int = Field(..., alias="submitted_by_id")
    period_start: dt.date | None
    outcome: ReportOutcome
    review_comment: str
    reviewed_at: dt.datetime | None


class ExecutionReportIn(Schema):
    text: str = Field(..., min_length=1, max_length=50000)


class ReviewIn(Schema):
    outcome: str = Field(..., pattern="^(accept|return)$")
    comment: str = Field("", max_length=5000)


class ExtensionIn(Schema):
    due_date: ApiDate
    reason: str = Field(..., min_length=1, max_length=5000)


class ExtensionOut(Schema):
    id: int
    instruction: int = Field(..., alias="instruction_id")
    requested_due_date: dt.date
    reason: str
    status: ExtensionStatus
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    comment: str


class ExtensionDecisionIn(Schema):
    approve: bool
    comment: str = Field("", max_length=5000)


class DeadlineChangeOut(Schema):
    kind: str
    old_due_date: dt.date | None
    new_due_date: dt.date
    moved_from: dt.date | None = Field(
        None, description="the date asked for, when it was a day off and the due date moved to the working day before"
    )
    reason: str
    changed_at: dt.datetime


class DisciplineFigures(Schema):
    received: int
    on_time: int
    late: int
    overdue: int
    returned: int
    average_delay_days: float | None
    on_time_share: float | None


class DisciplineRow(DisciplineFigures):
    organization: int
    name: str


class DisciplineMonth(DisciplineFigures):
    month: dt.date


class DisciplineOut(Schema):
    issued_from: dt.date
    issued_to: dt.date
    total: DisciplineFigures
    by_body: list[DisciplineRow]
    monthly: list[DisciplineMonth]


class DisciplineQuery(Schema):
    issued_from: ApiDate
    issued_to: ApiDate


class CalendarDayOut(Schema):
    date: dt.date
    is_working: bool
    name: str = Field(description="the public holiday's name, if any")
    note: str = Field(description="the grounds of the secretary's correction, if any")
    corrected: bool


class CalendarCorrectionIn(Schema):
    date: ApiDate
    is_working: bool
    note: str = Field("", max_length=200)
