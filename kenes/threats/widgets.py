from typing import Any

from django.http import HttpRequest

from kenes.core import policy
from kenes.threats import services


def sees_alerts(user: Any) -> bool:
    """The alerts page is for everyone who may read threats (a liaison sees his body's only)."""
    return policy.is_reader(user)


def alerts_widget(request: HttpRequest) -> dict[str, Any] | None:
    """The unacknowledged alerts the user may see: their count and the five newest (two queries)."""
    if not sees_alerts(request.user):
        return None
    open_alerts = services.alerts_for(request.user, acknowledged=False)
    return {"open_count": open_alerts.count(), "latest": list(open_alerts[:5])}
