"""API of the threat register: threats, reassessment, countermeasures, signals, observations, forecasts
and alerts, every read through the visibility policy."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from kenes.core import policy
from kenes.core.classification import level_from_input
from kenes.core.http import AuthedRequest
from kenes.core.schemas import ERRORS, Id, Pagination
from kenes.directory import services as directory
from kenes.threats import services
from kenes.threats.models import Countermeasure, Observation
from kenes.threats.schemas import (
    AcknowledgeIn,
    AlertFilter,
    AlertOut,
    AssessmentOut,
    CountermeasureIn,
    CountermeasureOut,
    CountermeasurePatch,
    ForecastIn,
    ForecastOut,
    MatrixOut,
    ObservationOut,
    ObservationsIn,
    ReassessmentIn,
    RecordedOut,
    SignalFilter,
    SignalIn,
    SignalOut,
    ThreatFilter,
    ThreatIn,
    ThreatOut,
)

router = Router(tags=["threats"])


@router.get("/threats", response={200: list[ThreatOut], **ERRORS}, summary="Threats the caller may see")
@paginate(Pagination)
def list_threats(request: AuthedRequest, filters: Query[ThreatFilter]):
    return services.threats_for(request.user, **filters.dict())


@router.post("/threats", response={201: ThreatOut, **ERRORS}, summary="Enter a threat in the register")
def create_threat(request: AuthedRequest, data: ThreatIn):
    owner = directory.active_body(request.user, data.owner, field="owner") if data.owner is not None else None
    threat = services.create_threat(
        actor=request.user,
        title=data.title,
        domain=data.domain,
        scope=data.scope,
        likelihood=data.likelihood,
        impact=data.impact,
        owner=owner,
        description=data.description,
        trend=data.trend,
        classification=level_from_input(data.classification),
    )
    return Status(201, threat)


@router.get("/threats/matrix", response={200: MatrixOut, **ERRORS}, summary="Likelihood × impact counts")
def threat_matrix(request: AuthedRequest, filters: Query[ThreatFilter]):
    counts = services.matrix(request.user, domain=filters.domain, scope=filters.scope)
    return {"likelihood": [5, 4, 3, 2, 1], "impact": [1, 2, 3, 4, 5], "counts": counts}


@router.get("/threats/{threat_id}", response={200: ThreatOut, **ERRORS}, summary="A threat")
def get_threat(request: AuthedRequest, threat_id: Id):
    return policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)


@router.get(
    "/threats/{threat_id}/assessments", response={200: list[AssessmentOut], **ERRORS}, summary="Its assessments"
)
def list_assessments(request: AuthedRequest, threat_id: Id):
    threat = policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)
    return list(threat.assessments.all()[:500])


@router.post("/threats/{threat_id}/reassessment", response={201: AssessmentOut, **ERRORS}, summary="Reassess a threat")
def reassess(request: AuthedRequest, threat_id: Id, data: ReassessmentIn):
    threat = policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)
    assessment = services.reassess_threat(
        threat,
        actor=request.user,
        likelihood=data.likelihood,
        impact=data.impact,
        trend=data.trend,
        reason=data.reason,
    )
    return Status(201, assessment)


@router.get(
    "/threats/{threat_id}/countermeasures",
    response={200: list[CountermeasureOut], **ERRORS},
    summary="Its countermeasures",
)
@paginate(Pagination)
def list_countermeasures(request: AuthedRequest, threat_id: Id):
    threat = policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)
    return services.countermeasures_for(request.user, threat)


@router.post(
    "/threats/{threat_id}/countermeasures", response={201: CountermeasureOut, **ERRORS}, summary="Add a countermeasure"
)
def add_countermeasure(request: AuthedRequest, threat_id: Id, data: CountermeasureIn):
    threat = policy.read_or_404(services.threats_for(request.user), request.user, pk=threat_id)
    measure = services.add_countermeasure(
        threat,
        actor=request.user,
        title=data.title,
        expected_effect=data.expected_effect,
        status=data.status,
        classification=level_from_input(data.classification),
    )
    return Status(201, measure)


@router.patch(
    "/countermeasures/{countermeasure_id}", response={200: CountermeasureOut, **ERRORS}, summary="Change its status"
)
def patch_countermeasure(request: AuthedRequest, countermeasure_id: Id, data: CountermeasurePatch):
    measure = policy.read_or_404(Countermeasure.objects, request.user, pk=countermeasure_id)  # policy: read_or_404
    return services.set_countermeasure_status(measure, actor=request.user, status=data.status)


@router.get("/signals", response={200: list[SignalOut], **ERRORS}, summary="Signals the caller may see")
@paginate(Pagination)
def list_signals(request: AuthedRequest, filters: Query[SignalFilter]):
    return services.signals_for(request.user, **filters.dict())


@router.post("/signals", response={201: SignalOut, **ERRORS}, summary="Define a signal")
def create_signal(request: AuthedRequest, data: SignalIn):
    threat = (
        policy.read_or_404(services.threats_for(request.user), request.user, pk=data.threat) if data.threat else None
    )
    signal = services.create_signal(
        actor=request.user,
        name=data.name,
        unit=data.unit,
        frequency=data.frequency,
        threat=threat,
        code=data.code,
        lower_threshold=data.lower_threshold,
        upper_threshold=data.upper_threshold,
        alert_threshold=data.alert_threshold,
        alert_outside_interval=data.alert_outside_interval,
        alert_forecast_crossing=data.alert_forecast_crossing,
        region=data.region,
        category=data.category,
        classification=level_from_input(data.classification),
    )
    return Status(201, signal)


@router.get("/signals/{signal_id}", response={200: SignalOut, **ERRORS}, summary="A signal")
def get_signal(request: AuthedRequest, signal_id: Id):
    return policy.read_or_404(services.signals_for(request.user), request.user, pk=signal_id)


@router.get(
    "/signals/{signal_id}/observations", response={200: list[ObservationOut], **ERRORS}, summary="Its observations"
)
@paginate(Pagination)
def list_observations(request: AuthedRequest, signal_id: Id):
    signal = policy.read_or_404(services.signals_for(request.user), request.user, pk=signal_id)
    return Observation.objects.filter(signal=signal).order_by("period")  # policy: of a visible signal


@router.post(
    "/signals/{signal_id}/observations",
    response={201: RecordedOut, **ERRORS},
    summary="Record observations, all or nothing",
)
def record_observations(request: AuthedRequest, signal_id: Id, data: ObservationsIn):
    signal = policy.read_or_404(services.signals_for(request.user), request.user, pk=signal_id)
    rows = [(item.period, item.value) for item in data.observations]
    return Status(201, services.record_observations(signal, actor=request.user, observations=rows))


@router.get("/signals/{signal_id}/forecast", response={200: ForecastOut, **ERRORS}, summary="Its latest forecast")
def get_forecast(request: AuthedRequest, signal_id: Id):
    forecast = services.latest_forecast(
        policy.read_or_404(services.signals_for(request.user), request.user, pk=signal_id)
    )
    if forecast is None:
        raise Http404(_("This signal has no forecast yet."))
    return forecast


@router.post("/signals/{signal_id}/forecast", response={201: ForecastOut, **ERRORS}, summary="Compute a forecast")
def post_forecast(request: AuthedRequest, signal_id: Id, data: ForecastIn):
    signal = policy.read_or_404(services.signals_for(request.user), request.user, pk=signal_id)
    return Status(201, services.compute_forecast(signal, actor=request.user, horizon=data.horizon))


@router.get("/alerts", response={200: list[AlertOut], **ERRORS}, summary="Alerts the caller may see")
@paginate(Pagination)
def list_alerts(request: AuthedRequest, filters: Query[AlertFilter]):
    return services.alerts_for(request.user, **filters.dict())


@router.get("/alerts/{alert_id}", response={200: AlertOut, **ERRORS}, summary="An alert")
def get_alert(request: AuthedRequest, alert_id: Id):
    return policy.read_or_404(services.alerts_for(request.user), request.user, pk=alert_id)


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, **ERRORS}, summary="Acknowledge an alert")
def acknowledge(request: AuthedRequest, alert_id: Id, data: AcknowledgeIn):
    alert = policy.read_or_404(services.alerts_for(request.user), request.user, pk=alert_id)
    return services.acknowledge_alert(alert, actor=request.user, comment=data.comment)
