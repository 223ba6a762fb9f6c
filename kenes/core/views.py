"""Pages of the security core: the dashboard, search, the audit log, attachment downloads, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kenes.core import attachments, audit, auditlog, dashboard, imports, notifications, policy, search
from kenes.core.forms import AuditFilterForm
from kenes.core.http import AuthedRequest, download
from kenes.core.models import Attachment, AuditEvent

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers; no login."""
    try:
        connection.ensure_connection()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"widgets": dashboard.widgets_for(request)})


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: search.MAX_QUERY_LENGTH]
    page_number = _page_number(request)
    groups = search.search_by_type(request.user, query, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    count = sum(group.count for group in groups)
    pages = max(1, -(-count // PAGE_SIZE))
    context = {"query": query, "header_query": query, "count": count, "groups": groups}
    return render(request, "core/search.html", {**context, "page_number": page_number, "pages": pages})


def _audit_events(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    """The events the reader may read, filtered as the page asks (404 for who reads no audit log)."""
    if not policy.may_read_audit(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None, object_types=auditlog.object_types(request.user))
    events = audit.events_visible_to(request.user).order_by("-seq")
    if form.is_valid():
        events = form.apply(events)
    return form, events


@login_required
@require_http_methods(["GET", "POST"])
def audit_page(request: HttpRequest) -> HttpResponse:
    form, events = _audit_events(request)
    verification = None
    if request.method == "POST":
        verification = audit.verify_for(request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = auditlog.rows(request.user, list(page.object_list))  # type: ignore[assignment]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "verification": verification, "export_query": query.urlencode()}
    return render(request, "core/audit.html", context)


@login_required
@require_GET
def audit_event(request: HttpRequest, seq: int) -> HttpResponse:
    """One event with its changes in full."""
    if not policy.may_read_audit(request.user):
        raise Http404
    event = audit.events_visible_to(request.user).filter(seq=seq).first() if seq < 2**62 else None
    if event is None:
        raise Http404
    return render(request, "core/audit_event.html", {"row": auditlog.rows(request.user, [event])[0]})


@login_required
@require_GET
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered events as XLSX or CSV, marked with the highest level among them; the export is
    written to the audit log (``core.http.download``) and no cell is ever read as a formula."""
    from kenes.reports import documents

    if fmt not in ("xlsx", "csv"):
        raise Http404
    form, events = _audit_events(request)
    if form.is_bound and not form.is_valid():  # the page shows what is wrong, field by field
        return redirect(f"{reverse('core:audit')}?{request.GET.urlencode()}")
    listed = list(events[: auditlog.EXPORT_LIMIT])
    marking = documents.marking(max((e.classification for e in listed), default=0))
    header, table = auditlog.export_table(request.user, listed)
    if fmt == "csv":
        content = auditlog.to_csv(header, table, marking=marking, safe=documents.safe_cell)
        csv_type = "text/csv; charset=utf-8"
        return download(content, content_type=csv_type, filename="audit.csv", user=request.user, about=listed)
    content = documents.to_xlsx([(str(_("Audit log")), header, table)], marking=marking)
    return download(content, content_type=XLSX, filename="audit.xlsx", user=request.user, about=listed)


@login_required
@require_GET
def download_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Serve a file only to whoever may see it; the download of a secret file is logged."""
    attachment = policy.get_visible_or_404(Attachment.objects, request.user, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    audit.record_read(attachment, actor=request.user, action=AuditEvent.Action.DOWNLOAD)
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = attachments.content_disposition(attachment.original_name)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 100_000))
    except ValueError:
        return 1


@login_required
@require_http_methods(["GET", "POST"])
def notification_inbox(request: HttpRequest) -> HttpResponse:
    """What was sent to the user; POST marks everything read."""
    if request.method == "POST":
        notifications.mark_read(request.user)
        return redirect("core:notifications")
    page = Paginator(notifications.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_GET
@never_cache
def import_job(request: AuthedRequest, job_id: int) -> HttpResponse:
    """An import's progress, then its result or its errors; htmx polls the fragment until it ends."""
    job = imports.job_of(request.user, job_id)
    if request.headers.get("HX-Request"):
        return render(request, "core/includes/import_progress.html", {"job": job})
    back = request.GET.get("back", "")
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None)
    back_url = back if safe else ""
    return render(request, "core/import_job.html", {"job": job, "back_url": back_url})
