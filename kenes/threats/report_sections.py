"""The generated part of a situation report: what the author may read of the register, as it stands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from kenes.accounts.models import User
from kenes.core import composition, texts
from kenes.core.classification import Classification
from kenes.threats.choices import AlertKind, CountermeasureStatus, Domain, Trend
from kenes.threats.models import Alert, Countermeasure, Forecast, Signal, Threat, ThreatAssessment

Rows = list[dict[str, Any]]


def scope_q(prefix: str = "", *, domain: str = "", scope: str = "", owner: int | None = None) -> Q:
    """The condition on threats (reached through ``prefix``, e.g. ``signal__threat__``) of a report's
    scope: its domain, scope and owner body, each when given."""
    chosen = {"domain": domain, "scope": scope, "owner_id": owner}
    return Q(**{f"{prefix}{field}": value for field, value in chosen.items() if value})


def report_sections(
    user: User, start: dt.date, end: dt.date, max_level: int | None = None, **scope: Any
) -> tuple[dict[str, Any], int]:
    """The generated part of a situation report, and the highest level of what went into it.

    A situation report is a composed document (:mod:`kenes.core.composition`): with ``max_level`` (the
    report's own level) only the threats, alerts, signals and countermeasures at or below it enter.
    A scoped report (``domain``, ``scope``, ``owner``: :func:`scope_q`) holds in every section only
    what concerns the threats of its scope. Each section answers its rows and the levels of what it
    holds."""
    level = user.clearance if max_level is None else max_level
    threats = composition.at_or_below(Threat.objects.visible_to(user), level).filter(scope_q(**scope))
    sections: dict[str, Any] = {}
    levels: list[int] = [Classification.PUBLIC]
    for name, (rows, held) in (
        ("by_domain", _by_domain(threats)),
        ("top", _top(threats)),
        ("assessments", _assessments(threats, start, end)),
        ("alerts", _alerts(user, level, start, end, scope_q("signal__threat__", **scope))),
        ("forecasts", _forecasts(user, level, scope_q("threat__", **scope))),
        ("countermeasures", _countermeasures(user, level, scope_q("threat__", **scope))),
    ):
        sections[name] = rows
        levels += held
    return sections, max(int(level) for level in levels)


def _by_domain(threats: QuerySet[Threat]) -> tuple[Rows, list[int]]:
    rows, levels = [], []
    for row in threats.order_by().values("domain").annotate(n=Count("pk"), level=Max("classification")):
        rows.append({"domain": str(Domain(row["domain"]).label), "domain_code": row["domain"], "count": row["n"]})
        levels.append(row["level"])
    rows.sort(key=lambda r: (-r["count"], r["domain"]))
    return rows, levels


def _top(threats: QuerySet[Threat]) -> tuple[Rows, list[int]]:
    gravest = list(threats.order_by("-likelihood", "-impact", "title")[:10])
    rows = [
        {
            "title": t.title,
            "likelihood": t.likelihood,
            "impact": t.impact,
            "trend": str(t.get_trend_display()),
            "trend_code": t.trend,
        }
        for t in gravest
    ]
    return rows, [t.classification for t in gravest]


def _assessments(threats: QuerySet[Threat], start: dt.date, end: dt.date) -> tuple[Rows, list[int]]:
    changes = (
        ThreatAssessment.objects.filter(
            threat__in=threats, assessed_at__date__gte=start, assessed_at__date__lte=end, old_likelihood__isnull=False
        )
        .select_related("threat")
        .order_by("-assessed_at")[:50]
    )
    rows, levels = [], []
    for a in changes:
        levels.append(a.threat.classification)
        rows.append(
            {
                "threat": a.threat.title,
                "from": f"{a.old_likelihood}×{a.old_impact}",
                "to": f"{a.new_likelihood}×{a.new_impact}",
                "reason": a.reason,
                "date": timezone.localtime(a.assessed_at).date().isoformat(),
            }
        )
    return rows, levels


def _alerts(user: User, level: int, start: dt.date, end: dt.date, scoped: Q) -> tuple[Rows, list[int]]:
    alerts = composition.at_or_below(Alert.objects.visible_to(user), level).filter(scoped)
    alerts = alerts.filter(raised_at__date__gte=start, raised_at__date__lte=end)
    rows, levels = [], []
    for alert in alerts.select_related("signal").order_by("-raised_at")[:50]:
        levels.append(alert.classification)
        rows.append(
            {
                "signal": alert.signal.name,
                "kind": str(alert.get_kind_display()),
                "kind_code": alert.kind,
                "message": alert.text,
                "text": {"code": alert.code, "params": alert.params},
            }
        )
    return rows, levels


def _forecasts(user: User, level: int, scoped: Q) -> tuple[Rows, list[int]]:
    latest = Forecast.objects.filter(signal=OuterRef("signal")).order_by("-created_at", "-pk").values("pk")[:1]
    # A forecast enters because of an open crossing alert the author may read, at or below the report's
    # level: an alert he may not read (or one above the report) selects nothing.
    crossing = composition.at_or_below(Alert.objects.visible_to(user), level).filter(
        signal=OuterRef("signal"), kind=AlertKind.FORECAST_CROSSING, acknowledged_at__isnull=True
    )
    forecasts = (
        Forecast.objects.filter(
            signal__in=composition.at_or_below(Signal.objects.visible_to(user), level).filter(scoped),
            pk=Subquery(latest),
        )
        .filter(Exists(crossing))
        .select_related("signal")
        .order_by("signal__name")[:30]
    )
    rows, levels = [], []
    for f in forecasts:
        levels.append(f.signal.classification)
        end_point = f.points[-1] if f.points else {}
        rows.append(
            {
                "signal": f.signal.name,
                "model": f.model,
                "end": end_point.get("period", ""),
                "mean": round(end_point.get("mean", 0.0), 2),
                "mase": round(f.mase, 2),
                "baseline_mase": round(f.baseline_mase, 2),
            }
        )
    return rows, levels


def _countermeasures(user: User, level: int, scoped: Q) -> tuple[Rows, list[int]]:
    measures = composition.at_or_below(Countermeasure.objects.visible_to(user), level).filter(scoped)
    measures = measures.select_related("threat").order_by("threat__title", "pk")[:100]
    rows, levels = [], []
    for m in measures:
        levels.append(m.classification)
        rows.append(
            {"threat": m.threat.title, "title": m.title, "status": str(m.get_status_display()), "status_code": m.status}
        )
    return rows, levels


# The labels of a section's rows, stored with their codes, translated when read: (section, label, code, choices)
_LABELS = (
    ("by_domain", "domain", "domain_code", Domain),
    ("top", "trend", "trend_code", Trend),
    ("alerts", "kind", "kind_code", AlertKind),
    ("countermeasures", "status", "status_code", CountermeasureStatus),
)


def shown(sections: dict[str, Any]) -> dict[str, Any]:
    """The stored sections as the reader reads them: each alert's message, stored as its code and
    parameters, rendered in the active language, and the choices' labels (domain, trend, kind, status)
    in it (a report generated before codes keeps its text)."""
    result = {**sections}
    result["alerts"] = [
        {**row, "message": texts.render_stored(row.get("text"), fallback=str(row.get("message", "")))}
        for row in sections.get("alerts", [])
    ]
    for section, label, code, choices in _LABELS:
        known = dict(choices.choices)
        result[section] = [
            {**row, label: str(known[row[code]])} if row.get(code) in known else row for row in result.get(section, [])
        ]
    return result
