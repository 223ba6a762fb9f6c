"""Pages of strategic monitoring: the document tree, the heatmap, a document, an indicator with its
chart and history, a responsible body's indicators to report, the import, evaluation reports, the
thresholds. Every row comes through the visibility policy: lists through the services' querysets, one
record through ``policy.read_or_404`` (which also writes the read of a secret one to the audit log),
and an export through ``core.http.download`` (which writes the export instead)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kenes.control.services import instructions_aimed_at, may_issue
from kenes.core import imports, periods, policy
from kenes.core.http import AuthedRequest, download
from kenes.core.web import filters_from, page_number, perform
from kenes.council import services as council
from kenes.directory import services as directory
from kenes.directory.models import Organization
from kenes.reports import documents, import_template
from kenes.strategy import exports, importing, services
from kenes.strategy.choices import EvaluationStatus
from kenes.strategy.forms import (
    AgendaForm,
    DocumentFilterForm,
    DocumentForm,
    GoalForm,
    ImportForm,
    IndicatorEditForm,
    IndicatorFilterForm,
    IndicatorForm,
    MeasurementForm,
    ReportForm,
    ThresholdsForm,
    limit_classification,
    targets_text,
)
from kenes.strategy.models import EvaluationReport, Indicator, Measurement, StrategicDocument

PAGE_SIZE = 50


# The records a page addresses by id, read only through ``policy.read_or_404`` (an export through
# ``policy.get_visible_or_404``, its export being written by the download).
DOCUMENTS = StrategicDocument.objects.select_related("owner")  # policy: read through policy.read_or_404
FORECAST_POLLS = 90  # two seconds apart: three minutes, then the page asks to be reloaded
INDICATORS = Indicator.objects.select_related("document", "goal", "responsible")  # policy: read_or_404
REPORTS = EvaluationReport.objects.select_related("document", "author", "agenda_item")  # policy: read_or_404


def _tree(documents: list[StrategicDocument], nodes: dict[int, Any]) -> list[dict[str, Any]]:
    """Documents nested under their parents, flattened with their depth; a document whose parent the
    reader may not see is a root."""
    shown = {d.pk for d in documents}
    children: dict[int | None, list[StrategicDocument]] = {}
    for document in documents:
        parent = document.parent_id if document.parent_id in shown else None
        children.setdefault(parent, []).append(document)
    flat: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> None:
        for document in children.get(parent, []):
            flat.append({"document": document, "node": nodes.get(document.pk), "depth": depth})
            walk(document.pk, depth + 1)

    walk(None, 0)
    return flat


@login_required
def document_list(request: AuthedRequest) -> HttpResponse:
    """The tree of the documents the user may see, each with its roll-up."""
    form = DocumentFilterForm(request.GET or None)
    documents = services.documents_for(request.user, **filters_from(form))
    rolled = services.rollup(request.user, documents[:1000])
    nodes = {d.pk: node for d, node, _goals in rolled}
    return render(
        request,
        "strategy/document_list.html",
        {
            "filters": form,
            "rows": _tree([d for d, _n, _g in rolled], nodes),
            "may_edit": services.may_edit(request.user),
            "sees_heatmap": services.sees_apparatus_pages(request.user),
        },
    )


@login_required
def heatmap(request: AuthedRequest) -> HttpResponse:
    """Documents and their goals coloured by status: three queries over the stored evaluations. For the
    Council and its apparatus only (``services.sees_apparatus_pages``): others get 404."""
    if not services.sees_apparatus_pages(request.user):
        raise Http404
    documents = services.documents_for(request.user).exclude(status="cancelled")
    return render(
        request,
        "strategy/heatmap.html",
        {"rows": services.rollup(request.user, documents[:500]), "statuses": EvaluationStatus.choices},
    )


def _flatten(nodes: list[Any], depth: int = 0) -> list[tuple[Any, int]]:
    out = []
    for node in nodes:
        out.append((node, depth))
        out.extend(_flatten(node.children, depth + 1))
    return out


@login_required
def document_detail(request: AuthedRequest, document_id: int) -> HttpResponse:
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    _doc, root, goals = services.rollup(
        request.user, StrategicDocument.objects.visible_to(request.user).filter(pk=document.pk)
    )[0]
    form = IndicatorFilterForm(request.GET or None)
    indicators = services.indicators_for(request.user, document=document.pk, **filters_from(form))
    page = Paginator(indicators.select_related("goal"), PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "strategy/document_detail.html",
        {
            "document": document,
            "parent": services.documents_for(request.user).filter(pk=document.parent_id).first(),
            "root": root,
            "goals": _flatten(goals),
            "filters": form,
            "page": page,
            "children": services.documents_for(request.user).filter(parent=document),
            "reports": services.reports_for(request.user, document=document.pk)[:20],
            "may_report": services.may_verify(request.user),
            "may_edit": services.may_edit(request.user),
        },
    )


@login_required
def document_export(request: AuthedRequest, document_id: int) -> HttpResponse:
    # The export is the read: the download writes the export of the document and of each row above its
    # level (``exports.document_xlsx``) that is secret or above, and no read.
    document = policy.get_visible_or_404(DOCUMENTS, request.user, pk=document_id)
    content, exported = exports.document_xlsx(request.user, document)
    return download(
        content,
        content_type=documents.CONTENT_TYPES["xlsx"],
        filename=f"indicators-{document.pk}.xlsx",
        user=request.user,
        about=exported,
    )


def _chart(indicator: Indicator, evaluation: Any, measurements: list[Measurement], targets: list[Any]) -> str:
    """The chart's data: baseline, targets, actuals, and the forecast path with its 95% interval."""
    frequency = indicator.frequency
    start, end = services.window(indicator.document, frequency)
    first = min(start, indicator.baseline_period)
    labels = periods.span(first, end, frequency)
    index = {p: n for n, p in enumerate(labels)}

    def series(pairs: list[tuple[Any, float]]) -> list[float | None]:
        data: list[float | None] = [None] * len(labels)
        for period, value in pairs:
            if period in index:
                data[index[period]] = value
        return data

    points = [(periods.parse(p["period"], frequency), p) for p in (evaluation.forecast_points or [])]
    last = [(m.period, m.value) for m in measurements[-1:]]
    spec = {
        "labels": [periods.label(p, frequency) for p in labels],
        "series": {
            "baseline": series([(indicator.baseline_period, indicator.baseline_value)]),
            "targets": series([(t.period, t.value) for t in targets]),
            "actuals": series([(m.period, m.value) for m in measurements]),
            "forecast": series(last + [(p, v["mean"]) for p, v in points]),
            "lo95": series(last + [(p, v["lo95"]) for p, v in points]),
            "hi95": series(last + [(p, v["hi95"]) for p, v in points]),
        },
        "names": {
            "baseline": str(_("Baseline")),
            "targets": str(_("Target")),
            "actuals": str(_("Actual")),
            "forecast": str(_("Forecast")),
            # xgettext:no-python-format
            "lo95": str(_("95% interval, lower")),
            # xgettext:no-python-format
            "hi95": str(_("95% interval, upper")),
        },
    }
    return json.dumps(spec)


