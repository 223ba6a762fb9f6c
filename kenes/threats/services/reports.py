"""Situation reports: generated for a period from what the author may read, and put on a session's
agenda."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import policy
from kenes.core.classification import Classification
from kenes.core.services import service
from kenes.threats.choices import Domain, Scope
from kenes.threats.models import (
    SituationReport,
)
from kenes.threats.report_sections import report_sections

if TYPE_CHECKING:
    from kenes.council.models import Meeting
    from kenes.directory.models import Organization
from kenes.threats.services.common import check_text, may_edit


@service
def create_situation_report(
    *,
    actor: User,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    analyst_text: str = "",
    classification: int | None = None,
    domain: str = "",
    scope: str = "",
    owner: Organization | None = None,
) -> SituationReport:
    """Generate a situation report for a period from what the author may read: threats by domain,
    changes of assessment, alerts, forecasts and countermeasures.

    It may be scoped by a threat domain, a scope and an owner body (all optional): then every section
    holds only what concerns the threats of that scope ("border threats" lists border threats only).

    A composed document (:mod:`kenes.core.composition`): at the level the author chooses (never above
    his clearance) it holds only what is at or below that level; without a choice it is classified
    as the highest of what he may read that went into it."""
    policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman write situation reports."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period is before its start.")})
    if domain and domain not in Domain.values:
        raise ValidationError({"domain": _("Unknown domain.")})
    if scope and scope not in Scope.values:
        raise ValidationError({"scope": _("Unknown scope.")})
    scoped: dict[str, Any] = {"domain": domain or "", "scope": scope or "", "owner": owner.pk if owner else None}
    if classification is not None:
        level = policy.resolve_level(actor, classification)
        sections, _highest = report_sections(actor, period_start, period_end, max_level=level, **scoped)
    else:
        sections, level = report_sections(actor, period_start, period_end, **scoped)
    return SituationReport.objects.create(
        domain=scoped["domain"],
        scope=scoped["scope"],
        owner=owner,
        title=check_text(title, "title", _("Give the report a title.")),
        period_start=period_start,
        period_end=period_end,
        analyst_text=analyst_text,
        sections=sections,
        author=actor,
        classification=max(level, Classification.OFFICIAL),
    )


@service(named="schedule")
def put_report_on_agenda(report: SituationReport, meeting: Meeting, *, actor: User) -> Any:
    """Put a situation report on a session's agenda as an analysis item aimed at the report."""
    from kenes.council.services import add_agenda_item

    return add_agenda_item(
        meeting,
        actor=actor,
        title=report.title,
        kind="analysis",
        description=report.analyst_text[:5000],
        classification=max(report.classification, meeting.classification),
        subject=report,
    )


def reports_for(user: Any) -> QuerySet[SituationReport]:
    return SituationReport.objects.visible_to(user).select_related("author", "owner")
