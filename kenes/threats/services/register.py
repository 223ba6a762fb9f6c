"""The register: threats entered and reassessed (each change kept in the threat's history), and the
readings of the register and its matrix."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import policy, search
from kenes.core.classification import Classification
from kenes.core.services import service
from kenes.directory.models import Organization
from kenes.threats.choices import Domain, Scope, Trend
from kenes.threats.models import (
    Threat,
    ThreatAssessment,
)
from kenes.threats.services.common import check_scale, check_text, may_edit


@service
def create_threat(
    *,
    actor: User,
    title: str,
    domain: str,
    scope: str,
    likelihood: int,
    impact: int,
    owner: Organization | None = None,
    description: str = "",
    trend: str = Trend.STABLE,
    classification: int | None = None,
) -> Threat:
    """Enter a threat in the register, with its first assessment kept as the start of its history.

    Its ``owner`` (the body answering for it) is by default the author's own body."""
    policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman keep the threat register."))
    owner = owner if owner is not None else actor.organization
    if owner is None:
        raise ValidationError({"owner": _("Name the body that owns the threat.")})
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Unknown domain.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("The scope is internal or external.")})
    if trend not in Trend.values:
        raise ValidationError({"trend": _("Unknown trend.")})
    level = policy.resolve_level(actor, classification, default=Classification.OFFICIAL)
    threat = Threat(
        title=check_text(title, "title", _("Name the threat.")),
        domain=domain,
        scope=scope,
        description=description,
        likelihood=check_scale(likelihood, "likelihood"),
        impact=check_scale(impact, "impact"),
        trend=trend,
        owner=owner,
        classification=level,
    )
    threat.full_clean()
    threat.save()
    ThreatAssessment.objects.create(
        threat=threat,
        new_likelihood=threat.likelihood,
        new_impact=threat.impact,
        new_trend=threat.trend,
        reason=_("Entered in the register."),
        assessed_by=actor,
    )
    return threat


@service(named="reassess")
def reassess_threat(
    threat: Threat, *, actor: User, likelihood: int, impact: int, trend: str, reason: str
) -> ThreatAssessment:
    """Change a threat's likelihood, impact and trend, keeping the old values and the reason."""
    policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman reassess threats."))
    threat = Threat.objects.select_for_update().get(pk=threat.pk)
    if trend not in Trend.values:
        raise ValidationError({"trend": _("Unknown trend.")})
    reason = check_text(reason, "reason", _("Say why the threat is reassessed."))
    assessment = ThreatAssessment(
        threat=threat,
        old_likelihood=threat.likelihood,
        old_impact=threat.impact,
        old_trend=threat.trend,
        new_likelihood=check_scale(likelihood, "likelihood"),
        new_impact=check_scale(impact, "impact"),
        new_trend=trend,
        reason=reason,
        assessed_by=actor,
    )
    threat.likelihood, threat.impact, threat.trend = likelihood, impact, trend
    threat.save(update_fields=["likelihood", "impact", "trend", "updated_at"])
    assessment.save()
    return assessment


def threats_for(
    user: Any,
    *,
    domain: str | None = None,
    scope: str | None = None,
    owner: int | None = None,
    likelihood: int | None = None,
    impact: int | None = None,
    q: str | None = None,
) -> QuerySet[Threat]:
    """The threats the user may see, filtered as the register, the matrix and the API ask."""
    queryset = Threat.objects.visible_to(user).select_related("owner")
    if domain:
        queryset = queryset.filter(domain=domain)
    if scope:
        queryset = queryset.filter(scope=scope)
    if owner:
        queryset = queryset.filter(owner_id=owner)
    if likelihood:
        queryset = queryset.filter(likelihood=likelihood)
    if impact:
        queryset = queryset.filter(impact=impact)
    return search.matching(queryset, q, ("title", "description"))


def matrix(user: Any, *, domain: str | None = None, scope: str | None = None) -> list[list[int]]:
    """Counts of visible threats by likelihood (rows, 5 at the top) and impact (columns 1–5): one query."""
    grid = [[0] * 5 for _ in range(5)]
    rows = threats_for(user, domain=domain, scope=scope).order_by().values("likelihood", "impact")
    for row in rows.annotate(n=Count("pk")):
        grid[5 - row["likelihood"]][row["impact"] - 1] = row["n"]
    return grid


def instructions_for_subject(obj: models.Model, user: Any) -> list[Any]:
    """The instructions aimed at ``obj`` that the user may see (execution control's rule)."""
    from kenes.control.services import instructions_aimed_at

    return list(instructions_aimed_at(obj, user))
