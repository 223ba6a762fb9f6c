"""A document's indicators with their evaluations as XLSX; an evaluation report as DOCX and PDF.
Each file is marked with its level: the report's, or the highest level of the rows exported. The
views send them through ``core.http.download`` / ``reports.documents.respond`` with the records they
hold, which writes the export of each secret one to the audit log."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kenes.core.models import ClassifiedModel
from kenes.reports import documents
from kenes.strategy import services
from kenes.strategy.choices import EvaluationStatus
from kenes.strategy.models import EvaluationReport, StrategicDocument


def _status(value: str) -> str:
    return str(EvaluationStatus(value).label) if value in EvaluationStatus.values else value


def document_xlsx(user: Any, document: StrategicDocument) -> tuple[bytes, list[ClassifiedModel]]:
    """The indicators of ``document`` that ``user`` may see, with their evaluations, marked with the
    highest level of the document, its indicators and its goals that ``user`` sees (goals' titles are
    exported); and the records whose export the download writes to the audit log: the document, and
    each indicator or goal classified above it (one at the document's level is exported with it)."""
    parts: list[ClassifiedModel] = [
        *services.indicators_for(user, document=document.pk),
        *services.goals_for(user, document),
    ]
    level = max([document.classification, *(part.classification for part in parts)])
    exported = [document, *(part for part in parts if part.classification > document.classification)]
    figures = services.document_figures(user, document, max_level=level)
    header = [
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Goal"),
        _("Responsible body"),
        _("Baseline"),
        _("Period"),
        _("Actual"),
        _("Target"),
        _("Achievement"),
        _("Status"),
        _("Final target"),
        _("Forecast at the end"),
        _("Probability of meeting the final target"),
    ]
    rows = [
        [
            r["code"],
            r["name"],
            r["unit"],
            r["goal"],
            r["responsible"],
            r["baseline"],
            r["period"],
            r["actual"],
            r["target"],
            r["achievement"],
            _status(r["status"]),
            r["final_target"],
            r["forecast_end_value"],
            r["probability"],
        ]
        for r in figures["indicators"]
    ]
    goal_rows = [[g["title"], g["score"], _status(g["status"])] for g in [figures["document"], *figures["goals"]]]
    content = documents.to_xlsx(
        [
            (str(_("Indicators")), header, rows),
            (str(_("Goals")), [_("Goal"), _("Score"), _("Status")], goal_rows),
        ],
        marking=documents.marking(level),
    )
    return content, exported


def report_document(report: EvaluationReport, user: Any) -> documents.Document:
    figures = report.figures or {}
    summary = figures.get("document") or {}
    facts = [
        [_("Document"), report.document.translated()],
        [_("Year"), str(report.period.year)],
        [_("Score"), documents.percent(summary.get("score"))],
        [_("Status"), _status(summary.get("status", EvaluationStatus.NO_DATA))],
        [_("Author"), report.author.display_name],
        [_("Written"), timezone.localtime(report.created_at).strftime("%Y-%m-%d")],
    ]
    goals = [
        [g["title"], documents.percent(g.get("score")), _status(g.get("status", ""))] for g in figures.get("goals", [])
    ]
    rows = figures.get("indicators", [])
    # One number of decimals a column (as many as its most precise value needs, at most two), shares as
    # percentages with one decimal.
    actual, target, forecast = (
        documents.fixed_column(r.get(key) for r in rows) for key in ("actual", "target", "forecast_end_value")
    )
    indicators = [
        [
            r["code"],
            r["name"],
            actual[n],
            target[n],
            documents.percent(r.get("achievement")),
            _status(r.get("status", "")),
            forecast[n],
        ]
        for n, r in enumerate(rows)
    ]
    blocks: list[Any] = [
        documents.Table(header=[_("Field"), _("Value")], rows=facts),
        documents.Heading(_("Goals"), level=2),
        documents.Table(header=[_("Goal"), _("Score"), _("Status")], rows=goals),
        documents.Heading(_("Indicators"), level=2),
        documents.Table(
            header=[_("Code"), _("Indicator"), _("Actual"), _("Target"), _("Achievement"), _("Status"), _("Forecast")],
            rows=indicators,
        ),
        documents.Heading(_("Conclusion"), level=2),
        documents.Paragraph(report.conclusion),
    ]
    if report.recommendations:
        blocks += [documents.Heading(_("Recommendations"), level=2), documents.Paragraph(report.recommendations)]
    return documents.Document(
        title=report.title,
        subtitle=_("Evaluation report"),
        marking=documents.marking(report.classification),
        blocks=blocks,
        language=(get_language() or "kk")[:2],
        footer_note=documents.footer(user),
        landscape=True,
    )
