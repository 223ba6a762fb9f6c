"""Pages of the threat register: the register and its matrix, a threat, a signal with its forecast fan,
alerts, imports, forecast runs and situation reports, with their exports."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kenes.control.services import may_issue
from kenes.core import imports, periods, policy
from kenes.core.classification import Classification
from kenes.core.http import AuthedRequest, download, safe_target
from kenes.core.web import after_action, filters_from, page_number, perform
from kenes.council.services import meetings_open_for_reports
from kenes.directory.services import body_choices
from kenes.reports import documents, import_template
from kenes.threats import exports, forecasting, report_sections, services
from kenes.threats import imports as threat_imports
from kenes.threats.choices import Domain, Scope
from kenes.threats.forms import (
    AcknowledgeForm,
    AcknowledgeManyForm,
    AgendaForm,
    AlertFilterForm,
    CountermeasureForm,
    CountermeasureStatusForm,
    EventUploadForm,
    HorizonForm,
    MatrixFilterForm,
    ObservationForm,
    ReassessForm,
    ReportForm,
    SignalForm,
    ThreatFilterForm,
    ThreatForm,
    UploadForm,
)
from kenes.threats.models import ForecastRun, Signal, Threat

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request: AuthedRequest) -> tuple[ThreatFilterForm, QuerySet[Threat]]:
    form = ThreatFilterForm(request.GET or None, organizations=body_choices(request.user))
    filters = filters_from(form)
    return form, services.threats_for(request.user, **filters)


@login_required
def threat_list(request: AuthedRequest) -> HttpResponse:
    form, threats = _filtered(request)
    page = Paginator(threats, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "threats/threat_list.html",
        {
            "filters": form,
            "page": page,
            "may_edit": services.may_edit(request.user),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def threat_export(request: AuthedRequest) -> HttpResponse:
    """The register as filtered, as XLSX, marked with the highest level in it."""
    _form, threats = _filtered(request)
    level = threats.aggregate(level=Max("classification"))["level"] or Classification.PUBLIC
    listed = list(threats[:100_000])
    header = [
        _("Title"),
        _("Domain"),
        _("Scope"),
        _("Likelihood"),
        _("Impact"),
        _("Score"),
        _("Trend"),
        _("Owner body"),
        _("Classification"),
        _("Description"),
    ]
    rows = [
        [
            t.title,
            t.get_domain_display(),
            t.get_scope_display(),
            t.likelihood,
            t.impact,
            t.score,
            t.get_trend_display(),
            t.owner.name,
            Classification(t.classification).label,
            t.description,
        ]
        for t in listed
    ]
    content = documents.to_xlsx([(str(_("Threats")), header, rows)], marking=documents.marking(level))
    return download(content, content_type=XLSX, filename="threats.xlsx", user=request.user, about=listed)


@login_required
def matrix(request: AuthedRequest) -> HttpResponse:
    """The likelihood × impact grid; each count opens the register filtered to that cell."""
    form = MatrixFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    domain, scope = values.get("domain") or None, values.get("scope") or None
    grid = services.matrix(request.user, domain=domain, scope=scope)
    base = "&".join(f"{k}={v}" for k, v in (("domain", domain), ("scope", scope)) if v)
    rows = [(5 - r, [(c + 1, count, (5 - r) * (c + 1)) for c, count in enumerate(row)]) for r, row in enumerate(grid)]
    return render(request, "threats/matrix.html", {"form": form, "rows": rows, "base": base})


@login_required
def threat_new(request: AuthedRequest) -> HttpResponse:
    if not services.may_edit(request.user):
        raise Http404
    form = ThreatForm(request.POST or None, organizations=body_choices(request.user))
    if request.method == "POST" and form.is_valid():
        ok, threat = perform(request, lambda: services.create_threat(actor=request.user, **form.cleaned_data), form)
        if ok:
            messages.success(request, _("The threat was registered."))
            return redirect("threats:threat-detail", threat.pk)
    return render(
        request, "threats/form.html", {"form": form, "title": _("New threat")}, status=422 if form.errors else 200
    )


def _threat_context(request: AuthedRequest, threat: Threat, **forms: Any) -> dict[str, Any]:
    user = request.user
    signals = list(services.signals_for(user, threat=threat.pk))
    latest = services.latest_periods(signals)
    measures = list(services.countermeasures_for(user, threat))
    aimed = services.instructions_for_countermeasures(user, measures)
    alerts = list(services.alerts_for(user).filter(signal__threat=threat)[:50])
    return {
        "threat": threat,
        "assessments": threat.assessments.select_related("assessed_by")[:100],
        "signals": [(s, latest.get(s.pk)) for s in signals],
        "alerts": alerts,
        "acknowledgeable": services.acknowledgeable(user, alerts),
        "countermeasures": [(m, aimed.get(m.pk, [])) for m in measures],
        "instructions": services.instructions_for_subject(threat, user),
        "may_edit": services.may_edit(user),
        "may_issue": may_issue(user),
        "reassess_form": forms.get("reassess_form")
        or ReassessForm(initial={"likelihood": threat.likelihood, "impact": threat.impact, "trend": threat.trend}),
        "countermeasure_form": forms.get("countermeasure_form") or CountermeasureForm(),
        "status_form": CountermeasureStatusForm(),
    }


@login_required
def threat_detail(request: AuthedRequest, threat_id: int) -> HttpResponse:
    threat = policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)
    return render(request, "threats/threat_detail.html", _threat_context(request, threat))


@login_required
@require_POST
def threat_action(request: AuthedRequest, threat_id: int, action: str) -> HttpResponse:
    """Reassess, add a countermeasure, or change a countermeasure's status."""
    threat = policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)
    forms: dict[str, Form] = {}
    form: Form
    if action == "reassess":
        form = forms["reassess_form"] = ReassessForm(request.POST)
        if (
            form.is_valid()
            and perform(
                request, lambda: services.reassess_threat(threat, actor=request.user, **form.cleaned_data), form
            )[0]
        ):
            messages.success(request, _("The threat was reassessed."))
    elif action == "countermeasure":
        form = forms["countermeasure_form"] = CountermeasureForm(request.POST)
        if (
            form.is_valid()
            and perform(
                request, lambda: services.add_countermeasure(threat, actor=request.user, **form.cleaned_data), form
            )[0]
        ):
            messages.success(request, _("The countermeasure was added."))
    elif action == "countermeasure-status":
        form = CountermeasureStatusForm(request.POST)
        if not form.is_valid():
            raise Http404
        measure = policy.read_or_404(
            services.countermeasures_for(request.user, threat), request.user, pk=form.cleaned_data["countermeasure"]
        )
        if perform(
            request,
            lambda: services.set_countermeasure_status(measure, actor=request.user, status=form.cleaned_data["status"]),
        )[0]:
            messages.success(request, _("The countermeasure's status was changed."))
    else:
        raise Http404
    return after_action(request, threat, forms, "threats/threat_detail.html", _threat_context, "threats:threat-detail")


