"""The generated part of a situation report: what the author may read of the register, as it stands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.utils import timezone

from kenes.accounts.models import User
from kenes.core import composition
from kenes.core.classification import Classification
from kenes.threats.choices import AlertKind, Domain
from kenes.threats.models import Alert, Countermeasure, Forecast, Signal, Threat, ThreatAssessment


def report_sections(
    user: User, start: dt.date, end: dt.date, max_level: int | None = None
) -> tuple[dict[str, Any], int]:
    """The generated part of a situation report, and the highest level of what went into it.

    A situation report is a composed document (:mod:`kenes.core.composition`): with ``max_level`` (the
    report's own level) only the threats, alerts, signals and countermeasures at or below it enter."""
    level = user.clearance if max_level is None else max_level
    threats = composition.at_or_below(Threat.objects.visible_to(user), level)
    levels: list[int] = [Classification.PUBLIC]
    by_domain = []
    for row in threats.order_by().values("domain").annotate(n=Count("pk"), level=Max("classification")):
        by_domain.append({"domain": str(Domain(row["domain"]).label), "count": row["n"]})
        levels.append(row["level"])
    by_domain.sort(key=lambda r: (-r["count"], r["domain"]))
    top = [
        {"title": t.title, "likelihood": t.likelihood, "impact": t.impact, "trend": str(t.get_trend_display())}
        for t in threats.order_by("-likelihood", "-impact", "title")[:10]
    ]
    levels += [t.classification for t in threats.order_by("-likelihood", "-impact", "title")[:10]]
    changes = (
        ThreatAssessment.objects.filter(
            threat__in=threats, assessed_at__date__gte=start, assessed_at__date__lte=end, old_likelihood__isnull=False
        )
        .select_related("threat")
        .order_by("-assessed_at")[:50]
    )
    assessment_rows = []
    for a in changes:
        levels.append(a.threat.classification)
        assessment_rows.append(
            {
                "threat": a.threat.title,
                "from": f"{a.old_likelihood}×{a.old_impact}",
                "to": f"{a.new_likelihood}×{a.new_impact}",
                "reason": a.reason,
                "date": timezone.localtime(a.assessed_at).date().isoformat(),
            }
        )
    alerts = composition.at_or_below(Alert.objects.visible_to(user), level)
    alerts = alerts.filter(raised_at__date__gte=start, raised_at__date__lte=end)
    alert_rows = []
    for alert in alerts.select_related("signal").order_by("-raised_at")[:50]:
        levels.append(alert.classification)
        alert_rows.append(
            {"signal": alert.signal.name, "kind": str(alert.get_kind_display()), "message": alert.message}
        )
    latest = Forecast.objects.filter(signal=OuterRef("signal")).order_by("-created_at", "-pk").values("pk")[:1]
    # A forecast enters because of an open crossing alert the author may read, at or below the report's
    # level: an alert he may not read (or one above the report) selects nothing.
    crossing = composition.at_or_below(Alert.objects.visible_to(user), level).filter(
        signal=OuterRef("signal"), kind=AlertKind.FORECAST_CROSSING, acknowledged_at__isnull=True
    )
    forecasts = (
        Forecast.objects.filter(
            signal__in=composition.at_or_below(Signal.objects.visible_to(user), level), pk=Subquery(latest)
        )
        .filter(Exists(crossing))
        .select_related("signal")
        .order_by("signal__name")[:30]
    )
    forecast_rows = []
    for f in forecasts:
        levels.append(f.signal.classification)
        end_point = f.points[-1] if f.points else {}
        forecast_rows.append(
            {
                "signal": f.signal.name,
                "model": f.model,
                "end": end_point.get("period", ""),
                "mean": round(end_point.get("mean", 0.0), 2),
                "mase": round(f.mase, 2),
                "baseline_mase": round(f.baseline_mase, 2),
            }
        )
    measures = composition.at_or_below(Countermeasure.objects.visible_to(user), level)
    measures = measures.select_related("threat").order_by("threat__title", "pk")[:100]
    measure_rows = []
    for m in measures:
        levels.append(m.classification)
        measure_rows.append({"threat": m.threat.title, "title": m.title, "status": str(m.get_status_display())})
    sections = {
        "by_domain": by_domain,
        "top": top,
        "assessments": assessment_rows,
        "alerts": alert_rows,
        "forecasts": forecast_rows,
        "countermeasures": measure_rows,
    }
    return sections, max(int(level) for level in levels)
