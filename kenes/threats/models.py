"""Threats to national security, the signals that measure them, their forecasts and alerts, the
countermeasures taken and the situation reports written about them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kenes.core import policy, queues, texts
from kenes.core.models import Audited, ClassifiedModel
from kenes.core.periods import Frequency
from kenes.core.translated import Translated
from kenes.threats.choices import AlertKind, CountermeasureStatus, Domain, RunReason, RunStatus, Scope, Trend

if TYPE_CHECKING:
    from kenes.accounts.models import User


def owned_by_q(user: User, field: str) -> Q:
    """Rows whose threat (reached by ``field``) is owned by the user's body: a liaison's need-to-know."""
    if user.organization_id is None:
        return policy.NOTHING
    return Q(**{field: user.organization_id})


class Threat(ClassifiedModel, Translated):
    """A threat to national security in the register: what it is, how likely and how grave it is
    judged (1–5 each), where it is heading and which state body owns it.

    The apparatus reads it by clearance; a liaison officer reads only the threats his body owns, up to
    his clearance. Its likelihood, impact and trend change only by reassessment, each kept."""

    title = models.CharField(_("title"), max_length=300)
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices, db_index=True)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    trend = models.CharField(_("trend"), max_length=16, choices=Trend.choices, default=Trend.STABLE)
    owner = models.ForeignKey(
        "directory.Organization", verbose_name=_("owner body"), on_delete=models.PROTECT, related_name="threats"
    )

    class Meta:
        verbose_name = _("threat")
        verbose_name_plural = _("threats")
        ordering = ["-likelihood", "-impact", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5), name="threats_likelihood_1_5"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="threats_impact_1_5"),
        ]
        indexes = [models.Index(fields=["owner", "domain"], name="threats_threat_owner_idx")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return owned_by_q(user, "owner_id") if user.is_liaison else Q()

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class ThreatAssessment(Audited, models.Model):
    """One reassessment of a threat: the old and new likelihood, impact and trend, why, by whom, when.
    Written only by ``services.reassess_threat``, in the same transaction as the change; never edited."""

    threat = models.ForeignKey(Threat, verbose_name=_("threat"), on_delete=models.CASCADE, related_name="assessments")
    old_likelihood = models.PositiveSmallIntegerField(_("old likelihood"), null=True, blank=True)
    new_likelihood = models.PositiveSmallIntegerField(_("new likelihood"))
    old_impact = models.PositiveSmallIntegerField(_("old impact"), null=True, blank=True)
    new_impact = models.PositiveSmallIntegerField(_("new impact"))
    old_trend = models.CharField(_("old trend"), max_length=16, choices=Trend.choices, blank=True)
    new_trend = models.CharField(_("new trend"), max_length=16, choices=Trend.choices)
    reason = models.TextField(_("reason"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.threat_id}: {self.new_likelihood}×{self.new_impact}"

    @property
    def classification(self) -> int:
        """The level of its threat: the audit log files a reassessment (and its reason) at it."""
        return int(self.threat.classification)


class Countermeasure(ClassifiedModel):
    """A measure against a threat, with its status and expected effect; it may be carried out as an
    instruction aimed at it (execution control). Classified at least as high as its threat."""

    threat = models.ForeignKey(
        Threat, verbose_name=_("threat"), on_delete=models.CASCADE, related_name="countermeasures"
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=CountermeasureStatus.choices, default=CountermeasureStatus.PLANNED
    )
    expected_effect = models.TextField(_("expected effect"), blank=True)

    class Meta:
        verbose_name = _("countermeasure")
        verbose_name_plural = _("countermeasures")
        ordering = ["threat", "pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return owned_by_q(user, "threat__owner_id") if user.is_liaison else Q()


class Signal(ClassifiedModel, Translated):
    """A time series that measures a threat (incidents a month, a price, border crossings...).

    ``code`` names it in imports. Thresholds bound its normal range; the three alert rules are switched
    on per signal. Classified at least as high as its threat; a liaison reads only the signals of the
    threats his body owns. Event-derived signals (counts per region and category) keep both."""

    translated_fields = ("name",)

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY)
    threat = models.ForeignKey(
        Threat, verbose_name=_("threat"), null=True, blank=True, on_delete=models.PROTECT, related_name="signals"
    )
    lower_threshold = models.FloatField(_("lower threshold"), null=True, blank=True)
    upper_threshold = models.FloatField(_("upper threshold"), null=True, blank=True)
    alert_threshold = models.BooleanField(_("alert beyond a threshold"), default=True)
    # xgettext:no-python-format
    alert_outside_interval = models.BooleanField(_("alert outside the forecast's 95% interval"), default=True)
    alert_forecast_crossing = models.BooleanField(_("alert when the forecast crosses a threshold"), default=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lower_threshold__isnull=True)
                | Q(upper_threshold__isnull=True)
                | Q(lower_threshold__lt=models.F("upper_threshold")),
                name="threats_signal_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return owned_by_q(user, "threat__owner_id") if user.is_liaison else Q()


class Observation(Audited, models.Model):
    """One value of a signal for one period (the period's first day). One per signal and period: a
    correction replaces the value, and the audit log keeps the old and the new one."""

    signal = models.ForeignKey(Signal, verbose_name=_("signal"), on_delete=models.CASCADE, related_name="observations")
    period = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["signal", "period"]
        constraints = [models.UniqueConstraint(fields=["signal", "period"], name="threats_observation_once")]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.period}: {self.value}"

    @property
    def classification(self) -> int:
        """The level of its signal: the audit log files an observation's change at that level."""
        return self.signal.classification


class Forecast(models.Model):
    """A forecast of a signal: the chosen model, its points with 80% and 95% intervals, and the
    backtest scores of the chosen model and of the seasonal-naive baseline, so that a forecast is never
    shown without its accuracy. Read through its signal's visibility."""

    signal = models.ForeignKey(Signal, verbose_name=_("signal"), on_delete=models.CASCADE, related_name="forecasts")
    model = models.CharField(_("model"), max_length=60)
    horizon = models.PositiveSmallIntegerField(_("horizon"))
    last_period = models.DateField(_("last observed period"))
    observations = models.PositiveIntegerField(_("observations used"))
    points = models.JSONField(_("points"), default=list)
    mase = models.FloatField(_("MASE"))
    interval_score = models.FloatField(_("mean interval score (95%)"))
    # xgettext:no-python-format
    coverage95 = models.FloatField(_("coverage of the 95% interval"))
    baseline_mase = models.FloatField(_("MASE of seasonal naive"))
    baseline_interval_score = models.FloatField(_("mean interval score of seasonal naive (95%)"))
    # xgettext:no-python-format
    baseline_coverage95 = models.FloatField(_("coverage of seasonal naive's 95% interval"))
    windows = models.PositiveSmallIntegerField(_("backtest windows"))
    backtest_horizon = models.PositiveSmallIntegerField(_("backtest window length"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["signal", "-created_at"], name="threats_forecast_latest_idx")]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.model} h={self.horizon}"


