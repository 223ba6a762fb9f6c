"""What every page and endpoint shares about the request: its type, safe redirects and downloads.

Views and endpoints are reached only by a logged-in user (``login_required``, the API's auth), so they
annotate their request as :class:`AuthedRequest`, whose ``user`` is a :class:`~kenes.accounts.models.User`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from kenes.core import attachments, audit
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent

if TYPE_CHECKING:
    from kenes.accounts.models import User

    class AuthedRequest(HttpRequest):
        """A request of a logged-in user (every page and endpoint behind the login)."""

        user: User  # type: ignore[assignment]
        auth: Any

else:
    AuthedRequest = HttpRequest


def safe_target(request: HttpRequest, url: str | None) -> str | None:
    """``url`` if it is a path on this site (where a form may send the user back to), else ``None``:
    never an open redirect to another host or scheme."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return None
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else None


def download(
    content: bytes,
    *,
    content_type: str,
    filename: str,
    user: Any,
    about: models.Model | Iterable[models.Model] | None = None,
) -> HttpResponse:
    """``content`` as a file to save, never cached; every export goes through here, so none is missed
    in the audit log.

    The export is written as one event per request, when what it holds is ``secret`` or above: about
    the record itself when ``about`` is one record, else one event for the whole list (at the level of
    its highest record, naming the exported records by type and id), however long the list is."""
    if isinstance(about, models.Model):
        audit.record_read(about, actor=user, action=AuditEvent.Action.EXPORT)
    else:
        _record_list_export(list(about or ()), user=user, filename=filename)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachments.content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _record_list_export(records: list[models.Model], *, user: Any, filename: str) -> None:
    secret = [record for record in records if audit.level_of(record) >= Classification.SECRET]
    if not secret:
        return
    if len(secret) == 1:
        audit.record_read(secret[0], actor=user, action=AuditEvent.Action.EXPORT)
        return
    exported: dict[str, list[int]] = {}
    for record in secret:
        exported.setdefault(audit.object_label(record), []).append(record.pk)
    types = sorted(exported)
    audit.record_alone(
        AuditEvent.Action.EXPORT,
        actor=user,
        object_type=types[0] if len(types) == 1 else "",
        object_repr=filename,
        classification=max(audit.level_of(record) for record in secret),
        changes={"exported": {label: sorted(ids) for label, ids in exported.items()}, "count": len(secret)},
    )
