import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from kenes.accounts.models import Role, User
from kenes.control import services
from kenes.control.choices import OPEN_STATUSES, InstructionStatus
from kenes.core.http import AuthedRequest

BOARD_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.CONTROLLER, Role.ANALYST, Role.MEMBER, Role.AUDITOR)


def sees_board(user: Any) -> bool:
    return user.is_authenticated and user.role in BOARD_ROLES


def control_widget(request: HttpRequest) -> dict[str, Any] | None:
    """Overdue now and due this week, among the instructions the user may see (one query); nothing
    for a visitor who has not logged in."""
    if not isinstance(request.user, User):
        return None
    today = services.today()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    counts = (
        services.instructions_for(request.user)
        .order_by()
        .aggregate(
            overdue=Count("pk", filter=Q(status=InstructionStatus.OVERDUE)),
            due_this_week=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=week_end)),
            to_review=Count("pk", filter=Q(status=InstructionStatus.REPORTED)),
        )
    )
    return {**counts, "week_end": week_end, "board": sees_board(request.user)}


def decision_instructions(request: AuthedRequest, decision: Any) -> dict[str, Any]:
    """The instructions a decision gave (that the user may see), for the decision's page."""
    return {
        "template": "control/_decision_instructions.html",
        "decision": decision,
        "instructions": list(services.instructions_for(request.user, decision=decision.pk)[:200]),
        "may_issue": services.may_issue(request.user) and decision.status in ("adopted", "in_execution"),
    }
