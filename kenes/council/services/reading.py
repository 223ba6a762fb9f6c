"""What a user may see of the Council's records, filtered and sorted as the pages and the API ask."""

from __future__ import annotations

from django.db.models import QuerySet

from kenes.accounts.models import User
from kenes.core import references, search
from kenes.council.models import AgendaItem, AttendanceRecord, Decision, Meeting, Minutes, PlannedQuestion, Vote


def meetings_for(
    user: User,
    *,
    status: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    q: str | None = None,
    sort: str | None = None,
) -> QuerySet[Meeting]:
    """The sessions the user may see, filtered and sorted as the pages and the API ask."""
    queryset = Meeting.objects.visible_to(user).select_related("chair")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(date__year=year)
    queryset = search.matching(queryset, q, ("title", "place"))
    orders = {
        "date": ("date", "pk"),
        "-date": ("-date", "-pk"),
        "title": ("title", "pk"),
        "status": ("status", "-date"),
    }
    return queryset.order_by(*orders.get(sort or "-date", orders["-date"]))


def decisions_for(
    user: User,
    *,
    status: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    meeting: int | None = None,
    q: str | None = None,
    sort: str | None = None,
) -> QuerySet[Decision]:
    queryset = Decision.objects.visible_to(user).select_related("meeting", "signed_by")
    queryset = references.annotate(queryset, user, "meeting", "agenda_item", "amends")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(year=year)
    if meeting:
        queryset = references.filter_by(queryset, user, "meeting", meeting)
    queryset = search.matching(queryset, q, ("title", "number", "text"))
    orders = {
        "number": ("-year", "-sequence", "-pk"),
        "title": ("title", "pk"),
        "status": ("status", "-pk"),
        "-adopted": ("-adopted_at", "-pk"),
        "adopted": ("adopted_at", "pk"),
    }
    return queryset.order_by(*orders.get(sort or "number", orders["number"]))


def questions_for(user: User, *, year: int | None = None, status: str | None = None) -> QuerySet[PlannedQuestion]:
    queryset = PlannedQuestion.objects.visible_to(user).select_related("responsible", "planned_meeting")
    queryset = references.annotate(queryset, user, "planned_meeting")
    if year:
        queryset = queryset.filter(year=year)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("year", "quarter", "pk")


def items_for(user: User, meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.visible_to(user).filter(meeting=meeting).select_related("body").order_by("position", "pk")


def visible_minutes(user: User, meeting: Meeting) -> Minutes | None:
    return Minutes.objects.visible_to(user).filter(meeting=meeting).first()


def votes_of(decision: Decision) -> QuerySet[Vote]:
    """The votes on a decision the caller already may see (the decision is the access check)."""
    return decision.votes.select_related("member").order_by("member__last_name", "member__username")


def attendance_of(meeting: Meeting) -> QuerySet[AttendanceRecord]:
    """The attendance of a session the caller already may see (the session is the access check)."""
    return meeting.attendance.select_related("member").order_by("member__last_name", "member__username")
