"""A situation report as a document (DOCX or PDF, through :func:`kenes.reports.documents.respond`), marked
with its classification."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kenes.reports import documents
from kenes.threats import report_sections
from kenes.threats.models import SituationReport


def scope_text(report: SituationReport) -> str:
    """The scope a report was generated for, in the reader's language ("all threats" when unscoped)."""
    parts = []
    if report.domain:
        parts.append(_("Domain: %(value)s") % {"value": report.get_domain_display()})
    if report.scope:
        parts.append(_("Scope: %(value)s") % {"value": report.get_scope_display()})
    if report.owner is not None:
        parts.append(_("Owner body: %(value)s") % {"value": report.owner.name})
    return _("Scope of the report: %(scope)s") % {"scope": " · ".join(parts) if parts else _("all threats")}


def report_document(report: SituationReport, user: Any) -> documents.Document:
    """The analyst's text, then the generated sections as they stood when the report was generated."""
    s = report_sections.shown(report.sections or {})
    blocks: list[Any] = [
        documents.Paragraph(scope_text(report)),
        documents.Heading(_("Analysis"), level=2),
        documents.Paragraph(report.analyst_text or "—"),
    ]
    tables = [
        (
            _("Threats by domain"),
            [_("Domain"), _("Threats")],
            [[r["domain"], r["count"]] for r in s.get("by_domain", [])],
        ),
        (
            _("The gravest threats"),
            [_("Threat"), _("Likelihood"), _("Impact"), _("Trend")],
            [[r["title"], r["likelihood"], r["impact"], r["trend"]] for r in s.get("top", [])],
        ),
        (
            _("Changes of assessment"),
            [_("Threat"), _("From"), _("To"), _("Reason"), _("Date")],
            [[r["threat"], r["from"], r["to"], r["reason"], r["date"]] for r in s.get("assessments", [])],
        ),
        (
            _("Alerts"),
            [_("Signal"), _("Kind"), _("Message")],
            [[r["signal"], r["kind"], r["message"]] for r in s.get("alerts", [])],
        ),
        (
            _("Forecasts crossing thresholds"),
            [_("Signal"), _("Model"), _("Horizon end"), _("Mean"), _("MASE"), _("MASE of seasonal naive")],
            [
                [r["signal"], r["model"], r["end"], r["mean"], r["mase"], r["baseline_mase"]]
                for r in s.get("forecasts", [])
            ],
        ),
        (
            _("Countermeasures"),
            [_("Threat"), _("Measure"), _("Status")],
            [[r["threat"], r["title"], r["status"]] for r in s.get("countermeasures", [])],
        ),
    ]
    for title, header, rows in tables:
        blocks.append(documents.Heading(str(title), level=2))
        if rows:
            blocks.append(documents.Table(header=[str(h) for h in header], rows=[[str(c) for c in r] for r in rows]))
        else:
            blocks.append(documents.Paragraph(_("Nothing in this period.")))
    return documents.Document(
        title=report.title,
        subtitle=_("Situation report, %(start)s — %(end)s") % {"start": report.period_start, "end": report.period_end},
        marking=documents.marking(report.classification),
        blocks=blocks,
        language=(get_language() or "kk")[:2],
        footer_note=documents.footer(user),
    )