def _indicator_context(request: AuthedRequest, indicator: Indicator, **forms: Any) -> dict[str, Any]:
    user = request.user
    evaluation = services.evaluation_of(indicator)
    measurements = list(services.measurements_of(indicator))
    targets = list(indicator.targets.order_by("period"))
    may_enter = services.may_enter(user, indicator)
    choices = [(p.isoformat(), periods.label(p, indicator.frequency)) for p in services.entry_periods(indicator)]
    return {
        "indicator": indicator,
        "evaluation": evaluation,
        "measurements": measurements,
        "revisions": list(services.revisions_of(indicator)),
        "targets": targets,
        "chart": _chart(indicator, evaluation, measurements, targets),
        "instructions": list(instructions_aimed_at(indicator, user)[:50]),
        "may_issue": may_issue(user),
        "may_enter": may_enter,
        "may_verify": services.may_verify(user),
        "may_edit": services.may_edit(user),
        "measurement_form": forms.get("measurement_form") or MeasurementForm(periods=choices),
        "due": services.due_periods([indicator])[indicator.pk] if may_enter else [],
    }


@login_required
def indicator_detail(request: AuthedRequest, indicator_id: int) -> HttpResponse:
    indicator = policy.read_or_404(INDICATORS, request.user, pk=indicator_id)
    return render(request, "strategy/indicator_detail.html", _indicator_context(request, indicator))


