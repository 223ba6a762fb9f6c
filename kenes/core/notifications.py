"""Notifications: recorded once per user and event, shown in the app, e-mailed by a background task.

A notification about a record (an instruction, a report, an alert) names it, and derives from it
(:mod:`kenes.core.derivation`): raising the record raises its notifications, so that a user below the
new level no longer reads what they say of it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kenes.core import texts
from kenes.core.classification import Classification
from kenes.core.models import Notification


def notify(
    user: Any,
    *,
    key: str,
    kind: str,
    code: str,
    params: dict[str, Any] | None = None,
    body_code: str = "",
    body: str = "",
    url: str = "",
    about: models.Model | None = None,
    classification: int = Classification.PUBLIC,
) -> Notification | None:
    """Notify ``user`` of the event ``key`` about the record ``about`` unless he already was; the e-mail
    goes after the commit.

    The title is the text ``code`` of :mod:`kenes.core.texts` with ``params``, and the text either the
    text ``body_code`` with the same ``params`` or ``body``, a person's own words kept as written: both
    are rendered when read, in the reader's language (the e-mail in the recipient's). The parameters
    say only what the record ``about`` says, the notification being classified as that record.

    The notification is classified at the higher of ``classification`` and its record's level, and
    rises with the record. Returns the new notification, or ``None`` when this event was notified
    before (or the user is inactive). A user is not told of a record above his clearance."""
    level = max(int(classification), int(about.classification) if about is not None else 0)  # type: ignore[attr-defined]
    if not user.is_active or level > user.clearance:
        return None
    params = params or {}
    title = texts.render(code, params)
    if body_code:
        body = texts.render(body_code, params)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                key=key[:200],
                kind=kind,
                code=texts.text(code).code,
                body_code=texts.text(body_code).code if body_code else "",
                params=params,
                title=title[:300],
                body=body,
                url=url[:300],
                classification=level,
                about_type=ContentType.objects.get_for_model(about) if about is not None else None,
                about_id=about.pk if about is not None else None,
            )
    except IntegrityError:
        return None
    if user.email:
        from kenes.core.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def about(record: models.Model) -> QuerySet[Notification] | None:
    """The notifications about ``record``: they derive from it (registered in :func:`register`)."""
    if isinstance(record, Notification) or not hasattr(record, "classification"):
        return None
    return Notification.objects.filter(about_type=ContentType.objects.get_for_model(record), about_id=record.pk)


def register() -> None:
    from kenes.core import derivation

    derivation.derives_from_any(about)


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first, through the visibility policy."""
    return Notification.objects.visible_to(user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def mark_read(user: Any, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or those named) as read; returns how many changed.

    One bulk update, audited by one event naming the notifications, in the same transaction."""
    from kenes.core import audit

    queryset = inbox(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    with transaction.atomic():
        rows = list(queryset.select_for_update().values_list("pk", "classification"))
        if not rows:
            return 0
        ids = [pk for pk, _level in rows]
        now = timezone.now()
        with audit.bulk(
            Notification,
            actor=user,
            object_repr=f"{len(ids)} notifications marked read",
            classification=max(level for _pk, level in rows),
            changes={"read_at": [None, now.isoformat()], "ids": ids[:500]},
        ):
            marked = Notification.objects.filter(pk__in=ids).update(read_at=now)
    return marked


def email_text(notification: Notification) -> tuple[str, str]:
    """Subject and body of the e-mail, in the recipient's language: the text itself only when it is
    public."""
    from django.utils import translation

    language = getattr(notification.user, "preferred_language", "") or translation.get_language()
    with translation.override(language):
        return _email_text(notification)


def _email_text(notification: Notification) -> tuple[str, str]:
    from django.conf import settings
    from django.utils.translation import gettext as _

    link = notification.url
    base = getattr(settings, "KENES_BASE_URL", "")
    if notification.classification == Classification.PUBLIC:
        return f"Kenes: {notification.title_text}", f"{notification.body_text}\n\n{base}{link}"
    return _("Kenes: you have a new notification"), _(
        "A new notification is waiting for you in Kenes. Its content is classified and is shown only "
        "after you log in:\n\n%(link)s"
    ) % {"link": f"{base}{link}"}