@login_required
def signal_new(request: AuthedRequest, threat_id: int) -> HttpResponse:
    threat = policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)
    if not services.may_edit(request.user):
        raise Http404
    form = SignalForm(request.POST or None, initial={"classification": threat.classification})
    if request.method == "POST" and form.is_valid():
        ok, signal = perform(
            request, lambda: services.create_signal(actor=request.user, threat=threat, **form.cleaned_data), form
        )
        if ok:
            messages.success(request, _("The signal was added."))
            return redirect("threats:signal-detail", signal.pk)
    return render(
        request,
        "threats/form.html",
        {"form": form, "title": _("New signal of %(threat)s") % {"threat": threat.title}},
        status=422 if form.errors else 200,
    )


def fan_chart(signal: Signal, history: list, forecast) -> str:
    """The data of the forecast fan: actuals, the forecast mean and its 80% and 95% bands."""
    shown = history[-60:]
    labels = [periods.label(p, signal.frequency) for p, _v in shown]
    actual: list = [v for _p, v in shown]
    mean: list = [None] * len(shown)
    lo80, hi80, lo95, hi95 = (list(mean) for _ in range(4))
    if forecast is not None:
        if shown and shown[-1][0] == forecast.last_period:
            mean[-1] = lo80[-1] = hi80[-1] = lo95[-1] = hi95[-1] = shown[-1][1]
        for point in forecast.points:
            labels.append(periods.label(periods.parse(point["period"], signal.frequency), signal.frequency))
            actual.append(None)
            mean.append(round(point["mean"], 4))
            lo80.append(round(point["lo80"], 4))
            hi80.append(round(point["hi80"], 4))
            lo95.append(round(point["lo95"], 4))
            hi95.append(round(point["hi95"], 4))
    return json.dumps(
        {
            "labels": labels,
            "actual": {"label": str(_("Observed")), "data": actual},
            "mean": {"label": str(_("Forecast")), "data": mean},
            # xgettext:no-python-format
            "band80": {"label": str(_("80% interval")), "lo": lo80, "hi": hi80},
            # xgettext:no-python-format
            "band95": {"label": str(_("95% interval")), "lo": lo95, "hi": hi95},
            "thresholds": [t for t in (signal.lower_threshold, signal.upper_threshold) if t is not None],
        }
    )