@login_required
def indicator_forecast(request: AuthedRequest, indicator_id: int) -> HttpResponse:
    """The forecast part of an indicator's page: polled while the worker recomputes the forecast, it
    stops polling once the new forecast is in, or after ``FORECAST_POLLS`` tries (then it says so).

    A poll while the forecast is pending carries no figure of the indicator, only that it is pending,
    so it reads the indicator through the policy without logging a read every two seconds; the answer
    that carries the new forecast and the chart is a read, logged as any (``read_or_404``)."""
    indicator = policy.get_visible_or_404(INDICATORS, request.user, pk=indicator_id)
    evaluation = services.evaluation_of(indicator)
    if not evaluation.forecast_pending:
        indicator = policy.read_or_404(INDICATORS, request.user, pk=indicator_id)
    poll = request.GET.get("poll", "")
    polls = int(poll) + 1 if poll.isascii() and poll.isdigit() and len(poll) < 6 else 1
    context: dict[str, Any] = {
        "indicator": indicator,
        "evaluation": evaluation,
        "poll": polls,
        "polling": True,
        "gave_up": polls >= FORECAST_POLLS,
    }
    if not evaluation.forecast_pending:  # the poll's last answer redraws the chart with the new forecast
        measurements = list(services.measurements_of(indicator))
        context["chart"] = _chart(indicator, evaluation, measurements, list(indicator.targets.order_by("period")))
    return render(request, "strategy/_forecast.html", context)


@login_required
@require_POST
def indicator_action(request: AuthedRequest, indicator_id: int, action: str) -> HttpResponse:
    """Enter a value (the responsible liaison, an analyst) or verify one (an analyst)."""
    indicator = policy.read_or_404(INDICATORS, request.user, pk=indicator_id)
    forms: dict[str, Any] = {}
    if action == "measure":
        choices = [(p.isoformat(), periods.label(p, indicator.frequency)) for p in services.entry_periods(indicator)]
        form = forms["measurement_form"] = MeasurementForm(request.POST, periods=choices)
        if form.is_valid():
            ok, _saved = perform(
                request,
                lambda: services.record_measurements(
                    indicator,
                    actor=request.user,
                    measurements=[(form.cleaned_data["period"], form.cleaned_data["value"])],
                    source="page",
                ),
                form,
            )
            if ok:
                messages.success(request, _("The value was recorded."))
    elif action == "verify":
        measurement = indicator.measurements.filter(pk=request.POST.get("measurement", "0")[:20] or "0").first()
        if measurement is None:
            raise Http404
        if perform(request, lambda: services.verify_measurement(measurement, actor=request.user))[0]:
            messages.success(request, _("The value was verified."))
    else:
        raise Http404
    if any(f.errors for f in forms.values()):
        return render(
            request, "strategy/indicator_detail.html", _indicator_context(request, indicator, **forms), status=422
        )
    return redirect("strategy:indicator-detail", indicator.pk)


@login_required
def my_indicators(request: AuthedRequest) -> HttpResponse:
    """A liaison officer's own body's page; others choose a body from the documents."""
    if request.user.organization_id is None:
        raise Http404
    return redirect("strategy:body", request.user.organization_id)


@login_required
def body(request: AuthedRequest, organization_id: int) -> HttpResponse:
    """A responsible body's indicators (those the user may see) and the periods it still has to report."""
    bodies = Organization.objects  # policy: read through policy.read_or_404 (an inactive body keeps its page)
    organization = policy.read_or_404(bodies, request.user, pk=organization_id)
    indicators = services.indicators_for(request.user, responsible=organization.pk)
    page = Paginator(indicators, PAGE_SIZE).get_page(page_number(request))
    listed = list(page.object_list)
    due = services.due_periods(listed)
    rows = [(i, [periods.label(p, i.frequency) for p in due[i.pk]]) for i in listed]
    return render(
        request,
        "strategy/body.html",
        {
            "organization": organization,
            "page": page,
            "rows": rows,
            "may_import": importing.may_import(request.user),
        },
    )


@login_required
def import_template_xlsx(request: AuthedRequest) -> HttpResponse:
    """The import's XLSX template, with the codes of the indicators the user may report to choose from."""
    if not importing.may_import(request.user):
        raise Http404
    indicators = importing.template_indicators(request.user)
    content = import_template.build(
        importing.TEMPLATE,
        codes={"indicator": [i.code for i in indicators]},
        level=max((i.classification for i in indicators), default=0),
    )
    return download(
        content,
        content_type=import_template.CONTENT_TYPE,
        filename="measurements-template.xlsx",
        user=request.user,
        about=indicators,
    )


