"""The register of strategic documents, their goals and indicators with their targets.

Documents, goals, indicators and targets change only here, each change in one transaction with its
audit events; an indicator's evaluation is recomputed whenever its baseline or targets change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import audit, codes, periods, policy
from kenes.core.classification import Classification
from kenes.core.services import service
from kenes.directory.models import Organization
from kenes.strategy.choices import Direction, DocumentKind, DocumentStatus, IndicatorFrequency
from kenes.strategy.models import Goal, Indicator, StrategicDocument, Target
from kenes.strategy.services import common, evaluation


@service
def create_document(
    *,
    actor: User,
    kind: str,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    owner: Organization,
    parent: StrategicDocument | None = None,
    status: str = DocumentStatus.IN_FORCE,
    description: str = "",
    classification: int | None = None,
) -> StrategicDocument:
    """Register a strategic document; a document under a parent is classified at least as high."""
    policy.ensure(
        common.may_edit(actor), _("Only the chairman, the secretary or an analyst registers strategic documents.")
    )
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown kind of document.")})
    if status not in DocumentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period is before its start.")})
    default = parent.classification if parent else Classification.OFFICIAL
    level = policy.resolve_level(actor, classification, default=default, sources=[parent])
    document = StrategicDocument(
        kind=kind,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        owner=owner,
        parent=parent,
        status=status,
        description=description,
        classification=level,
    )
    document.full_clean()
    document.save()
    return document


@service
def create_goal(
    document: StrategicDocument,
    *,
    actor: User,
    title: str,
    weight: float = 1.0,
    parent: Goal | None = None,
    classification: int | None = None,
) -> Goal:
    """Add a goal (or a sub-goal, two levels at most) to a document."""
    policy.ensure(common.may_edit(actor), _("Only the chairman, the secretary or an analyst edits goals."))
    if parent is not None and (parent.document_id != document.pk or parent.parent_id is not None):
        raise ValidationError({"parent": _("A sub-goal belongs to a top-level goal of the same document.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the goal a title.")})
    sources = [document, parent] if parent else [document]
    level = policy.resolve_level(actor, classification, sources=sources)
    position = (document.goals.filter(parent=parent).aggregate(m=models.Max("position"))["m"] or 0) + 1
    goal = Goal(
        document=document,
        parent=parent,
        title=title.strip(),
        weight=common.checked_weight(weight),
        position=position,
        classification=level,
    )
    goal.full_clean()
    goal.save()
    return goal


def _target_rows(indicator: Indicator, targets: Sequence[tuple[Any, Any]]) -> dict[dt.date, float]:
    """Validate targets: each period a start of the indicator's frequency inside the document's span."""
    rows: dict[dt.date, float] = {}
    for index, (raw_period, raw_value) in enumerate(targets):
        where = f"targets[{index}]"
        period = periods.parse(raw_period, indicator.frequency, field=f"{where}.period")
        common.in_document(indicator, period, f"{where}.period")
        if period in rows:
            raise ValidationError({f"{where}.period": _("This period is given twice.")})
        rows[period] = common.finite(raw_value, f"{where}.value")
    return rows


def _baseline_period(value: Any, frequency: str, document: StrategicDocument) -> dt.date:
    """The one check of a baseline period, on creation and on every edit: a period start of the
    indicator's frequency, at or before the document's end."""
    baseline = periods.parse(value, frequency, field="baseline_period")
    if baseline > periods.floor(document.period_end, frequency):
        raise ValidationError({"baseline_period": _("The baseline is after the document's end.")})
    return baseline


def _code_message() -> str:
    return _("This code cannot be used: choose another of 1 to 40 characters without spaces, or none.")


def _indicator_code(value: str | None, document: StrategicDocument) -> str:
    """The code of a new indicator: the one given, or ``D<document id>-<6 random hex digits>``.

    A code is unique across every indicator (imports name indicators by code alone, case-insensitively);
    :func:`kenes.core.codes.choose` refuses every unusable code with one message and draws a random one,
    so neither says anything about (or counts) indicators the author may not see."""
    taken = Indicator.objects  # policy: uniqueness of a code; the answer is the same whoever holds it
    return codes.choose(
        value,
        valid=lambda code: len(code) <= 40 and not any(c.isspace() for c in code),
        taken=lambda code: taken.filter(code__iexact=code).exists(),
        base=f"D{document.pk}",
        length=40,
        message=_code_message(),
        upper=True,
    )


def _save_with_code(indicator: Indicator) -> None:
    """Insert a new indicator; a code taken by a concurrent writer since it was checked is refused with
    the same message as any unusable code, not a server error."""
    codes.save_with_code(indicator, _code_message())


def _default_baseline_period(frequency: str, document: StrategicDocument, targets: Iterable[dt.date]) -> dt.date:
    """The period before the first target (or, without targets, before the document's first period)."""
    first = min(targets, default=periods.floor(document.period_start, frequency))
    return periods.shift(first, frequency, -1)


@service
def create_indicator(
    document: StrategicDocument,
    *,
    actor: User,
    name: str,
    unit: str,
    baseline_value: float,
    responsible: Organization,
    code: str | None = None,
    baseline_period: Any = None,
    direction: str = Direction.INCREASE,
    frequency: str = IndicatorFrequency.ANNUAL,
    goal: Goal | None = None,
    data_source: str = "",
    weight: float = 1.0,
    classification: int | None = None,
    targets: Sequence[tuple[Any, Any]] = (),
) -> Indicator:
    """Add an indicator to a document (under one of its goals), with its baseline and targets.

    It is classified at least as high as its document and its goal (the high-water mark). Its
    baseline period is a period start of its frequency, at or before the document's end; without one,
    the period before its first target. Without a code it gets a generated one (:func:`_indicator_code`)."""
    policy.ensure(common.may_edit(actor), _("Only the chairman, the secretary or an analyst adds indicators."))
    indicator = _new_indicator(
        document,
        actor,
        goal=goal,
        name=name,
        unit=unit,
        direction=direction,
        frequency=frequency,
        baseline_value=baseline_value,
        responsible=responsible,
        data_source=data_source,
        weight=weight,
        classification=classification,
    )
    rows = _target_rows(indicator, targets)
    indicator.baseline_period = (
        _baseline_period(baseline_period, frequency, document)
        if baseline_period not in (None, "")
        else _default_baseline_period(frequency, document, rows)
    )
    indicator.code = _indicator_code(code, document)
    indicator.full_clean(exclude=["code"])
    _save_with_code(indicator)
    if rows:
        with audit.bulk(Target, about=indicator) as changes:
            Target.objects.bulk_create([Target(indicator=indicator, period=p, value=v) for p, v in rows.items()])
            changes["targets"] = {p.isoformat(): v for p, v in sorted(rows.items())}
    evaluation.evaluate([indicator.pk])
    return indicator


def _new_indicator(
    document: StrategicDocument,
    actor: User,
    *,
    goal: Goal | None,
    name: str,
    unit: str,
    direction: str,
    frequency: str,
    baseline_value: float,
    responsible: Organization,
    data_source: str,
    weight: float,
    classification: int | None,
) -> Indicator:
    """The indicator :func:`create_indicator` is about to save, its fields checked (not yet its code,
    baseline period and targets): a 422 naming the first field that is wrong."""
    if direction not in Direction.values:
        raise ValidationError({"direction": _("The direction is increase or decrease.")})
    if frequency not in IndicatorFrequency.values:
        raise ValidationError({"frequency": _("The frequency is monthly, quarterly or annual.")})
    if goal is not None and goal.document_id != document.pk:
        raise ValidationError({"goal": _("The goal belongs to another document.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the indicator a name.")})
    level = policy.resolve_level(actor, classification, sources=[document, goal])
    return Indicator(
        document=document,
        goal=goal,
        name=name.strip(),
        unit=unit.strip(),
        direction=direction,
        frequency=frequency,
        baseline_value=common.finite(baseline_value, "baseline"),
        responsible=responsible,
        data_source=data_source,
        weight=common.checked_weight(weight),
        classification=level,
    )


@service
def edit_indicator(
    indicator: Indicator,
    *,
    actor: User,
    targets: Sequence[tuple[Any, Any]] | None = None,
    baseline_value: float | None = None,
    baseline_period: Any = None,
    weight: float | None = None,
    name: str | None = None,
    unit: str | None = None,
    data_source: str | None = None,
) -> Indicator:
    """Change an indicator's baseline, weight or wording and set the targets of the given periods
    (others stay), all or nothing: every field and target is checked before anything is written, and
    the evaluation is recomputed once. A field left ``None`` keeps its value."""
    policy.ensure(common.may_edit(actor), _("Only the chairman, the secretary or an analyst edits indicators."))
    if baseline_value is not None:
        indicator.baseline_value = common.finite(baseline_value, "baseline")
    if baseline_period is not None:
        indicator.baseline_period = _baseline_period(baseline_period, indicator.frequency, indicator.document)
    if weight is not None:
        indicator.weight = common.checked_weight(weight)
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": _("Give the indicator a name.")})
        indicator.name = name.strip()
    if unit is not None:
        indicator.unit = unit.strip()
    if data_source is not None:
        indicator.data_source = data_source
    indicator.full_clean()
    rows = _target_rows(indicator, targets or ())
    indicator.save()
    existing = {t.period: t for t in indicator.targets.filter(period__in=list(rows))}
    for period, value in rows.items():
        target = existing.get(period)
        if target is None:
            Target.objects.create(indicator=indicator, period=period, value=value)
        elif target.value != value:
            target.value = value
            target.save(update_fields=["value"])
    evaluation.evaluate([indicator.pk])
    return indicator


def update_indicator(indicator: Indicator, *, actor: User, **fields: Any) -> Indicator:
    """Change an indicator's baseline, weight or wording (:func:`edit_indicator` without targets)."""
    return edit_indicator(indicator, actor=actor, **fields)


def set_targets(indicator: Indicator, *, actor: User, targets: Sequence[tuple[Any, Any]]) -> list[Target]:
    """Set the targets of the given periods (others stay), through :func:`edit_indicator`."""
    edit_indicator(indicator, actor=actor, targets=targets)
    return list(indicator.targets.order_by("period"))


@service
def set_weight(goal: Goal, *, actor: User, weight: float) -> Goal:
    """Change a goal's weight among its siblings (roll-ups read it on every view)."""
    policy.ensure(common.may_edit(actor), _("Only the chairman, the secretary or an analyst edits goals."))
    goal.weight = common.checked_weight(weight)
    goal.save(update_fields=["weight", "updated_at"])
    return goal


# --- measurements ----------------------------------------------------------------------------------
