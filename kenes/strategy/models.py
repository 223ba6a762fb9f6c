"""Monitoring of strategic documents: documents in a hierarchy, goals, indicators with baselines and
targets, measurements with their history, and the stored evaluation of each indicator.

Documents, goals, indicators and evaluation reports are classified; targets, measurements and
evaluations belong to their indicator and are read only through it. An indicator is classified at
least as high as its document (the high-water mark), a goal likewise, an evaluation report too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kenes.core import policy, texts
from kenes.core.classification import Classification
from kenes.core.models import Audited, ClassifiedModel
from kenes.core.translated import Translated
from kenes.strategy.choices import (
    Direction,
    DocumentKind,
    DocumentStatus,
    EvaluationStatus,
    IndicatorFrequency,
    MeasurementSource,
)

if TYPE_CHECKING:
    from kenes.accounts.models import User


def own_indicators(user: User) -> models.QuerySet:
    """The indicators a liaison officer answers for: his body is responsible, and he is cleared for them."""
    return Indicator.objects.filter(responsible_id=user.organization_id, classification__lte=user.clearance)


class StrategicDocument(ClassifiedModel, Translated):
    """A strategic document of the state (strategy, plan, program, ...) whose carrying out the Council
    monitors. Documents form a hierarchy (a state program under a strategy). A liaison officer sees a
    document only when it contains an indicator his body answers for."""

    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=500)
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"))
    owner = models.ForeignKey(
        "directory.Organization", verbose_name=_("owner body"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.IN_FORCE
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("strategic document")
        verbose_name_plural = _("strategic documents")
        ordering = ["period_start", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="strategy_doc_period"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        if not user.is_liaison:
            return Q()
        if user.organization_id is None:
            return policy.NOTHING
        return Q(pk__in=own_indicators(user).values("document_id"))


class Goal(ClassifiedModel):
    """A goal of a document, or a sub-goal of one (two levels), with its weight among its siblings."""

    document = models.ForeignKey(
        StrategicDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="goals"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent goal"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(_("title"), max_length=500)
    weight = models.FloatField(_("weight"), default=1.0)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["document", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="strategy_goal_weight_positive")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        if not user.is_liaison:
            return Q()
        if user.organization_id is None:
            return policy.NOTHING
        mine = own_indicators(user)
        return Q(pk__in=mine.values("goal_id")) | Q(pk__in=mine.values("goal__parent_id"))


class Indicator(ClassifiedModel, Translated):
    """A measurable indicator of a document: its baseline, its targets per period, its actual values.

    ``code`` identifies it in imported files. ``weight`` is its weight among the indicators of its
    goal. A liaison officer sees and reports only the indicators his body is responsible for."""

    translated_fields = ("name",)

    document = models.ForeignKey(
        StrategicDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="indicators"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=IndicatorFrequency.choices, default=IndicatorFrequency.ANNUAL
    )
    baseline_value = models.FloatField(_("baseline value"))
    baseline_period = models.DateField(_("baseline period"))
    responsible = models.ForeignKey(
        "directory.Organization", verbose_name=_("responsible body"), on_delete=models.PROTECT, related_name="+"
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    weight = models.FloatField(_("weight in its goal"), default=1.0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["document", "code"]
        indexes = [
            models.Index(fields=["responsible", "classification"], name="strategy_ind_responsible_idx"),
            models.Index(fields=["document", "goal"], name="strategy_ind_doc_goal_idx"),
            models.Index(fields=["document", "code"], name="strategy_ind_doc_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="strategy_indicator_weight_positive"),
            # Imports name an indicator by its code case-insensitively: ``ABC`` and ``abc`` are one code.
            models.UniqueConstraint(Lower("code"), name="strategy_indicator_code_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        if not user.is_liaison:
            return Q()
        if user.organization_id is None:
            return policy.NOTHING
        return Q(responsible_id=user.organization_id)


class Target(Audited, models.Model):
    """The value an indicator should reach in a period (the first day of the period)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    period = models.DateField(_("period"))
    value = models.FloatField(_("target value"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="strategy_target_once")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"

    @property
    def classification(self) -> int:
        """The indicator's level: the audit log files this row's events at it (read-only; a row is as
        secret as its indicator). Fetch rows with their indicator (``select_related``) where it matters."""
        return int(self.indicator.classification)


class Measurement(Audited, models.Model):
    """The current actual value of an indicator for a period: one per period. A correction replaces the
    value and keeps the old one in :class:`MeasurementRevision`; an analyst verifies it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="measurements"
    )
    period = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=10, choices=MeasurementSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="strategy_measurement_once")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"

    @property
    def classification(self) -> int:
        """The indicator's level: the audit log files this value's events at it (read-only; a value is as
        secret as its indicator). Fetch values with their indicator (``select_related``) where it matters."""
        return int(self.indicator.classification)


class MeasurementRevision(models.Model):
    """A value a measurement had before it was corrected: who entered it, how, and who replaced it.
    Rows are only ever added."""

    measurement = models.ForeignKey(
        Measurement, verbose_name=_("measurement"), on_delete=models.CASCADE, related_name="revisions"
    )
    value = models.FloatField(_("old value"))
    source = models.CharField(_("source"), max_length=10, choices=MeasurementSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("replaced by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField(_("replaced at"))

    class Meta:
        verbose_name = _("revision of a measurement")
        verbose_name_plural = _("revisions of measurements")
        ordering = ["measurement", "replaced_at", "pk"]

    def __str__(self) -> str:
        return f"{self.measurement_id}: {self.value}"


class EvaluationSettings(Audited, models.Model):
    """The thresholds of achievement that give an indicator's (and a goal's) status, set by the
    secretary. One row; every change is audited and re-evaluates every indicator."""

    audit_level = Classification.OFFICIAL

    achieved = models.FloatField(_("achieved from"), default=1.0)
    on_track = models.FloatField(_("on track from"), default=0.9)
    at_risk = models.FloatField(_("at risk from"), default=0.7)

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(achieved__gte=models.F("on_track")) & Q(on_track__gte=models.F("at_risk")),
                name="strategy_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.achieved} / {self.on_track} / {self.at_risk}"


class IndicatorEvaluation(models.Model):
    """The stored evaluation of an indicator, written only by the evaluation engine whenever its data,
    target, baseline or the thresholds change: never by hand. Read only through its indicator."""

    indicator = models.OneToOneField(
        Indicator, verbose_name=_("indicator"), primary_key=True, on_delete=models.CASCADE, related_name="evaluation"
    )
    period = models.DateField(_("period"), null=True, blank=True)
    actual = models.FloatField(_("actual value"), null=True, blank=True)
    target = models.FloatField(_("target value"), null=True, blank=True)
    achievement = models.FloatField(_("achievement"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.NO_DATA, db_index=True
    )
    final_period = models.DateField(_("final period"), null=True, blank=True)
    final_target = models.FloatField(_("final target"), null=True, blank=True)
    forecast_end_value = models.FloatField(_("forecast end value"), null=True, blank=True)
    forecast_lo95 = models.FloatField(_("forecast, lower 95% bound"), null=True, blank=True)
    forecast_hi95 = models.FloatField(_("forecast, upper 95% bound"), null=True, blank=True)
    forecast_points = models.JSONField(_("forecast path"), default=list, blank=True)
    forecast_model = models.CharField(_("forecast model"), max_length=60, blank=True)
    forecast_note = models.CharField(_("why no forecast"), max_length=300, blank=True)
    # the note as a code of kenes.core.texts ({"code", "params"}), shown in the reader's language
    forecast_note_text = models.JSONField(_("why no forecast, as a code"), default=dict, blank=True)
    probability = models.FloatField(_("probability of meeting the final target"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"))
    forecast_at = models.DateTimeField(_("forecast at"), null=True, blank=True)
    forecast_requested_at = models.DateTimeField(_("forecast requested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation of an indicator")
        verbose_name_plural = _("evaluations of indicators")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.status}"

    @property
    def forecast_note_shown(self) -> str:
        """Why there is no forecast, in the active language (as written, for an older row)."""
        return texts.render_stored(self.forecast_note_text, fallback=self.forecast_note)

    @property
    def forecast_pending(self) -> bool:
        """A recomputation of the forecast was asked for and the worker has not begun it since."""
        requested = self.forecast_requested_at
        return requested is not None and (self.forecast_at is None or self.forecast_at < requested)


class EvaluationReport(ClassifiedModel):
    """An analyst's evaluation of a document for a period: the figures as they stood (a snapshot), the
    conclusion and the recommendations. It can go to a session's agenda as a ``strategy_review`` item.
    Classified at least as high as its document; only the apparatus reads it."""

    document = models.ForeignKey(
        StrategicDocument, verbose_name=_("document"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.DateField(_("period"))
    title = models.CharField(_("title"), max_length=500)
    figures = models.JSONField(_("figures"), default=dict)
    conclusion = models.TextField(_("conclusion"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    agenda_item = models.ForeignKey(
        "council.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        ordering = ["-period", "-pk"]

    def __str__(self) -> str:
        return self.title
