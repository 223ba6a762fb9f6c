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
    """``content`` as a file to save, never cached, and the export of each record of ``about`` that is
    ``secret`` or above written to the audit log (every export goes through here, so none is missed)."""
    records = [about] if isinstance(about, models.Model) else list(about or ())
    for record in records:
        audit.record_read(record, actor=user, action=AuditEvent.Action.EXPORT)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachments.content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response