def _signal_context(request: AuthedRequest, signal: Signal, **forms: Any) -> dict[str, Any]:
    user = request.user
    history = services.history(signal)
    forecast = services.latest_forecast(signal)
    alerts = list(services.alerts_for(user, signal=signal.pk)[:50])
    return {
        "signal": signal,
        "history": list(reversed(history))[:120],
        "history_count": len(history),
        "forecast": forecast,
        "chart": fan_chart(signal, history, forecast),
        "alerts": alerts,
        "acknowledgeable": services.acknowledgeable(user, alerts),
        "may_record": services.may_record(user, signal),
        "observation_form": forms.get("observation_form") or ObservationForm(),
        "horizon_form": forms.get("horizon_form") or HorizonForm(),
        "acknowledge_form": AcknowledgeForm(),
        "min_length": forecasting.min_length(12, periods.season_length(signal.frequency)),
    }


@login_required
def signal_detail(request: AuthedRequest, signal_id: int) -> HttpResponse:
    signal = policy.read_or_404(services.signals_for(request.user), request.user, pk=signal_id)
    return render(request, "threats/signal_detail.html", _signal_context(request, signal))


@login_required
@require_POST
def signal_action(request: AuthedRequest, signal_id: int, action: str) -> HttpResponse:
    """Record an observation, or compute the forecast now."""
    signal = policy.read_or_404(services.signals_for(request.user), request.user, pk=signal_id)
    forms: dict[str, Form] = {}
    form: Form
    if action == "observation":
        form = forms["observation_form"] = ObservationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ok, _result = perform(
                request,
                lambda: services.record_observations(
                    signal, actor=request.user, observations=[(data["period"], data["value"])]
                ),
                form,
            )
            if ok:
                messages.success(request, _("The observation was recorded; the forecast is being recomputed."))
    elif action == "forecast":
        form = forms["horizon_form"] = HorizonForm(request.POST)
        if form.is_valid():
            ok, _result = perform(
                request,
                lambda: services.compute_forecast(signal, actor=request.user, horizon=form.cleaned_data["horizon"]),
                form,
            )
            if ok:
                messages.success(request, _("The forecast was computed."))
    else:
        raise Http404
    return after_action(request, signal, forms, "threats/signal_detail.html", _signal_context, "threats:signal-detail")


@login_required
def alert_list(request: AuthedRequest) -> HttpResponse:
    """The alerts the reader may see, filtered and paged; those he may acknowledge, ticked together."""
    user = request.user
    filters = AlertFilterForm(request.GET or None, signals=services.signals_for(user), organizations=body_choices(user))
    alerts = services.alerts_for(user, **filters.filters())
    page = Paginator(alerts, PAGE_SIZE).get_page(page_number(request))
    page.object_list = list(page.object_list)
    context = {
        "page": page,
        "filters": filters,
        "form": AcknowledgeForm(),
        "many_form": AcknowledgeManyForm(),
        "may_edit": services.may_edit(user),
        "acknowledgeable": services.acknowledgeable(user, page.object_list),
    }
    return render(request, "threats/alert_list.html", context)


