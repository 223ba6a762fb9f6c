"""Notifications: recorded once per user and event, shown in the app, e-mailed by a background task."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kenes.core.classification import Classification
from kenes.core.models import Notification


def notify(
    user: Any, *, key: str, kind: str, title: str, body: str = "", url: str = "", classification: int = 0
) -> Notification | None:
    """Notify ``user`` of the event ``key`` unless he already was; the e-mail goes after the commit.

    Returns the new notification, or ``None`` when this event was notified before (or the user is
    inactive). A user is not told of a record above his clearance."""
    if not user.is_active or classification > user.clearance:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                key=key[:200],
                kind=kind,
                title=title[:300],
                body=body,
                url=url[:300],
                classification=classification,
            )
    except IntegrityError:
        return None
    if user.email:
        from kenes.core.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first, through the visibility policy."""
    return Notification.objects.visible_to(user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def mark_read(user: Any, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or those named) as read; returns how many changed.

    One bulk update, audited by one event naming the notifications, in the same transaction."""
    from kenes.core import audit
    from kenes.core.models import AuditEvent

    queryset = inbox(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    with transaction.atomic():
        rows = list(queryset.select_for_update().values_list("pk", "classification"))
        if not rows:
            return 0
        ids = [pk for pk, _level in rows]
        now = timezone.now()
        marked = Notification.objects.filter(pk__in=ids).update(read_at=now)
        audit.record(
            AuditEvent.Action.UPDATE,
            actor=user,
            object_type="core.notification",
            object_repr=f"{marked} notifications marked read",
            classification=max(level for _pk, level in rows),
            changes={"read_at": [None, now.isoformat()], "ids": ids[:500]},
        )
    return marked


def email_text(notification: Notification) -> tuple[str, str]:
    """Subject and body of the e-mail: the text itself only when it is public."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    link = notification.url
    base = getattr(settings, "KENES_BASE_URL", "")
    if notification.classification == Classification.PUBLIC:
        return f"Kenes: {notification.title}", f"{notification.body}\n\n{base}{link}"
    return _("Kenes: you have a new notification"), _(
        "A new notification is waiting for you in Kenes. Its content is classified and is shown only "
        "after you log in:\n\n%(link)s"
    ) % {"link": f"{base}{link}"}
