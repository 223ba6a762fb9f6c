"""API of strategic monitoring: documents, goals, indicators, measurements, evaluations, reports, imports.

One record is fetched through ``policy.read_or_404`` (404 for missing and forbidden alike, and the read
of a secret one written to the audit log), once per request."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kenes.core import imports, policy
from kenes.core.classification import level_from_input
from kenes.core.http import AuthedRequest
from kenes.core.schemas import ERRORS, Id, Pagination
from kenes.council import services as council
from kenes.directory import services as directory
from kenes.strategy import importing, services
from kenes.strategy.models import (
    EvaluationReport,
    Goal,
    Indicator,
    Measurement,
    MeasurementRevision,
    StrategicDocument,
    Target,
)
from kenes.strategy.schemas import (
    AgendaIn,
    DocumentEvaluationOut,
    DocumentFilter,
    DocumentIn,
    DocumentOut,
    EvaluationOut,
    EvaluationReportIn,
    EvaluationReportOut,
    GoalIn,
    GoalOut,
    ImportStartedOut,
    IndicatorFilter,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    MeasurementOut,
    MeasurementsIn,
    ThresholdsIO,
)

router = Router(tags=["strategy"])


# The records the endpoints address by id, read only through ``policy.read_or_404`` (or, for an
# answer or a reference, ``policy.get_visible_or_404``).
DOCUMENTS = StrategicDocument.objects.all()  # policy: read through policy.read_or_404
REPORTS = EvaluationReport.objects.all()  # policy: read through policy.read_or_404
INDICATORS = Indicator.objects.select_related("document", "evaluation").prefetch_related(  # policy: read_or_404
    "targets"
)


def _measurements(indicator: Indicator) -> QuerySet[Measurement]:
    """The measurements of an indicator already fetched through the policy, with their revisions."""
    history = MeasurementRevision.objects.order_by("replaced_at", "pk")  # policy: of a visible indicator only
    return indicator.measurements.order_by("period").prefetch_related(Prefetch("revisions", queryset=history))


# --- documents -------------------------------------------------------------------------------------


@router.get("/strategic-documents", response={200: list[DocumentOut], **ERRORS}, summary="Strategic documents")
@paginate(Pagination)
def list_documents(request: AuthedRequest, filters: Query[DocumentFilter]):
    return services.documents_for(request.user, **filters.dict())


@router.post("/strategic-documents", response={201: DocumentOut, **ERRORS}, summary="Register a strategic document")
def create_document(request: AuthedRequest, data: DocumentIn):
    parent = policy.get_visible_or_404(StrategicDocument.objects, request.user, pk=data.parent) if data.parent else None
    document = services.create_document(
        actor=request.user,
        kind=data.kind,
        title=data.title,
        period_start=data.period_start,
        period_end=data.period_end,
        owner=directory.active_body(request.user, data.owner, field="owner"),
        parent=parent,
        status=data.status,
        description=data.description,
        classification=level_from_input(data.classification),
    )
    return Status(201, document)


@router.get("/strategic-documents/{document_id}", response={200: DocumentOut, **ERRORS}, summary="A strategic document")
def get_document(request: AuthedRequest, document_id: Id):
    return policy.read_or_404(DOCUMENTS, request.user, pk=document_id)


@router.get(
    "/strategic-documents/{document_id}/evaluation",
    response={200: DocumentEvaluationOut, **ERRORS},
    summary="Roll-up of the document and its goals over the indicators the caller may see",
)
def get_document_evaluation(request: AuthedRequest, document_id: Id):
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    _doc, root, _children = services.rollup(
        request.user, StrategicDocument.objects.visible_to(request.user).filter(pk=document.pk)
    )[0]
    goals = []

    def walk(nodes, parent):
        for node in nodes:
            goals.append(
                {
                    "id": node.pk,
                    "title": node.title,
                    "parent": parent,
                    "score": node.score,
                    "status": node.status,
                    "counts": node.counts,
                }
            )
            walk(node.children, node.pk)

    walk(root.children, None)
    return {"document": document.pk, "score": root.score, "status": root.status, "counts": root.counts, "goals": goals}


@router.get("/strategic-documents/{document_id}/goals", response={200: list[GoalOut], **ERRORS}, summary="Its goals")
@paginate(Pagination)
def list_goals(request: AuthedRequest, document_id: Id):
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    return services.goals_for(request.user, document)


@router.post("/strategic-documents/{document_id}/goals", response={201: GoalOut, **ERRORS}, summary="Add a goal")
def create_goal(request: AuthedRequest, document_id: Id, data: GoalIn):
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    parent = policy.get_visible_or_404(Goal.objects, request.user, pk=data.parent) if data.parent else None
    goal = services.create_goal(
        document,
        actor=request.user,
        title=data.title,
        weight=data.weight,
        parent=parent,
        classification=level_from_input(data.classification),
    )
    return Status(201, goal)


@router.get(
    "/strategic-documents/{document_id}/reports",
    response={200: list[EvaluationReportOut], **ERRORS},
    summary="Its reports",
)
@paginate(Pagination)
def list_document_reports(request: AuthedRequest, document_id: Id):
    document = policy.read_or_404(DOCUMENTS, request.user, pk=document_id)
    return services.reports_for(request.user, document=document.pk)


@router.post(
    "/strategic-documents/{document_id}/reports",
    response={201: EvaluationReportOut, **ERRORS},
    summary="Write an evaluation report",
)
def create_report(request: AuthedRequest, document_id: Id, data: EvaluationReportIn):
    report = services.create_report(
        policy.read_or_404(DOCUMENTS, request.user, pk=document_id),
        actor=request.user,
        period=data.period,
        conclusion=data.conclusion,
        recommendations=data.recommendations,
        title=data.title,
        classification=level_from_input(data.classification),
    )
    return Status(201, report)


@router.get(
    "/evaluation-reports/{report_id}", response={200: EvaluationReportOut, **ERRORS}, summary="An evaluation report"
)
def get_report(request: AuthedRequest, report_id: Id):
    return policy.read_or_404(REPORTS, request.user, pk=report_id)


@router.post(
    "/evaluation-reports/{report_id}/agenda",
    response={201: EvaluationReportOut, **ERRORS},
    summary="Put it on a session's agenda",
)
def put_report_on_agenda(request: AuthedRequest, report_id: Id, data: AgendaIn):
    report = policy.read_or_404(REPORTS, request.user, pk=report_id)
    meeting = policy.get_visible_or_404(council.meetings_for(request.user), request.user, pk=data.meeting)
    services.put_on_agenda(report, meeting, actor=request.user)
    report.refresh_from_db()
    return Status(201, report)


# --- indicators ------------------------------------------------------------------------------------


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, summary="Indicators the caller may see")
@paginate(Pagination)
def list_indicators(request: AuthedRequest, filters: Query[IndicatorFilter]):
    # By period, not by the model's ordering, which joins the indicator again.
    by_period = Target.objects.order_by("period")  # policy: only the visible indicators' targets (a prefetch)
    return services.indicators_for(request.user, **filters.dict()).prefetch_related(Prefetch("targets", by_period))


@router.post("/indicators", response={201: IndicatorOut, **ERRORS}, summary="Add an indicator")
def create_indicator(request: AuthedRequest, data: IndicatorIn):
    document = policy.get_visible_or_404(StrategicDocument.objects, request.user, pk=data.document)
    goal = policy.get_visible_or_404(Goal.objects, request.user, pk=data.goal) if data.goal else None
    indicator = services.create_indicator(
        document,
        actor=request.user,
        code=data.code,
        name=data.name,
        unit=data.unit,
        direction=data.direction,
        frequency=data.frequency,
        baseline_value=data.baseline,
        baseline_period=data.baseline_period,
        responsible=directory.active_body(request.user, data.responsible, field="responsible"),
        goal=goal,
        data_source=data.data_source,
        weight=data.weight,
        classification=level_from_input(data.classification),
        targets=[(t.period, t.value) for t in data.targets],
    )
    return Status(201, policy.get_visible_or_404(INDICATORS, request.user, pk=indicator.pk))


@router.get("/indicators/{indicator_id}", response={200: IndicatorOut, **ERRORS}, summary="An indicator")
def get_indicator(request: AuthedRequest, indicator_id: Id):
    return policy.read_or_404(INDICATORS, request.user, pk=indicator_id)


@router.patch(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, **ERRORS},
    summary="Change its baseline, weight or targets",
)
def patch_indicator(request: AuthedRequest, indicator_id: Id, data: IndicatorPatch):
    indicator = policy.read_or_404(INDICATORS, request.user, pk=indicator_id)
    services.edit_indicator(
        indicator,
        actor=request.user,
        targets=None if data.targets is None else [(t.period, t.value) for t in data.targets],
        baseline_value=data.baseline,
        baseline_period=data.baseline_period,
        weight=data.weight,
        name=data.name,
        unit=data.unit,
        data_source=data.data_source,
    )
    return policy.get_visible_or_404(INDICATORS, request.user, pk=indicator.pk)  # the answer; read once above


@router.get(
    "/indicators/{indicator_id}/measurements", response={200: list[MeasurementOut], **ERRORS}, summary="Actual values"
)
@paginate(Pagination)
def list_measurements(request: AuthedRequest, indicator_id: Id):
    return _measurements(policy.read_or_404(INDICATORS, request.user, pk=indicator_id))


@router.post(
    "/indicators/{indicator_id}/measurements",
    response={201: list[MeasurementOut], **ERRORS},
    summary="Record actual values, all or nothing",
    description=(
        "The evaluation (achievement, status) is updated at once; the forecast is recomputed by the background "
        "worker: the indicator's evaluation says `forecast_pending` (and since when) until the new one is in."
    ),
)
def post_measurements(request: AuthedRequest, indicator_id: Id, data: MeasurementsIn):
    indicator = policy.read_or_404(INDICATORS, request.user, pk=indicator_id)
    saved = services.record_measurements(
        indicator, actor=request.user, measurements=[(m.period, m.value) for m in data.measurements]
    )
    return Status(201, list(_measurements(indicator).filter(pk__in=[m.pk for m in saved])))


@router.get(
    "/indicators/{indicator_id}/evaluation",
    response={200: EvaluationOut, **ERRORS},
    summary="Its evaluation and forecast",
)
def get_evaluation(request: AuthedRequest, indicator_id: Id):
    return services.evaluation_of(policy.read_or_404(INDICATORS, request.user, pk=indicator_id))


@router.post(
    "/measurements/{measurement_id}/verify", response={200: MeasurementOut, **ERRORS}, summary="Verify a value"
)
def verify_measurement(request: AuthedRequest, measurement_id: Id):
    measurement = (
        Measurement.objects.filter(  # policy: only of an indicator the caller may see
            pk=measurement_id, indicator__in=Indicator.objects.visible_to(request.user)
        )
        .select_related("indicator")
        .first()
    )
    if measurement is None:
        raise Http404(_("Not found."))
    services.verify_measurement(measurement, actor=request.user)
    return _measurements(measurement.indicator).get(pk=measurement.pk)


@router.post(
    "/measurement-imports", response={202: ImportStartedOut, **ERRORS}, summary="Import measurements from XLSX or CSV"
)
def start_import(request: AuthedRequest, file: File[UploadedFile]):
    job = imports.start(importing.KIND, file.read(), filename=file.name or "upload", actor=request.user)
    return Status(202, {"id": job.pk, "status": job.status, "url": reverse("core:import-job", args=[job.pk])})


# --- thresholds ------------------------------------------------------------------------------------


@router.get("/evaluation-settings", response={200: ThresholdsIO, **ERRORS}, summary="Thresholds of the statuses")
def get_thresholds(request: AuthedRequest):
    if not services.may_read_thresholds(request.user):
        raise Http404(_("Not found."))
    return services.thresholds()


@router.put("/evaluation-settings", response={200: ThresholdsIO, **ERRORS}, summary="Set the thresholds (secretary)")
def put_thresholds(request: AuthedRequest, data: ThresholdsIO):
    return services.set_thresholds(actor=request.user, **data.dict())
