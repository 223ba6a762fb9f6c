"""Dashboard widgets of the security core."""

from typing import Any

from django.http import HttpRequest

from kenes.core import policy, queues
from kenes.core.models import AuditEvent, AuditHead


def audit_widget(request: HttpRequest) -> dict[str, Any] | None:
    """For audit readers: the size of the log and its latest events they may see."""
    if not policy.may_read_audit(request.user):
        return None
    head = AuditHead.objects.filter(pk=1).first()
    latest = list(AuditEvent.objects.filter(policy.audit_visibility_q(request.user)).order_by("-seq")[:5])
    return {"total": head.seq if head else 0, "latest": latest}


def queues_widget(request: HttpRequest) -> dict[str, Any] | None:
    """For the administrator: the age of each background queue (its oldest waiting and running task),
    so a stalled worker shows on his dashboard. Queue names, counts and times only: nothing classified."""
    user = request.user
    if not (user.is_authenticated and user.is_active and getattr(user, "role", "") == "administrator"):
        return None
    return {"queues": queues.queue_ages()}
