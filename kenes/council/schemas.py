import datetime as dt

from ninja import Schema
from pydantic import Field

from kenes.core import references
from kenes.core.schemas import ApiDate, ApiTime, ClassificationSlug, ClassifiedOut, Id
from kenes.council.choices import (
    Attendance,
    DecisionKind,
    DecisionStatus,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    QuestionStatus,
    VoteChoice,
)


class MeetingOut(ClassifiedOut):
    title: str
    date: dt.date
    start_time: ApiTime | None
    place: str
    kind: MeetingKind
    status: MeetingStatus
    chair: int | None = Field(None, alias="chair_id")


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    date: ApiDate
    kind: MeetingKind = MeetingKind.REGULAR
    start_time: ApiTime | None = None
    place: str = Field("", max_length=300)
    chair: Id | None = None
    classification: str | None = ClassificationSlug


class MeetingPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    date: ApiDate | None = None
    kind: MeetingKind | None = None
    start_time: ApiTime | None = None
    place: str | None = Field(None, max_length=300)
    chair: Id | None = None
    status: MeetingStatus | None = None
    classification: str | None = ClassificationSlug
    reason: str | None = Field(
        None,
        max_length=2000,
        description="Why the session is held before its date (kept and audited); without one an early hold "
        "is recorded as made without a stated reason.",
    )


class MeetingFilter(Schema):
    status: MeetingStatus | None = None
    kind: MeetingKind | None = None
    year: int | None = Field(None, ge=1990, le=2100)
    q: str | None = Field(None, max_length=200)
    sort: str | None = Field(None, pattern=r"^-?(date|title|status)$")


class AgendaItemOut(ClassifiedOut):
    meeting: int = Field(..., alias="meeting_id")
    position: int
    title: str
    kind: ItemKind
    speaker: str
    body: int | None = Field(None, alias="body_id")
    description: str
    planned_question: int | None = references.id_field("the work plan question it comes from")

    @staticmethod
    def resolve_planned_question(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "planned_question")


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    kind: ItemKind = ItemKind.OTHER
    speaker: str = Field("", max_length=200, description="who speaks, if known (optional for every kind)")
    body: Id | None = Field(None, description="the body heard: required for `head_hearing`")
    description: str = Field("", max_length=20000)
    classification: str | None = ClassificationSlug


class AgendaItemPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=500)
    kind: ItemKind | None = None
    speaker: str | None = Field(None, max_length=200)
    body: Id | None = None
    description: str | None = Field(None, max_length=20000)
    classification: str | None = ClassificationSlug


class AgendaOrderIn(Schema):
    items: list[Id] = Field(..., max_length=500)


class AttendanceEntry(Schema):
    member: Id
    status: Attendance
    represented_by: str = Field("", max_length=200)


class AttendanceOut(Schema):
    member: int = Field(..., alias="member_id")
    member_name: str
    status: Attendance
    represented_by: str

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.display_name


class AttendanceIn(Schema):
    attendance: list[AttendanceEntry] = Field(..., max_length=200)


class DecisionOut(ClassifiedOut):
    meeting: int | None = references.id_field("the session")
    agenda_item: int | None = references.id_field("the agenda item")
    kind: DecisionKind
    title: str
    text: str
    number: str | None
    status: DecisionStatus
    adopted_at: dt.datetime | None
    signed_by: int | None = Field(None, alias="signed_by_id")
    amends: int | None = references.id_field("the decision it amends")

    @staticmethod
    def resolve_meeting(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "meeting")

    @staticmethod
    def resolve_agenda_item(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "agenda_item")

    @staticmethod
    def resolve_amends(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "amends")


class DecisionIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    text: str = Field(..., min_length=1, max_length=100000)
    kind: DecisionKind = DecisionKind.DECISION
    meeting: Id | None = Field(None, description="the session; with it, `agenda_item` is required")
    agenda_item: Id | None = Field(
        None,
        description="the agenda item decided on (required with `meeting`, and one of its items); "
        "the session is the item's. Without both, a decision outside a session",
    )
    amends: Id | None = None
    classification: str | None = ClassificationSlug


class DecisionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=500)
    text: str | None = Field(None, min_length=1, max_length=100000)
    kind: DecisionKind | None = None
    classification: str | None = ClassificationSlug


class DecisionFilter(Schema):
    status: DecisionStatus | None = None
    kind: DecisionKind | None = None
    year: int | None = Field(None, ge=1990, le=2100)
    meeting: Id | None = None
    q: str | None = Field(None, max_length=200)
    sort: str | None = Field(None, pattern=r"^-?(number|title|status|adopted)$")


class AdoptIn(Schema):
    reason: str | None = Field(
        None,
        max_length=2000,
        description="Why the decision is adopted before its session's date (kept and audited); without one an early "
        "adoption is recorded as made without a stated reason.",
    )


class DecisionWithdrawIn(Schema):
    note: str = Field("", max_length=5000)


class DecisionStatusIn(Schema):
    status: DecisionStatus
    note: str = Field("", max_length=5000)


class VoteEntry(Schema):
    member: Id
    choice: VoteChoice


class VotesIn(Schema):
    votes: list[VoteEntry] = Field(..., max_length=200)


class VoteOut(Schema):
    member: int = Field(..., alias="member_id")
    member_name: str
    choice: VoteChoice

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.display_name


class VoteResultOut(Schema):
    votes_for: int
    against: int
    abstain: int
    passed: bool
    votes: list[VoteOut]


class MinutesOut(ClassifiedOut):
    meeting: int = Field(..., alias="meeting_id")
    text: str
    status: str
    signed_by: int | None = Field(None, alias="signed_by_id")
    signed_at: dt.datetime | None


class MinutesDraftIn(Schema):
    classification: str | None = ClassificationSlug


class MinutesIn(Schema):
    text: str = Field(..., min_length=1, max_length=200000)


class QuestionOut(ClassifiedOut):
    year: int
    quarter: int
    title: str
    kind: ItemKind
    responsible: int = Field(..., alias="responsible_id")
    planned_meeting: int | None = references.id_field("the session it is planned for")

    @staticmethod
    def resolve_planned_meeting(obj, context) -> int | None:
        return references.readable_id(references.request_user(context), obj, "planned_meeting")

    status: QuestionStatus
    note: str


class QuestionIn(Schema):
    year: int = Field(..., ge=1990, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    title: str = Field(..., min_length=1, max_length=500)
    kind: ItemKind = ItemKind.OTHER
    responsible: Id
    planned_meeting: Id | None = None
    note: str = Field("", max_length=5000)
    classification: str | None = ClassificationSlug


class QuestionPatch(Schema):
    year: int | None = Field(None, ge=1990, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    title: str | None = Field(None, min_length=1, max_length=500)
    note: str | None = Field(None, max_length=5000)
    status: str | None = Field(None, pattern="^dropped$", description="only `dropped`: take it off the plan")


class ScheduleIn(Schema):
    meeting: Id


class QuestionFilter(Schema):
    year: int | None = Field(None, ge=1990, le=2100)
    status: QuestionStatus | None = None
