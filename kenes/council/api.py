"""API of Council sessions: meetings, agenda items, attendance, decisions, votes, minutes, work plan."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from kenes.accounts.models import User
from kenes.core import policy
from kenes.core.classification import level_from_input
from kenes.core.http import AuthedRequest, download
from kenes.core.schemas import ERRORS, Id, Pagination
from kenes.council import calendar, services
from kenes.council.models import AgendaItem, Decision, Meeting, Minutes, PlannedQuestion
from kenes.council.schemas import (
    AdoptIn,
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    AgendaOrderIn,
    AttendanceIn,
    AttendanceOut,
    DecisionFilter,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    DecisionStatusIn,
    DecisionWithdrawIn,
    MeetingFilter,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MinutesDraftIn,
    MinutesIn,
    MinutesOut,
    QuestionFilter,
    QuestionIn,
    QuestionOut,
    QuestionPatch,
    ScheduleIn,
    VoteResultOut,
    VotesIn,
)
from kenes.directory.models import Organization

router = Router(tags=["council"])


def _chair(user_id: int | None) -> User | None:
    """The member who chairs a session; someone who does not sit on the Council is invalid input."""
    if user_id is None:
        return None
    chair = services.council_members().filter(pk=user_id).first()
    if chair is None:
        raise ValidationError({"chair": _("Not a member of the Council.")})
    return chair


# --- meetings ------------------------------------------------------------------------------------


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, summary="Sessions the caller may see")
@paginate(Pagination)
def list_meetings(request: AuthedRequest, filters: Query[MeetingFilter]):
    return services.meetings_for(request.user, **filters.dict())


@router.post("/meetings", response={201: MeetingOut, **ERRORS}, summary="Plan a session")
def create_meeting(request: AuthedRequest, data: MeetingIn):
    meeting = services.create_meeting(
        actor=request.user,
        title=data.title,
        date=data.date,
        kind=data.kind,
        place=data.place,
        start_time=data.start_time,
        chair=_chair(data.chair),
        classification=level_from_input(data.classification),
    )
    return Status(201, meeting)


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, summary="A session")
def get_meeting(request: AuthedRequest, meeting_id: Id):
    return policy.read_or_404(Meeting.objects, request.user, pk=meeting_id)


@router.patch(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **ERRORS},
    summary="Change a session or move its status on (planned → agenda_approved → held → minutes_signed)",
)
def patch_meeting(request: AuthedRequest, meeting_id: Id, data: MeetingPatch):
    meeting = policy.read_or_404(Meeting.objects, request.user, pk=meeting_id)
    changes = data.dict(exclude_unset=True)
    if "chair" in changes:
        changes["chair"] = _chair(changes["chair"])
    if "classification" in changes:
        changes["classification"] = level_from_input(changes["classification"])
    return services.update_meeting(meeting, actor=request.user, **changes)


@router.get("/meetings/{meeting_id}/agenda-items", response={200: list[AgendaItemOut], **ERRORS}, summary="Agenda")
@paginate(Pagination)
def list_agenda_items(request: AuthedRequest, meeting_id: Id):
    return services.items_for(request.user, policy.read_or_404(Meeting.objects, request.user, pk=meeting_id))


@router.post("/meetings/{meeting_id}/agenda-items", response={201: AgendaItemOut, **ERRORS}, summary="Add an item")
def add_agenda_item(request: AuthedRequest, meeting_id: Id, data: AgendaItemIn):
    item = services.add_agenda_item(
        policy.read_or_404(Meeting.objects, request.user, pk=meeting_id),
        actor=request.user,
        title=data.title,
        kind=data.kind,
        speaker=data.speaker,
        body=policy.read_or_404(Organization.objects, request.user, pk=data.body) if data.body is not None else None,
        description=data.description,
        classification=level_from_input(data.classification),
    )
    return Status(201, item)


@router.post(
    "/meetings/{meeting_id}/agenda-items/order",
    response={200: list[AgendaItemOut], **ERRORS},
    summary="Reorder the agenda (every item id, in the new order)",
)
def reorder_agenda(request: AuthedRequest, meeting_id: Id, data: AgendaOrderIn):
    return services.reorder_agenda(
        policy.read_or_404(Meeting.objects, request.user, pk=meeting_id), data.items, actor=request.user
    )


@router.get("/agenda-items/{item_id}", response={200: AgendaItemOut, **ERRORS}, summary="An agenda item")
def get_agenda_item(request: AuthedRequest, item_id: Id):
    return policy.read_or_404(AgendaItem.objects, request.user, pk=item_id)


@router.patch("/agenda-items/{item_id}", response={200: AgendaItemOut, **ERRORS}, summary="Change an agenda item")
def patch_agenda_item(request: AuthedRequest, item_id: Id, data: AgendaItemPatch):
    item = policy.read_or_404(AgendaItem.objects.select_related("meeting"), request.user, pk=item_id)
    changes = data.dict(exclude_unset=True)
    if "body" in changes:
        body = changes["body"]
        changes["body"] = policy.read_or_404(Organization.objects, request.user, pk=body) if body is not None else None
    if "classification" in changes:
        changes["classification"] = level_from_input(changes["classification"])
    return services.update_agenda_item(item, actor=request.user, **changes)


@router.delete("/agenda-items/{item_id}", response={204: None, **ERRORS}, summary="Remove an agenda item")
def delete_agenda_item(request: AuthedRequest, item_id: Id):
    item = policy.read_or_404(AgendaItem.objects.select_related("meeting"), request.user, pk=item_id)
    services.remove_agenda_item(item, actor=request.user)
    return Status(204, None)


@router.get("/meetings/{meeting_id}/attendance", response={200: list[AttendanceOut], **ERRORS}, summary="Attendance")
def get_attendance(request: AuthedRequest, meeting_id: Id):
    return list(services.attendance_of(policy.read_or_404(Meeting.objects, request.user, pk=meeting_id)))


@router.put("/meetings/{meeting_id}/attendance", response={200: list[AttendanceOut], **ERRORS}, summary="Record it")
def put_attendance(request: AuthedRequest, meeting_id: Id, data: AttendanceIn):
    meeting = policy.read_or_404(Meeting.objects, request.user, pk=meeting_id)
    services.record_attendance(meeting, [e.dict() for e in data.attendance], actor=request.user)
    return list(services.attendance_of(meeting))


@router.get("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS}, summary="The minutes")
def get_minutes(request: AuthedRequest, meeting_id: Id):
    return policy.read_or_404(
        Minutes.objects, request.user, meeting=meeting_id, meeting__in=Meeting.objects.visible_to(request.user)
    )


@router.post(
    "/meetings/{meeting_id}/minutes",
    response={201: MinutesOut, **ERRORS},
    summary="Draft the minutes (again), at the session's level or the one given",
    description="The minutes hold only the agenda items and decisions at or below their own level. Give a higher "
    "`classification` (never above your clearance) to include higher ones: the draft is composed again.",
)
def draft_minutes(request: AuthedRequest, meeting_id: Id, data: MinutesDraftIn | None = None):
    level = level_from_input(data.classification) if data is not None else None
    return Status(
        201,
        services.draft_minutes(
            policy.read_or_404(Meeting.objects, request.user, pk=meeting_id), actor=request.user, classification=level
        ),
    )


@router.put("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS}, summary="Edit the minutes")
def edit_minutes(request: AuthedRequest, meeting_id: Id, data: MinutesIn):
    minutes = policy.read_or_404(
        Minutes.objects, request.user, meeting=meeting_id, meeting__in=Meeting.objects.visible_to(request.user)
    )
    return services.edit_minutes(minutes, data.text, actor=request.user)


@router.post("/meetings/{meeting_id}/minutes/sign", response={200: MinutesOut, **ERRORS}, summary="Sign the minutes")
def sign_minutes(request: AuthedRequest, meeting_id: Id):
    minutes = policy.read_or_404(
        Minutes.objects, request.user, meeting=meeting_id, meeting__in=Meeting.objects.visible_to(request.user)
    )
    return services.sign_minutes(minutes, actor=request.user)


@router.get(
    "/calendar.ics",
    response=ERRORS,
    summary="iCalendar feed of the sessions the caller may see",
    openapi_extra={
        "responses": {
            "200": {
                "description": "an iCalendar document",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def calendar_feed(request: AuthedRequest):
    meetings = calendar.meetings(request.user)
    content = calendar.feed(meetings)
    return download(
        content, content_type=calendar.CONTENT_TYPE, filename="kenes-sessions.ics", user=request.user, about=meetings
    )


# --- decisions -----------------------------------------------------------------------------------


@router.get("/decisions", response={200: list[DecisionOut], **ERRORS}, summary="Decisions the caller may see")
@paginate(Pagination)
def list_decisions(request: AuthedRequest, filters: Query[DecisionFilter]):
    return services.decisions_for(request.user, **filters.dict())


@router.post("/decisions", response={201: DecisionOut, **ERRORS}, summary="Draft a decision or recommendation")
def create_decision(request: AuthedRequest, data: DecisionIn):
    item = None
    if data.agenda_item is not None:
        items = AgendaItem.objects.visible_to(request.user).select_related("meeting")
        item = policy.read_or_404(items, request.user, pk=data.agenda_item)
    meeting = policy.read_or_404(Meeting.objects, request.user, pk=data.meeting) if data.meeting else None
    amends = policy.read_or_404(Decision.objects, request.user, pk=data.amends) if data.amends is not None else None
    decision = services.draft_decision(
        actor=request.user,
        title=data.title,
        text=data.text,
        kind=data.kind,
        meeting=meeting,
        agenda_item=item,
        amends=amends,
        classification=level_from_input(data.classification),
    )
    return Status(201, decision)


@router.get("/decisions/{decision_id}", response={200: DecisionOut, **ERRORS}, summary="A decision")
def get_decision(request: AuthedRequest, decision_id: Id):
    return policy.read_or_404(Decision.objects, request.user, pk=decision_id)


@router.patch("/decisions/{decision_id}", response={200: DecisionOut, **ERRORS}, summary="Edit a draft decision")
def patch_decision(request: AuthedRequest, decision_id: Id, data: DecisionPatch):
    changes = data.dict(exclude_unset=True)
    if "classification" in changes:
        changes["classification"] = level_from_input(changes["classification"])
    return services.update_decision(
        policy.read_or_404(Decision.objects, request.user, pk=decision_id), actor=request.user, **changes
    )


def _votes_out(decision: Decision) -> dict:
    result = services.vote_result(decision)
    return {
        "votes_for": result.votes_for,
        "against": result.against,
        "abstain": result.abstain,
        "passed": result.passed,
        "votes": list(services.votes_of(decision)),
    }


@router.get("/decisions/{decision_id}/votes", response={200: VoteResultOut, **ERRORS}, summary="The vote record")
def get_votes(request: AuthedRequest, decision_id: Id):
    return _votes_out(policy.read_or_404(Decision.objects, request.user, pk=decision_id))


@router.post("/decisions/{decision_id}/votes", response={200: VoteResultOut, **ERRORS}, summary="Record votes")
def post_votes(request: AuthedRequest, decision_id: Id, data: VotesIn):
    decision = policy.read_or_404(Decision.objects, request.user, pk=decision_id)
    services.record_votes(decision, [v.dict() for v in data.votes], actor=request.user)
    return _votes_out(decision)


@router.post(
    "/decisions/{decision_id}/adopt",
    response={200: DecisionOut, **ERRORS},
    summary="Adopt and sign",
    description="Before the session's date a `reason` may be given (kept and audited); without one the early "
    "adoption is recorded as made without a stated reason (the contract requires no new field).",
)
def adopt_decision(request: AuthedRequest, decision_id: Id, data: AdoptIn | None = None):
    return services.adopt_decision(
        policy.read_or_404(Decision.objects, request.user, pk=decision_id),
        actor=request.user,
        reason=data.reason if data is not None else None,
    )


@router.post(
    "/decisions/{decision_id}/withdraw",
    response={200: DecisionOut, **ERRORS},
    summary="Withdraw a draft decision",
)
def withdraw_decision(request: AuthedRequest, decision_id: Id, data: DecisionWithdrawIn | None = None):
    return services.withdraw_decision(
        policy.read_or_404(Decision.objects, request.user, pk=decision_id),
        actor=request.user,
        note=data.note if data is not None else "",
    )


@router.post("/decisions/{decision_id}/status", response={200: DecisionOut, **ERRORS}, summary="Move a decision on")
def decision_status(request: AuthedRequest, decision_id: Id, data: DecisionStatusIn):
    return services.change_decision_status(
        policy.read_or_404(Decision.objects, request.user, pk=decision_id),
        data.status,
        actor=request.user,
        note=data.note,
    )


# --- work plan -----------------------------------------------------------------------------------


@router.get("/work-plan", response={200: list[QuestionOut], **ERRORS}, summary="Questions of the work plan")
@paginate(Pagination)
def list_questions(request: AuthedRequest, filters: Query[QuestionFilter]):
    return services.questions_for(request.user, **filters.dict())


@router.post("/work-plan", response={201: QuestionOut, **ERRORS}, summary="Plan a question")
def create_question(request: AuthedRequest, data: QuestionIn):
    meeting = (
        policy.read_or_404(Meeting.objects, request.user, pk=data.planned_meeting) if data.planned_meeting else None
    )
    question = services.plan_question(
        actor=request.user,
        year=data.year,
        quarter=data.quarter,
        title=data.title,
        kind=data.kind,
        responsible=policy.read_or_404(Organization.objects, request.user, pk=data.responsible),
        planned_meeting=meeting,
        note=data.note,
        classification=level_from_input(data.classification),
    )
    return Status(201, question)


@router.patch("/work-plan/{question_id}", response={200: QuestionOut, **ERRORS}, summary="Move or drop a question")
def patch_question(request: AuthedRequest, question_id: Id, data: QuestionPatch):
    question = policy.read_or_404(PlannedQuestion.objects, request.user, pk=question_id)
    changes = data.dict(exclude_unset=True)
    if changes.pop("status", None) == "dropped":
        return services.drop_question(question, actor=request.user, note=changes.get("note") or "")
    return services.update_question(question, actor=request.user, **changes)


@router.post(
    "/work-plan/{question_id}/schedule", response={201: AgendaItemOut, **ERRORS}, summary="Put it on an agenda"
)
def schedule_question(request: AuthedRequest, question_id: Id, data: ScheduleIn):
    question = policy.read_or_404(PlannedQuestion.objects, request.user, pk=question_id)
    return Status(
        201,
        services.schedule_question(
            question, policy.read_or_404(Meeting.objects, request.user, pk=data.meeting), actor=request.user
        ),
    )