@login_required
def import_measurements(request: AuthedRequest) -> HttpResponse:
    """Upload a file of measurements; it is imported by a background job with a progress bar."""
    if not importing.may_import(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        ok, job = perform(
            request,
            lambda: imports.start(importing.KIND, upload.read(), filename=upload.name, actor=request.user),
            form,
        )
        if ok:
            messages.success(request, _("The file was received; it is being imported."))
            return redirect(f"{reverse('core:import-job', args=[job.pk])}?back={reverse('strategy:import')}")
    return render(
        request,
        "strategy/import.html",
        {"form": form, "max_rows": importing.page_limit()},
        status=422 if form.errors else 200,
    )


@login_required
def report_new(request: AuthedRequest, document_id: int) -> HttpResponse:
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    if not services.may_verify(request.user):
        raise Http404
    form = ReportForm(
        request.POST or None, initial={"year": services.today().year, "classification": document.classification}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, report = perform(
            request,
            lambda: services.create_report(
                document,
                actor=request.user,
                period=f"{data['year']:04d}-01-01",
                title=data["title"],
                conclusion=data["conclusion"],
                recommendations=data["recommendations"],
                classification=data["classification"],
            ),
            form,
            fields={"period": "year"},
        )
        if ok:
            messages.success(request, _("The evaluation report was saved."))
            return redirect("strategy:report-detail", report.pk)
    return render(
        request, "strategy/report_new.html", {"form": form, "document": document}, status=422 if form.errors else 200
    )


@login_required
def report_detail(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = policy.read_or_404(REPORTS, request.user, pk=report_id)
    return _report_page(request, report)


def _report_page(
    request: AuthedRequest, report: EvaluationReport, agenda_form: AgendaForm | None = None
) -> HttpResponse:
    return render(
        request,
        "strategy/report_detail.html",
        {
            "report": report,
            "figures": report.figures,
            "may_put_on_agenda": council.may_preside(request.user) and report.agenda_item_id is None,
            "agenda_form": agenda_form or AgendaForm(meetings=council.meetings_open_for_reports(request.user)),
            "instructions": list(instructions_aimed_at(report, request.user)[:50]),
        },
        status=422 if agenda_form is not None else 200,
    )


@login_required
@require_POST
def report_agenda(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = policy.read_or_404(REPORTS, request.user, pk=report_id)
    form = AgendaForm(request.POST, meetings=council.meetings_open_for_reports(request.user))
    if form.is_valid():
        ok, _item = perform(
            request, lambda: services.put_on_agenda(report, form.cleaned_data["meeting"], actor=request.user), form
        )
        if ok:
            messages.success(request, _("The report was put on the session's agenda."))
            return redirect("strategy:report-detail", report.pk)
    return _report_page(request, report, agenda_form=form)


@login_required
def report_export(request: AuthedRequest, report_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404
    # The export is the read: written to the audit log once, as an export, by the download.
    report = policy.get_visible_or_404(REPORTS, request.user, pk=report_id)
    document = exports.report_document(report, request.user)
    return documents.respond(document, fmt, f"evaluation-report-{report.pk}", user=request.user, about=report)


@login_required
def thresholds(request: AuthedRequest) -> HttpResponse:
    """The secretary's thresholds of the statuses; who reads them is ``services.may_read_thresholds``."""
    if not services.may_read_thresholds(request.user):
        raise Http404
    current = services.thresholds()
    form = ThresholdsForm(
        request.POST or None,
        initial={"achieved": current.achieved, "on_track": current.on_track, "at_risk": current.at_risk},
    )
    if request.method == "POST":
        if not services.may_set_thresholds(request.user):
            raise Http404
        if form.is_valid():
            ok, _saved = perform(
                request, lambda: services.set_thresholds(actor=request.user, **form.cleaned_data), form
            )
            if ok:
                messages.success(request, _("The thresholds were saved and every indicator re-evaluated."))
                return redirect(reverse("strategy:thresholds"))
    return render(
        request,
        "strategy/thresholds.html",
        {"form": form, "may_set": services.may_set_thresholds(request.user)},
        status=422 if form.errors else 200,
    )


# --- keeping the register on the pages (the same services as the API) ------------------------------


def _on_form_fields(call: Any, lines: list[int] | None = None) -> Any:
    """Run a service, naming its refusals after the form's fields: the service's ``targets[i].period``
    becomes the line of the targets field where the user typed the i-th target, ``baseline`` the
    baseline value."""
    try:
        return call()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        named: dict[str, list[str]] = {}
        for key, errors in error.message_dict.items():
            field = key
            if key.startswith("targets[") and lines is not None:
                index = int(key[len("targets[") : key.index("]")])
                number = lines[index] if index < len(lines) else index + 1
                field = "targets"
                errors = [_("Line %(line)s: %(message)s") % {"line": number, "message": m} for m in errors]
            elif key == "baseline":
                field = "baseline_value"
            named.setdefault(field, []).extend(errors)
        raise ValidationError(named) from None


def _form_page(request: AuthedRequest, form: Any, title: str, back: str, failed: bool, **extra: Any) -> HttpResponse:
    return render(
        request,
        "strategy/form.html",
        {"form": form, "title": title, "back": back, **extra},
        status=422 if failed or form.errors else 200,
    )


@login_required
def document_new(request: AuthedRequest) -> HttpResponse:
    """Register a strategic document (``services.create_document``); its parent is one the user sees."""
    if not services.may_edit(request.user):
        raise Http404
    form = DocumentForm(
        request.POST or None,
        organizations=directory.body_choices(request.user),
        documents=services.documents_for(request.user),
    )
    limit_classification(form, request.user)
    failed = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, document = perform(
            request, lambda: _on_form_fields(lambda: services.create_document(actor=request.user, **data)), form
        )
        if ok:
            messages.success(request, _("The document was registered."))
            return redirect("strategy:document-detail", document.pk)
        failed = True
    return _form_page(request, form, _("New strategic document"), reverse("strategy:document-list"), failed)


@login_required
def goal_new(request: AuthedRequest, document_id: int) -> HttpResponse:
    """Add a goal or a sub-goal to a document (``services.create_goal``)."""
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    if not services.may_edit(request.user):  # as everywhere in the app, what he may not edit is a 404
        raise Http404
    goals = services.goals_for(request.user, document).filter(parent__isnull=True)
    form = GoalForm(request.POST or None, goals=goals)
    limit_classification(form, request.user)
    failed = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _goal = perform(
            request, lambda: _on_form_fields(lambda: services.create_goal(document, actor=request.user, **data)), form
        )
        if ok:
            messages.success(request, _("The goal was added."))
            return redirect("strategy:document-detail", document.pk)
        failed = True
    back = reverse("strategy:document-detail", args=[document.pk])
    title = _("Add a goal to %(document)s") % {"document": document.title}
    return _form_page(request, form, title, back, failed, record=document)


@login_required
def indicator_new(request: AuthedRequest, document_id: int) -> HttpResponse:
    """Add an indicator with its targets to a document (``services.create_indicator``)."""
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    if not services.may_edit(request.user):  # as everywhere in the app, what he may not edit is a 404
        raise Http404
    form = IndicatorForm(
        request.POST or None,
        goals=services.goals_for(request.user, document),
        organizations=directory.body_choices(request.user),
    )
    limit_classification(form, request.user)
    failed = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rows = data.pop("targets")
        lines = [number for number, _day, _value in rows]
        targets = [(day, value) for _number, day, value in rows]
        ok, indicator = perform(
            request,
            lambda: _on_form_fields(
                lambda: services.create_indicator(document, actor=request.user, targets=targets, **data), lines
            ),
            form,
        )
        if ok:
            messages.success(request, _("The indicator was added."))
            return redirect("strategy:indicator-detail", indicator.pk)
        failed = True
    back = reverse("strategy:document-detail", args=[document.pk])
    title = _("Add an indicator to %(document)s") % {"document": document.title}
    return _form_page(request, form, title, back, failed, record=document)


@login_required
def indicator_edit(request: AuthedRequest, indicator_id: int) -> HttpResponse:
    """Change an indicator's wording, baseline and weight and its targets (``services.edit_indicator``),
    both or neither."""
    indicator = policy.read_or_404(INDICATORS, request.user, pk=indicator_id)
    if not services.may_edit(request.user):
        raise Http404
    initial = {
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline_value": indicator.baseline_value,
        "baseline_period": indicator.baseline_period,
        "data_source": indicator.data_source,
        "weight": indicator.weight,
        "targets": targets_text(indicator.targets.order_by("period")),
    }
    form = IndicatorEditForm(request.POST or None, initial=initial)
    failed = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rows = data.pop("targets")
        lines = [number for number, _day, _value in rows]

        def save() -> Indicator:
            return services.edit_indicator(
                indicator, actor=request.user, targets=[(day, value) for _n, day, value in rows], **data
            )

        ok, _saved = perform(request, lambda: _on_form_fields(save, lines), form)
        if ok:
            messages.success(request, _("The indicator was saved."))
            return redirect("strategy:indicator-detail", indicator.pk)
        failed = True
        indicator.refresh_from_db()
    back = reverse("strategy:indicator-detail", args=[indicator.pk])
    title = _("Edit %(code)s") % {"code": indicator.code}
    return _form_page(request, form, title, back, failed, record=indicator)
