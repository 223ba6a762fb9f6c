"""Background tasks of the security core (run by ``manage.py db_worker``)."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kenes.core.models import Notification
from kenes.core.notifications import email_text


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification, once: a notification already e-mailed is not sent again."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.user.email:
            return False
        subject, body = email_text(notification)
        send_mail(subject, body, None, [notification.user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@task()
def run_import(job_id: int) -> str:
    """Run one uploaded import (see ``kenes.core.imports``)."""
    from kenes.core import imports

    return imports.run(job_id)


@task()
def anchor_audit_head() -> int:
    """The daily anchor of the audit chain's head, outside the database (see ``audit.anchor_head``)."""
    from kenes.core import audit

    return audit.anchor_head().seq
