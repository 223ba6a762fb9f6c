"""Dashboard widgets of the security core."""

from typing import Any

from django.http import HttpRequest

from kenes.core import policy
from kenes.core.models import AuditEvent, AuditHead


def audit_widget(request: HttpRequest) -> dict[str, Any] | None:
    """For audit readers: the size of the log and its latest events they may see."""
    if not policy.may_read_audit(request.user):
        return None
    head = AuditHead.objects.filter(pk=1).first()
    latest = list(AuditEvent.objects.filter(policy.audit_visibility_q(request.user)).order_by("-seq")[:5])
    return {"total": head.seq if head else 0, "latest": latest}