@login_required
@require_POST
def alert_acknowledge_many(request: AuthedRequest) -> HttpResponse:
    """Acknowledge the ticked alerts with one comment: an alert the reader may not see is a 404, and
    nothing is acknowledged unless all are."""
    form = AcknowledgeManyForm(request.POST)
    back = safe_target(request, request.POST.get("next")) or reverse("threats:alert-list")
    ids = form.alert_ids()
    if ids is None:
        raise Http404
    alerts = list(services.alerts_for(request.user).filter(pk__in=ids))
    if len(alerts) != len(ids):
        raise Http404
    if not ids:
        messages.error(request, _("Tick the alerts to acknowledge."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, _("Write a comment to acknowledge the alerts."))
        return redirect(back)
    ok, done = perform(request, lambda: services.acknowledge_many(request.user, alerts, form.cleaned_data["comment"]))
    if ok:
        messages.success(
            request,
            ngettext("%(count)d alert acknowledged.", "%(count)d alerts acknowledged.", len(done))
            % {"count": len(done)},
        )
    return redirect(back)


@login_required
@require_POST
def alert_acknowledge(request: AuthedRequest) -> HttpResponse:
    form = AcknowledgeForm(request.POST)
    back = safe_target(request, request.POST.get("next")) or reverse("threats:alert-list")
    if not form.is_valid():
        messages.error(request, _("Write a comment to acknowledge the alert."))
        return redirect(back)
    alert = policy.read_or_404(services.alerts_for(request.user), request.user, pk=form.cleaned_data["alert"])
    ok, _alert = perform(
        request, lambda: services.acknowledge_alert(alert, actor=request.user, comment=form.cleaned_data["comment"])
    )
    if ok:
        messages.success(request, _("The alert was acknowledged."))
    return redirect(back)


@login_required
def import_template_xlsx(request: AuthedRequest, kind: str) -> HttpResponse:
    """The XLSX template of an import; observations offer the codes of the signals the user may record."""
    if kind not in threat_imports.TEMPLATES or not services.may_edit(request.user):
        raise Http404
    signals = threat_imports.template_signals(request.user) if kind == "observations" else []
    codes = {"signal": [s.code for s in signals]} if signals else {}
    return download(
        import_template.build(
            threat_imports.TEMPLATES[kind], codes=codes, level=max((s.classification for s in signals), default=0)
        ),
        content_type=import_template.CONTENT_TYPE,
        filename=f"{kind}-template.xlsx",
        user=request.user,
        about=signals,
    )


@login_required
def import_upload(request: AuthedRequest, kind: str) -> HttpResponse:
    """Upload observations (signal code, period, value) or events (date, region, category)."""
    if kind not in ("observations", "events") or not services.may_edit(request.user):
        raise Http404
    form: UploadForm
    if kind == "events":
        threats = services.threats_for(request.user).order_by("title")
        form = EventUploadForm(request.POST or None, request.FILES or None, threats=threats)
    else:
        form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        params = {}
        if kind == "events":
            params["classification"] = form.cleaned_data["classification"]
            if form.cleaned_data.get("threat"):
                params["threat"] = form.cleaned_data["threat"].pk
        ok, job = perform(
            request,
            lambda: imports.start(
                f"threats.{kind}", upload.read(), filename=upload.name, actor=request.user, params=params
            ),
            form,
        )
        if ok:
            messages.success(request, _("The file was received; it is being imported."))
            return redirect(reverse("core:import-job", args=[job.pk]) + "?back=" + reverse("threats:threat-list"))
    return render(request, "threats/import.html", {"form": form, "kind": kind}, status=422 if form.errors else 200)


def _may_run(user) -> bool:
    return services.may_edit(user)


@login_required
def run_list(request: AuthedRequest) -> HttpResponse:
    if not _may_run(request.user):
        raise Http404
    form = HorizonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, run = perform(
            request, lambda: services.start_run(actor=request.user, horizon=form.cleaned_data["horizon"]), form
        )
        if ok:
            messages.success(request, _("The forecast run was started."))
            return redirect("threats:run-detail", run.pk)
    runs = [_shown_run(request, run) for run in services.runs_for(request.user)[:20]]
    status = 422 if form.errors else 200
    return render(request, "threats/run_list.html", {"runs": runs, "form": form}, status=status)


def _shown_run(request: AuthedRequest, run: ForecastRun) -> ForecastRun:
    """The run as the pages show it to this reader: ended if its worker died; with its counts or not."""
    run = services.end_if_interrupted(run)
    run.counts_shown = services.shows_counts(request.user, run)  # type: ignore[attr-defined]
    return run


def _run(request: AuthedRequest, run_id: int) -> ForecastRun:
    run = services.runs_for(request.user).filter(pk=run_id).first() if _may_run(request.user) else None
    if run is None:
        raise Http404
    return _shown_run(request, run)


@login_required
@never_cache
def run_detail(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    context = {"run": run, "finished": run.finished, "may_cancel": services.may_cancel(request.user, run)}
    if request.headers.get("HX-Request"):
        return render(request, "threats/_run_progress.html", context)
    return render(request, "threats/run_detail.html", context)


@login_required
@require_POST
def run_cancel(request: AuthedRequest, run_id: int) -> HttpResponse:
    """The secretary cancels a run (anyone else who sees it: 403); it stops at its next checkpoint."""
    run = _run(request, run_id)
    if not services.cancels_runs(request.user):
        raise PermissionDenied
    ok, _result = perform(request, lambda: services.cancel_run(run, actor=request.user))
    if ok:
        messages.success(request, _("The forecast run was cancelled."))
    return redirect("threats:run-detail", run.pk)


@login_required
def report_list(request: AuthedRequest) -> HttpResponse:
    reports = services.reports_for(request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(page_number(request))
    return render(request, "threats/report_list.html", {"page": page, "may_edit": services.may_edit(request.user)})


@login_required
def report_new(request: AuthedRequest) -> HttpResponse:
    if not services.may_edit(request.user):
        raise Http404
    form = ReportForm(request.POST or None, organizations=body_choices(request.user))
    if request.method == "POST" and form.is_valid():
        ok, report = perform(
            request, lambda: services.create_situation_report(actor=request.user, **form.cleaned_data), form
        )
        if ok:
            messages.success(request, _("The situation report was created."))
            return redirect("threats:report-detail", report.pk)
    return render(
        request,
        "threats/form.html",
        {"form": form, "title": _("New situation report")},
        status=422 if form.errors else 200,
    )


@login_required
def report_detail(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = policy.read_or_404(services.reports_for(request.user), request.user, pk=report_id)
    form = AgendaForm(request.POST or None, meetings=meetings_open_for_reports(request.user))
    if request.method == "POST" and form.is_valid():
        ok, _item = perform(
            request,
            lambda: services.put_report_on_agenda(report, form.cleaned_data["meeting"], actor=request.user),
            form,
        )
        if ok:
            messages.success(request, _("The report was put on the session's agenda."))
            return redirect("threats:report-detail", report.pk)
    return render(
        request,
        "threats/report_detail.html",
        {
            "report": report,
            "scope": exports.scope_text(report),
            "sections": report_sections.shown(report.sections or {}),
            "agenda_form": form,
            "domains": dict(Domain.choices),
            "scopes": dict(Scope.choices),
            "instructions": services.instructions_for_subject(report, request.user),
        },
    )


@login_required
def report_export(request: AuthedRequest, report_id: int, fmt: str) -> HttpResponse:
    # Not read_or_404: what is recorded is its export, by documents.respond (one event, not two).
    report = policy.get_visible_or_404(services.reports_for(request.user), request.user, pk=report_id)
    document = exports.report_document(report, request.user)
    return documents.respond(document, fmt, f"situation-report-{report.pk}", user=request.user, about=report)
