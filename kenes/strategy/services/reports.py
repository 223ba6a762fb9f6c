"""Evaluation reports: an analyst's conclusion on a document for a year with a snapshot of its figures,
put on a session's agenda through the council's own service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import composition, periods, policy
from kenes.core.services import service
from kenes.council import services as council
from kenes.strategy.choices import EvaluationStatus
from kenes.strategy.models import EvaluationReport, Goal, StrategicDocument
from kenes.strategy.services import common, evaluation, reading

if TYPE_CHECKING:
    from kenes.council.models import AgendaItem, Meeting


def document_figures(user: Any, document: StrategicDocument, *, max_level: int) -> dict[str, Any]:
    """The figures of a document as the user sees them now, up to ``max_level``: the roll-up, each goal,
    and each indicator with its evaluation (for a report's snapshot and the exports). Nothing above
    ``max_level`` enters, neither a goal's title nor its share of a score."""
    _doc, root, _goals = evaluation.rollup(user, StrategicDocument.objects.filter(pk=document.pk), max_level=max_level)[
        0
    ]  # policy: ``document`` was fetched visible
    indicators = composition.at_or_below(reading.indicators_for(user, document=document.pk), max_level)
    goals = composition.at_or_below(Goal.objects.visible_to(user).filter(document=document), max_level)
    goal_titles = {g.pk: g.title for g in goals}

    def node(n: evaluation.Node) -> dict[str, Any]:
        return {"id": n.pk, "title": n.title, "score": n.score, "status": n.status, "counts": n.counts}

    rows = []
    for i in indicators:
        e = getattr(i, "evaluation", None)
        rows.append(
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "goal": goal_titles.get(i.goal_id, ""),
                "responsible": i.responsible.name,
                "baseline": i.baseline_value,
                "period": e.period.isoformat() if e and e.period else None,
                "actual": e.actual if e else None,
                "target": e.target if e else None,
                "achievement": e.achievement if e else None,
                "status": e.status if e else EvaluationStatus.NO_DATA,
                "final_target": e.final_target if e else None,
                "forecast_end_value": e.forecast_end_value if e else None,
                "probability": e.probability if e else None,
            }
        )
    return {"document": node(root), "goals": [node(g) for g in _flatten(root.children)], "indicators": rows}


def _flatten(nodes: list[evaluation.Node]) -> list[evaluation.Node]:
    out: list[evaluation.Node] = []
    for n in nodes:
        out.append(n)
        out.extend(_flatten(n.children))
    return out


@service(named="evaluate")
def create_report(
    document: StrategicDocument,
    *,
    actor: User,
    period: Any,
    conclusion: str,
    recommendations: str = "",
    title: str = "",
    classification: int | None = None,
) -> EvaluationReport:
    """An analyst's evaluation report of a document for a year (``period`` its first day), with a
    snapshot of the figures as they stand. It is classified at least as high as the document, and
    its snapshot holds only indicators at or below its own level."""
    policy.ensure(common.may_verify(actor), _("Only an analyst or the secretary writes evaluation reports."))
    year = periods.parse(period, periods.Frequency.ANNUAL, field="period")
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Write the conclusion.")})
    level = policy.resolve_level(actor, classification, default=document.classification, sources=[document])
    report = EvaluationReport(
        document=document,
        period=year,
        title=(title or _("Evaluation of %(document)s, %(year)s") % {"document": document.title, "year": year.year})[
            :500
        ],
        figures=document_figures(actor, document, max_level=level),
        conclusion=conclusion.strip(),
        recommendations=recommendations.strip(),
        author=actor,
        classification=level,
    )
    report.full_clean()
    report.save()
    return report


@service(named="schedule")
def put_on_agenda(report: EvaluationReport, meeting: Meeting, *, actor: User) -> AgendaItem:
    """Put a report on a session's agenda as a ``strategy_review`` item (the council's own rules apply:
    who may, which sessions, the item's level at least the session's and the report's)."""
    if report.agenda_item_id is not None:
        raise ValidationError({"meeting": _("The report is already on an agenda.")})
    level = max(report.classification, meeting.classification)
    item = council.add_agenda_item(
        meeting,
        actor=actor,
        title=report.title[:300],
        kind="strategy_review",
        description=report.conclusion[:5000],
        classification=level,
        subject=report,
    )
    report.agenda_item = item
    report.save(update_fields=["agenda_item", "updated_at"])
    return item
