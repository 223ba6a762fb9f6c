"""API of the security core: search, the audit log and its verification, attachments."""

from django.http import Http404, HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from kenes.core import attachments, audit, bounds, imports, notifications, policy, search
from kenes.core.classification import level_from_input
from kenes.core.http import AuthedRequest
from kenes.core.models import Attachment
from kenes.core.schemas import (
    ERRORS,
    ApiDateTime,
    AttachmentOut,
    AuditEventOut,
    Id,
    ImportJobOut,
    MarkedOut,
    NotificationOut,
    NotificationsReadIn,
    Pagination,
    SearchOut,
    VerificationOut,
)

router = Router(tags=["core"])


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=search.MAX_QUERY_LENGTH, pattern=r"\S")
    limit: int = Field(50, ge=1, le=bounds.MAX_LIMIT)
    offset: int = Field(0, ge=0, le=bounds.MAX_OFFSET)


@router.get("/search", response={200: SearchOut, **ERRORS}, summary="Search everything the caller may see")
def search_everything(request: HttpRequest, params: Query[SearchQuery]):
    count, hits = search.search(request.user, params.q, limit=params.limit, offset=params.offset)
    return {"count": count, "items": hits}


class AuditFilter(Schema):
    action: str | None = Field(None, max_length=32)
    actor: str | None = Field(None, max_length=150, description="username")
    object_type: str | None = Field(None, max_length=100)
    object_id: str | None = Field(None, max_length=64)
    operation: str | None = Field(None, max_length=40, description="business action (adopt, sign…)")
    since: ApiDateTime | None = None
    until: ApiDateTime | None = None


def _audit_events(request: HttpRequest):
    if not policy.may_read_audit(request.user):
        raise Http404
    return audit.events_visible_to(request.user)


@router.get(
    "/audit",
    response={200: list[AuditEventOut], **ERRORS},
    summary="The audit log, newest first (auditor, secretary, chairman)",
)
@paginate(Pagination)
def audit_log(request: HttpRequest, filters: Query[AuditFilter]):
    return audit.filter_events(_audit_events(request), **filters.dict()).order_by("-seq")


@router.get("/audit/verify", response={200: VerificationOut, **ERRORS}, summary="Verify the audit chain")
def audit_verify(request: HttpRequest):
    _audit_events(request)
    result = audit.verify_for(request.user)
    return {
        "ok": result.ok,
        "events": result.events,
        "first_bad_seq": result.first_bad_seq,
        "anchors": result.anchors,
    }


@router.post("/attachments", response={201: AttachmentOut, **ERRORS}, summary="Upload a file")
def upload_attachment(
    request: AuthedRequest,
    file: File[UploadedFile],
    owner_type: Form[str | None] = None,
    owner_id: Form[Id | None] = None,
    classification: Form[str | None] = None,
):
    owner = attachments.visible_owner_or_404(request.user, owner_type, owner_id) if owner_type else None
    level = level_from_input(classification)
    return Status(201, attachments.attach_file(file, actor=request.user, owner=owner, classification=level))


@router.get("/attachments/{attachment_id}", response={200: AttachmentOut, **ERRORS}, summary="An attachment")
def get_attachment(request: AuthedRequest, attachment_id: Id):
    related = Attachment.objects.visible_to(request.user).select_related("owner_type")
    return policy.read_or_404(related, request.user, pk=attachment_id)


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS}, summary="What was sent to the caller")
@paginate(Pagination)
def list_notifications(request: AuthedRequest, unread: bool = False):
    inbox = notifications.inbox(request.user)
    return inbox.filter(read_at__isnull=True) if unread else inbox


@router.post("/notifications/read", response={200: MarkedOut, **ERRORS}, summary="Mark notifications read")
def read_notifications(request: AuthedRequest, data: NotificationsReadIn):
    return {"marked": notifications.mark_read(request.user, data.ids)}


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="The progress and result of an import")
def get_import(request: AuthedRequest, job_id: Id):
    return imports.job_of(request.user, job_id)
