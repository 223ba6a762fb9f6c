from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from kenes.accounts.models import User
from kenes.council import services
from kenes.council.choices import DecisionStatus, MeetingStatus


def sessions_widget(request: HttpRequest) -> dict[str, Any] | None:
    """The next sessions and the latest decisions the user may see."""
    if not isinstance(request.user, User):
        return None
    today = timezone.localdate()
    upcoming = list(
        services.meetings_for(request.user, sort="date")
        .filter(date__gte=today)
        .exclude(status=MeetingStatus.MINUTES_SIGNED)[:3]
    )
    decisions = list(
        services.decisions_for(request.user).exclude(status__in=(DecisionStatus.DRAFT, DecisionStatus.WITHDRAWN))[:3]
    )
    if not upcoming and not decisions and request.user.is_liaison:
        return None
    return {"upcoming": upcoming, "decisions": decisions}