class ForecastRun(models.Model):
    """A batch of forecasts over many signals (the daily job, or a request), with its progress."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    horizon = models.PositiveSmallIntegerField(_("horizon"))
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(_("signals"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    forecast = models.PositiveIntegerField(_("forecast"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    message = models.TextField(_("message"), blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=RunReason.choices, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk}: {self.processed}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else (100 if self.status == "done" else 0)

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED)

    @property
    def waiting_since(self) -> dt.datetime | None:
        """When the run was queued, if it has been waiting for the worker long enough to say so."""
        return queues.waiting_since(self.created_at) if self.status == RunStatus.QUEUED else None


class Alert(ClassifiedModel):
    """An early warning on a signal: a value beyond a threshold, a value outside the 95% interval of
    the forecast made before it, or a forecast whose interval crosses a threshold within the horizon.

    ``cause`` names what raised it, unique with the signal and the kind, so an alert is raised once
    per cause however often the rules run. Classified as its signal; acknowledged with a comment."""

    signal = models.ForeignKey(Signal, verbose_name=_("signal"), on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    cause = models.CharField(_("cause"), max_length=100)
    period = models.DateField(_("period"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    message = models.TextField(_("message"))
    # The message as a code of kenes.core.texts, rendered in the reader's language (``text``);
    # ``message`` keeps it as written, for a row written before codes or a removed code.
    code = models.CharField(_("message code"), max_length=80, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["signal", "kind", "cause"], name="threats_alert_once_per_cause")]
        indexes = [models.Index(fields=["acknowledged_at", "raised_at"], name="threats_alert_open_idx")]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.kind} {self.cause}"

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return owned_by_q(user, "signal__threat__owner_id") if user.is_liaison else Q()

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def text(self) -> str:
        """The message in the active language, its numbers in the reader's format, and its signal named
        as the reader's language names it (the alert is classified as its signal, which it names)."""
        if not self.code:
            return self.message
        params = self.params
        if isinstance(params, dict) and "signal" in params:
            params = {**params, "signal": self.signal.translated("name")}
        return texts.render(self.code, params, fallback=self.message)


class SituationReport(ClassifiedModel):
    """A situation report for a period: the analyst's text and the sections generated from the register
    (threats by domain, changes of assessment, alerts, forecasts, countermeasures) as they stood when it
    was generated. Classified as the highest of its content; read by the apparatus only."""

    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    analyst_text = models.TextField(_("analyst's text"), blank=True)
    sections = models.JSONField(_("generated sections"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    #: Its scope: only the threats of this domain, scope and owner body (and their signals, alerts,
    #: forecasts and countermeasures) went into it; empty, all of them.
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices, blank=True, default="")
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, blank=True, default="")
    owner = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("owner body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scoped(self) -> bool:
        return bool(self.domain or self.scope or self.owner_id)
