"""Pages of Council sessions: the work plan, sessions (list and calendar), one session, decisions."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kenes.core import attachments, policy, subjects
from kenes.core.http import AuthedRequest, download
from kenes.core.models import Attachment
from kenes.core.web import after_action, page_number, perform
from kenes.council import calendar, exports, links, services
from kenes.council.choices import MEETING_FLOW, DecisionStatus, MeetingStatus
from kenes.council.forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionFilterForm,
    DecisionForm,
    DecisionStatusForm,
    EarlyReasonForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesDraftForm,
    MinutesForm,
    QuestionForm,
    ScheduleForm,
    VotesForm,
    WithdrawForm,
)
from kenes.council.models import AgendaItem, Decision, Meeting, Minutes, PlannedQuestion
from kenes.directory.services import body_choices
from kenes.reports import documents

if TYPE_CHECKING:
    from kenes.accounts.models import User

PAGE_SIZE = 50
MONDAY = dt.date(2024, 1, 1)
#: What the page and the export of a decision show besides the decision itself.
DECISION_JOINS = ("meeting", "agenda_item", "amends", "signed_by")


# --- sessions ------------------------------------------------------------------------------------


@login_required
def meeting_list(request: AuthedRequest) -> HttpResponse:
    filters = MeetingFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    meetings = services.meetings_for(request.user, **{k: v for k, v in values.items() if v})
    form = MeetingForm(prefix="new", members=services.council_members())
    if request.method == "POST":
        form = MeetingForm(request.POST, prefix="new", members=services.council_members())
        if form.is_valid():
            ok, meeting = perform(
                request, lambda: services.create_meeting(actor=request.user, **form.cleaned_data), form
            )
            if ok:
                messages.success(request, _("The session “%(title)s” is planned.") % {"title": meeting.translated()})
                return redirect("council:meeting-detail", meeting.pk)
    page = Paginator(meetings, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "council/meeting_list.html",
        {"filters": filters, "page": page, "form": form, "may_preside": services.may_preside(request.user)},
    )


@login_required
def meeting_calendar(request: AuthedRequest) -> HttpResponse:
    """A month of sessions; ``?month=YYYY-MM`` chooses it (today's month by default)."""
    today = timezone.localdate()
    try:
        first = dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        first = today.replace(day=1)
    if not 1990 <= first.year <= 2100:
        first = today.replace(day=1)
    last_day = month_calendar.monthrange(first.year, first.month)[1]
    meetings = services.meetings_for(request.user, sort="date").filter(
        date__gte=first, date__lte=first.replace(day=last_day)
    )
    by_day: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.date.day, []).append(meeting)
    weeks = [
        [(day, by_day.get(day, [])) if day else (None, []) for day in week]
        for week in month_calendar.Calendar().monthdayscalendar(first.year, first.month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = first.replace(day=last_day) + dt.timedelta(days=1)
    return render(
        request,
        "council/meeting_calendar.html",
        {
            "month": first,
            "weeks": weeks,
            "weekdays": [MONDAY + dt.timedelta(days=n) for n in range(7)],
            "previous": previous,
            "following": following,
            "today": today,
        },
    )


@login_required
def calendar_feed(request: AuthedRequest) -> HttpResponse:
    meetings = calendar.meetings(request.user)
    content = calendar.feed(meetings)
    return download(
        content, content_type=calendar.CONTENT_TYPE, filename="kenes-sessions.ics", user=request.user, about=meetings
    )


def _meeting_context(request: AuthedRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    """What the page of a session shows: its agenda, decisions, attendance, minutes and the forms of
    its acts (a form that failed is shown again with its errors)."""
    user = request.user
    records = {r.member_id: r for r in services.attendance_of(meeting)}
    current = MEETING_FLOW.index(MeetingStatus(meeting.status))
    next_status = MEETING_FLOW[current + 1] if current + 1 < len(MEETING_FLOW) else None
    minutes = services.visible_minutes(user, meeting)
    decisions = list(services.decisions_for(user, meeting=meeting.pk))
    return {
        "meeting": meeting,
        "items": _agenda_rows(user, meeting, forms.get("decision_form"), forms.get("decision_item")),
        "decisions": decisions,
        "attendance": list(records.values()),
        "presiding": services.may_preside(user),
        "editable": meeting.status in services.EDITABLE_MEETING_STATES,
        "voting": meeting.status in services.VOTING_MEETING_STATES,
        "next_status": next_status,
        "next_status_label": MeetingStatus(next_status).label if next_status else "",
        "minutes": minutes,
        **_meeting_forms(user, meeting, minutes, records, forms),
        "is_chairman": user.role == "chairman",
        "before_date": services.before_its_date(meeting),
        "drafts": [decision for decision in decisions if decision.status == DecisionStatus.DRAFT],
    }


def _agenda_rows(
    user: User, meeting: Meeting, failed: DecisionForm | None, failed_item: int | None
) -> list[tuple[AgendaItem, list[Attachment], bool, DecisionForm, Any]]:
    """Each agenda item the user may see, with its materials, whether he may add to them, the form
    of a decision on it, and the link to what it is about."""
    items = list(services.items_for(user, meeting).prefetch_related("decisions"))
    links = subjects.links_for(user, items)
    materials: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.visible_to(user).filter(
        owner_type__app_label="council", owner_type__model="agendaitem", owner_id__in=[item.pk for item in items]
    ):
        materials.setdefault(attachment.owner_id, []).append(attachment)
    return [
        (
            item,
            materials.get(item.pk, []),
            services.may_add_materials(user, item),
            failed if failed is not None and failed_item == item.pk else DecisionForm(auto_id=f"item{item.pk}-%s"),
            links.get(item.pk),
        )
        for item in items
    ]


def _meeting_forms(
    user: User, meeting: Meeting, minutes: Minutes | None, records: dict[int, Any], forms: dict[str, Any]
) -> dict[str, Any]:
    """The forms of a session's page: those given (a failed submission) and blank ones for the rest."""
    initial = {field: getattr(meeting, field) for field in ("title", "date", "start_time", "kind", "place")}
    initial |= {"chair": meeting.chair_id, "classification": meeting.classification}
    return {
        "item_form": forms.get("item_form")
        or AgendaItemForm(organizations=body_choices(user), initial={"classification": meeting.classification}),
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(members=services.council_members(), records=records),
        "minutes_form": forms.get("minutes_form") or MinutesForm(initial={"text": minutes.text if minutes else ""}),
        "minutes_draft_form": forms.get("minutes_draft_form")
        or MinutesDraftForm(
            auto_id="minutes-%s", initial={"classification": minutes.classification if minutes else None}
        ),
        "meeting_form": forms.get("meeting_form")
        or MeetingForm(prefix="edit", members=services.council_members(), initial=initial),
        "hold_form": forms.get("hold_form") or EarlyReasonForm(auto_id="hold-%s"),
    }


@login_required
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    return render(request, "council/meeting_detail.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_edit(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    """Change a session's details while it is prepared (raising its level raises its items)."""
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    form = MeetingForm(request.POST, prefix="edit", members=services.council_members())
    if form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != getattr(meeting, k)}
        ok, _meeting_changed = perform(
            request, lambda: services.update_meeting(meeting, actor=request.user, **changes), form
        )
        if ok:
            messages.success(request, _("The session was changed."))
            return redirect("council:meeting-detail", meeting.pk)
    return render(
        request, "council/meeting_detail.html", _meeting_context(request, meeting, meeting_form=form), status=422
    )


@login_required
@require_POST
def meeting_advance(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    """Move a session on; holding it before its date takes a confirmed reason (shown in the form then)."""
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    status = request.POST.get("status", "")
    early = status == MeetingStatus.HELD and services.before_its_date(meeting)
    form = EarlyReasonForm(request.POST, early=early, auto_id="hold-%s")
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        ok, _result = perform(
            request, lambda: services.advance_meeting(meeting, status, actor=request.user, reason=reason), form
        )
        if ok:
            label = MeetingStatus(status).label
            messages.success(request, _("The session is now “%(status)s”.") % {"status": label})
            return redirect("council:meeting-detail", meeting.pk)
    if form.errors:
        meeting.refresh_from_db()
        context = _meeting_context(request, meeting, hold_form=form)
        return render(request, "council/meeting_detail.html", context, status=422)
    return redirect("council:meeting-detail", meeting.pk)


@login_required
@require_POST
def agenda_item_add(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    form = AgendaItemForm(request.POST, organizations=body_choices(request.user))
    if form.is_valid():
        ok, _item = perform(
            request, lambda: services.add_agenda_item(meeting, actor=request.user, **form.cleaned_data), form
        )
        if ok:
            messages.success(request, _("The question is on the agenda."))
            return redirect(reverse("council:meeting-detail", args=[meeting.pk]) + "#agenda")
    return render(
        request, "council/meeting_detail.html", _meeting_context(request, meeting, item_form=form), status=422
    )


@login_required
@require_POST
def agenda_item_move(request: AuthedRequest, meeting_id: int, item_id: int, direction: str) -> HttpResponse:
    """Move an item up or down; for htmx it answers the agenda alone, so the page does not reload."""
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    order = list(services.items_for(request.user, meeting).values_list("pk", flat=True))
    if item_id not in order or direction not in ("up", "down"):
        raise Http404
    index = order.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        perform(request, lambda: services.reorder_agenda(meeting, order, actor=request.user))
    if request.headers.get("HX-Request"):
        return render(request, "council/_agenda.html", _meeting_context(request, meeting))
    return redirect(reverse("council:meeting-detail", args=[meeting.pk]) + "#agenda")


@login_required
@require_POST
def agenda_item_remove(request: AuthedRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    item = policy.read_or_404(AgendaItem.objects.filter(meeting=meeting), request.user, pk=item_id)
    ok, _removed = perform(request, lambda: services.remove_agenda_item(item, actor=request.user))
    if ok:
        messages.success(request, _("“%(title)s” was removed from the agenda.") % {"title": item.translated()})
    return redirect(reverse("council:meeting-detail", args=[meeting.pk]) + "#agenda")


@login_required
@require_POST
def agenda_item_material(request: AuthedRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    item = policy.read_or_404(AgendaItem.objects.filter(meeting=meeting), request.user, pk=item_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        ok, attachment = perform(request, lambda: attachments.attach_file(upload, actor=request.user, owner=item))
        if ok:
            messages.success(request, _("“%(name)s” was added to the materials.") % {"name": attachment.original_name})
    return redirect(reverse("council:meeting-detail", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def attendance_save(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    records = {r.member_id: r for r in services.attendance_of(meeting)}
    form = AttendanceForm(request.POST, members=services.council_members(), records=records)
    if form.is_valid():
        entries = form.entries()
        # the service names a row by its place in the list; the form, by the member
        fields = {
            f"attendance.{index}.{key}": f"{name}_{entry['member']}"
            for index, entry in enumerate(entries)
            for key, name in (("status", "status"), ("represented_by", "represented"))
        }
        ok, _records = perform(
            request, lambda: services.record_attendance(meeting, entries, actor=request.user), form, fields
        )
        if ok:
            messages.success(request, _("Attendance was recorded."))
            return redirect(reverse("council:meeting-detail", args=[meeting.pk]) + "#attendance")
    context = _meeting_context(request, meeting, attendance_form=form)
    return render(request, "council/meeting_detail.html", context, status=422)


@login_required
@require_POST
def decision_add(request: AuthedRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    item = policy.read_or_404(AgendaItem.objects.filter(meeting=meeting), request.user, pk=item_id)
    form = DecisionForm(request.POST, auto_id=f"item{item.pk}-%s")
    if form.is_valid():
        ok, decision = perform(
            request, lambda: services.draft_decision(actor=request.user, agenda_item=item, **form.cleaned_data), form
        )
        if ok:
            messages.success(request, _("The draft decision was saved; the chairman adopts it."))
            return redirect("council:decision-detail", decision.pk)
    context = _meeting_context(request, meeting, decision_form=form, decision_item=item.pk)
    return render(request, "council/meeting_detail.html", context, status=422)


@login_required
@require_POST
def minutes_action(request: AuthedRequest, meeting_id: int, action: str) -> HttpResponse:
    """Draft, save or sign the minutes of a session."""
    meeting = policy.read_or_404(Meeting.objects.select_related("chair"), request.user, pk=meeting_id)
    if action == "draft":
        draft = MinutesDraftForm(request.POST, auto_id="minutes-%s")
        if not draft.is_valid():  # an unknown level is an error on the field, never a draft at the old one
            context = _meeting_context(request, meeting, minutes_draft_form=draft)
            return render(request, "council/meeting_detail.html", context, status=422)
        level = draft.cleaned_data["classification"]
        ok, _m = perform(request, lambda: services.draft_minutes(meeting, actor=request.user, classification=level))
        if ok:
            messages.success(request, _("The minutes were drafted from the session's data."))
    elif action in ("save", "sign"):
        minutes = services.visible_minutes(request.user, meeting)
        if minutes is None:
            raise Http404
        form = MinutesForm(request.POST)
        if action == "save":
            if not form.is_valid():
                context = _meeting_context(request, meeting, minutes_form=form)
                return render(request, "council/meeting_detail.html", context, status=422)
            ok, _m = perform(
                request, lambda: services.edit_minutes(minutes, form.cleaned_data["text"], actor=request.user), form
            )
            if ok:
                messages.success(request, _("The minutes were saved."))
        else:
            ok, _m = perform(request, lambda: services.sign_minutes(minutes, actor=request.user))
            if ok:
                messages.success(request, _("The minutes are signed."))
    else:
        raise Http404
    return redirect(reverse("council:meeting-detail", args=[meeting.pk]) + "#minutes")


@login_required
def minutes_export(request: AuthedRequest, meeting_id: int, fmt: str) -> HttpResponse:
    # The export is the read: it is written to the audit log once, as an export, by the download.
    visible = Meeting.objects.visible_to(request.user)
    minutes = policy.get_visible_or_404(Minutes.objects, request.user, meeting=meeting_id, meeting__in=visible)
    document = exports.minutes_document(minutes, request.user)
    name = f"minutes-{minutes.meeting.date}"
    return documents.respond(document, fmt, name, user=request.user, about=minutes)


# --- decisions -----------------------------------------------------------------------------------


@login_required
def decision_list(request: AuthedRequest) -> HttpResponse:
    """The decisions the user may see; the chairman and secretary also draft one outside a session."""
    filters = DecisionFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    decisions = services.decisions_for(request.user, **{k: v for k, v in values.items() if v})
    form = DecisionForm(prefix="new")
    if request.method == "POST":
        form = DecisionForm(request.POST, prefix="new")
        if form.is_valid():
            ok, decision = perform(
                request, lambda: services.draft_decision(actor=request.user, **form.cleaned_data), form
            )
            if ok:
                messages.success(request, _("The draft decision was saved; the chairman adopts it."))
                return redirect("council:decision-detail", decision.pk)
    page = Paginator(decisions, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "council/decision_list.html",
        {
            "filters": filters,
            "page": page,
            "form": form,
            "may_preside": services.may_preside(request.user),
        },
        status=422 if form.errors else 200,
    )


@login_required
def decision_detail(request: AuthedRequest, decision_id: int) -> HttpResponse:
    decision = policy.read_or_404(Decision.objects.select_related(*DECISION_JOINS), request.user, pk=decision_id)
    return render(request, "council/decision_detail.html", _decision_context(request, decision))


def _decision_context(request: AuthedRequest, decision: Decision, **forms: Any) -> dict[str, Any]:
    votes = {v.member_id: v.choice for v in services.votes_of(decision)}
    draft = decision.status == DecisionStatus.DRAFT
    session = decision.meeting
    leftover = draft and session is not None and session.status == MeetingStatus.MINUTES_SIGNED
    return {
        "decision": decision,
        "result": services.vote_result(decision),
        "votes": list(services.votes_of(decision)),
        "amendments": services.decisions_for(request.user).filter(amends=decision),
        "followups": [section(request, decision) for section in links.decision_sections()],
        "presiding": services.may_preside(request.user),
        "is_chairman": request.user.role == "chairman",
        "draft": draft and not leftover,
        "leftover": leftover,
        "chairman": services.chairman() if draft else None,
        "before_date": services.before_its_date(session),
        "votes_form": forms.get("votes_form") or VotesForm(members=services.council_members(), votes=votes),
        "edit_form": forms.get("edit_form")
        or DecisionForm(
            initial={
                "kind": decision.kind,
                "title": decision.title,
                "text": decision.text,
                "classification": decision.classification,
            }
        ),
        "status_form": forms.get("status_form") or DecisionStatusForm(),
        "amend_form": forms.get("amend_form") or DecisionForm(initial={"classification": decision.classification}),
        "adopt_form": forms.get("adopt_form") or EarlyReasonForm(auto_id="adopt-%s"),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(auto_id="withdraw-%s"),
    }


def _adopt(request: AuthedRequest, decision: Decision, forms: dict[str, Form]) -> None:
    early = services.before_its_date(decision.meeting)
    form = forms["adopt_form"] = EarlyReasonForm(request.POST, early=early, auto_id="adopt-%s")
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        ok, adopted = perform(
            request, lambda: services.adopt_decision(decision, actor=request.user, reason=reason), form
        )
        if ok:
            messages.success(request, _("Decision %(number)s is adopted and signed.") % {"number": adopted.number})


def _withdraw(request: AuthedRequest, decision: Decision, forms: dict[str, Form]) -> None:
    form = forms["withdraw_form"] = WithdrawForm(request.POST, auto_id="withdraw-%s")
    if form.is_valid():
        note = form.cleaned_data["note"]
        ok, _withdrawn = perform(
            request, lambda: services.withdraw_decision(decision, actor=request.user, note=note), form
        )
        if ok:
            messages.success(request, _("The draft “%(title)s” was withdrawn.") % {"title": decision.translated()})


def _edit(request: AuthedRequest, decision: Decision, forms: dict[str, Form]) -> None:
    form = forms["edit_form"] = DecisionForm(request.POST)
    if form.is_valid():
        ok, _changed = perform(
            request, lambda: services.update_decision(decision, actor=request.user, **form.cleaned_data), form
        )
        if ok:
            messages.success(request, _("The draft was saved."))


def _votes(request: AuthedRequest, decision: Decision, forms: dict[str, Form]) -> None:
    votes = forms["votes_form"] = VotesForm(request.POST, members=services.council_members())
    if votes.is_valid():
        ok, result = perform(
            request, lambda: services.record_votes(decision, votes.entries(), actor=request.user), votes
        )
        if ok:
            messages.success(
                request,
                _("The votes were recorded: for %(for)d, against %(against)d, abstained %(abstain)d.")
                % {"for": result.votes_for, "against": result.against, "abstain": result.abstain},
            )


def _status(request: AuthedRequest, decision: Decision, forms: dict[str, Form]) -> None:
    form = forms["status_form"] = DecisionStatusForm(request.POST)
    if form.is_valid():
        status, note = form.cleaned_data["status"], form.cleaned_data["note"]
        ok, changed = perform(
            request,
            lambda: services.change_decision_status(decision, status, actor=request.user, note=note),
            form,
        )
        if ok:
            label = changed.get_status_display()
            messages.success(request, _("The decision is now “%(status)s”.") % {"status": label})


@login_required
@require_POST
def decision_action(request: AuthedRequest, decision_id: int, action: str) -> HttpResponse:
    """Edit a draft, record votes, adopt, withdraw, move on, or amend a decision."""
    decision = policy.read_or_404(Decision.objects.select_related(*DECISION_JOINS), request.user, pk=decision_id)
    forms: dict[str, Form] = {}
    acts = {"edit": _edit, "votes": _votes, "adopt": _adopt, "withdraw": _withdraw, "status": _status}
    if action in acts:
        acts[action](request, decision, forms)
    elif action == "amend":
        form = forms["amend_form"] = DecisionForm(request.POST)
        if form.is_valid():
            ok, amendment = perform(
                request,
                lambda: services.draft_decision(
                    actor=request.user, agenda_item=None, amends=decision, **form.cleaned_data
                ),
                form,
            )
            if ok:
                messages.success(request, _("The amendment was drafted; the chairman adopts it."))
                return redirect("council:decision-detail", amendment.pk)
    else:
        raise Http404
    return after_action(
        request, decision, forms, "council/decision_detail.html", _decision_context, "council:decision-detail"
    )


@login_required
def decision_export(request: AuthedRequest, decision_id: int, fmt: str) -> HttpResponse:
    # The export is the read: it is written to the audit log once, as an export, by the download.
    decision = policy.get_visible_or_404(Decision.objects.select_related(*DECISION_JOINS), request.user, pk=decision_id)
    name = f"decision-{(decision.number or f'draft-{decision.pk}').replace('/', '-')}"
    return documents.respond(
        exports.decision_document(decision, request.user), fmt, name, user=request.user, about=decision
    )


# --- work plan -----------------------------------------------------------------------------------


@login_required
def work_plan(request: AuthedRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1990), 2100)
    form = QuestionForm(organizations=body_choices(request.user), initial={"year": year})
    if request.method == "POST":
        form = QuestionForm(request.POST, organizations=body_choices(request.user))
        if form.is_valid():
            ok, _question = perform(
                request, lambda: services.plan_question(actor=request.user, **form.cleaned_data), form
            )
            if ok:
                messages.success(request, _("The question was added to the plan."))
                return redirect(f"{reverse('council:work-plan')}?year={form.cleaned_data['year']}")
    questions = list(services.questions_for(request.user, year=year))
    quarters = [(q, [question for question in questions if question.quarter == q]) for q in range(1, 5)]
    meetings = services.meetings_for(request.user, sort="date").filter(status__in=services.EDITABLE_MEETING_STATES)
    return render(
        request,
        "council/work_plan.html",
        {
            "year": year,
            "quarters": quarters,
            "form": form,
            "schedule_form": ScheduleForm(meetings=meetings),
            "presiding": services.may_preside(request.user),
        },
    )


@login_required
@require_POST
def question_action(request: AuthedRequest, question_id: int, action: str) -> HttpResponse:
    question = policy.read_or_404(PlannedQuestion.objects, request.user, pk=question_id)
    if action == "schedule":
        meetings = services.meetings_for(request.user).filter(status__in=services.EDITABLE_MEETING_STATES)
        form = ScheduleForm(request.POST, meetings=meetings)
        if form.is_valid():
            ok, _item = perform(
                request, lambda: services.schedule_question(question, form.cleaned_data["meeting"], actor=request.user)
            )
            if ok:
                messages.success(request, _("The question is on the agenda."))
        else:
            messages.error(request, _("Choose a session being prepared."))
    elif action == "drop":
        ok, _dropped = perform(
            request, lambda: services.drop_question(question, actor=request.user, note=request.POST.get("note", ""))
        )
        if ok:
            messages.success(request, _("The question was dropped from the plan."))
    elif action == "move":
        try:
            quarter = int(request.POST.get("quarter", ""))
        except ValueError:
            quarter = 0
        if 1 <= quarter <= 4:
            ok, _moved = perform(
                request, lambda: services.update_question(question, actor=request.user, quarter=quarter)
            )
            if ok:
                messages.success(request, _("The question was moved to quarter %(quarter)d.") % {"quarter": quarter})
        else:
            messages.error(request, _("Choose a quarter from 1 to 4."))
    else:
        raise Http404
    return redirect(f"{reverse('council:work-plan')}?year={question.year}")
