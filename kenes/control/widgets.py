import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from kenes.accounts.models import Role
from kenes.control import services
from kenes.control.choices import OPEN_STATUSES, InstructionStatus

BOARD_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.CONTROLLER, Role.ANALYST, Role.MEMBER, Role.AUDITOR)


def sees_board(user: Any) -> bool:
    return user.is_authenticated and user.role in BOARD_ROLES


def control_widget(request: HttpRequest) -> dict[str, Any]:
    """Overdue now and due this week, among the instructions the user may see (one query)."""
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
