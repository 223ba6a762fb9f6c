"""Dashboard widgets of the security core."""

from typing import Any

from django.http import HttpRequest

from kenes.core import audit, policy, queues


def audit_widget(request: HttpRequest) -> dict[str, Any] | None:
    """For audit readers: how many events of the log they may read, and the latest of them."""
    if not policy.may_read_audit(request.user):
        return None
    events = audit.events_visible_to(request.user)
    return {"total": events.count(), "latest": list(events.order_by("-seq")[:5])}


def queues_widget(request: HttpRequest) -> dict[str, Any] | None:
    """For the administrator: the age of each background queue (its oldest waiting and running task),
    so a stalled worker shows on his dashboard. Queue names, counts and times only: nothing classified."""
    if not queues.may_watch(request.user):
        return None
    return {"queues": queues.queue_ages()}
