"""Control of execution: instructions to state bodies, execution reports, deadlines, extensions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kenes.control.choices import (
    DeadlineChangeKind,
    ExtensionStatus,
    InstructionStatus,
    Periodicity,
    ReportOutcome,
    Urgency,
)
from kenes.core import policy
from kenes.core.classification import Classification
from kenes.core.models import Audited, ClassifiedModel
from kenes.core.translated import Translated

if TYPE_CHECKING:
    from kenes.accounts.models import User


def executor_q(user: User, field: str = "pk") -> Q:
    """Rows whose instruction (``field``) names the user's body as lead or co-executor (liaison officers)."""
    if user.organization_id is None:
        return policy.NOTHING
    addressed = InstructionExecutor.objects.filter(organization_id=user.organization_id).values("instruction_id")
    return Q(**{f"{field}__in": addressed})


class CalendarOverride(Audited, models.Model):
    """The secretary's correction of one day of the working calendar (a decree moving a day off)."""

    audit_level = Classification.PUBLIC

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {'working' if self.is_working else 'day off'}"


class Instruction(ClassifiedModel, Translated):
    """An instruction of the Council to state bodies: what to do, who leads, who helps, by when.

    Given by a decision (then classified at least as high) or directly by the chairman or secretary.
    Either one due date, or periodic reports until an end date, each period with its own due date.
    A liaison officer sees it only when his body is the lead or a co-executor, up to his clearance."""

    translated_fields = ("text",)

    decision = models.ForeignKey(
        "council.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    text = models.TextField(_("text"))
    lead_executor = models.ForeignKey(
        "directory.Organization", verbose_name=_("lead executor"), on_delete=models.PROTECT, related_name="+"
    )
    co_executors = models.ManyToManyField(  # type: ignore[var-annotated]
        "directory.Organization",
        verbose_name=_("co-executors"),
        through="InstructionExecutor",
        related_name="instructions",
        blank=True,
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("controller"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), db_index=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ORDINARY)
    periodicity = models.CharField(_("reporting"), max_length=16, choices=Periodicity.choices, default=Periodicity.NONE)
    report_day = models.PositiveSmallIntegerField(_("report due by day of month"), null=True, blank=True)
    period_start = models.DateField(_("current reporting period"), null=True, blank=True)
    period_end = models.DateField(_("reporting until"), null=True, blank=True)
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=InstructionStatus.choices, default=InstructionStatus.ASSIGNED
    )
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    returned_count = models.PositiveIntegerField(_("times returned"), default=0)
    withdrawn_reason = models.TextField(_("reason of withdrawal"), blank=True)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("aimed at (type)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("aimed at (id)"), null=True, blank=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="control_instr_status_due_idx"),
            models.Index(fields=["controller", "status", "due_date"], name="control_instr_ctrl_idx"),
            models.Index(fields=["lead_executor", "issued_on"], name="control_instr_lead_issued_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="control_instr_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_day__isnull=True) | Q(report_day__gte=1, report_day__lte=28),
                name="control_instr_report_day_1_28",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:80]}"

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return executor_q(user) if user.is_liaison else Q()

    @property
    def is_periodic(self) -> bool:
        return self.periodicity != Periodicity.NONE


class InstructionExecutor(Audited, models.Model):
    """A body that executes an instruction: its lead, or a co-executor. Both are kept here so that
    "addressed to my body" is one indexed lookup."""

    instruction = models.ForeignKey(
        Instruction, verbose_name=_("instruction"), on_delete=models.CASCADE, related_name="executors"
    )
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("lead executor"), default=False)

    class Meta:
        verbose_name = _("executor")
        verbose_name_plural = _("executors")
        constraints = [
            models.UniqueConstraint(fields=["instruction", "organization"], name="control_executor_once"),
        ]
        indexes = [models.Index(fields=["organization", "instruction"], name="control_executor_org_idx")]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.instruction_id}"

    @property
    def classification(self) -> int:
        """The level of its instruction: the audit log files an executor at it."""
        return int(self.instruction.classification)


class DeadlineChange(Audited, models.Model):
    """Every due date an instruction has had, and why it changed: kept and shown, never edited."""

    instruction = models.ForeignKey(
        Instruction, verbose_name=_("instruction"), on_delete=models.CASCADE, related_name="deadline_changes"
    )
    kind = models.CharField(_("change"), max_length=16, choices=DeadlineChangeKind.choices)
    old_due_date = models.DateField(_("old due date"), null=True, blank=True)
    new_due_date = models.DateField(_("new due date"))
    moved_from = models.DateField(
        _("date asked for (a day off)"),
        null=True,
        blank=True,
        help_text=_("The date asked for, when it was a day off and the due date moved to the working day before it."),
    )
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of deadline")
        verbose_name_plural = _("changes of deadline")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_due_date} → {self.new_due_date}"

    @property
    def classification(self) -> int:
        """The level of its instruction: the audit log files a change of deadline (and its reason) at it."""
        return int(self.instruction.classification)


class ExecutionReport(ClassifiedModel):
    """A report on an instruction: by the lead executor's liaison (reviewed by the controller), or a
    co-executor's input to the lead (not reviewed). Classified at least as high as its instruction."""

    instruction = models.ForeignKey(
        Instruction, verbose_name=_("instruction"), on_delete=models.CASCADE, related_name="reports"
    )
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("reporting body"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"))
    period_start = models.DateField(_("reporting period"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ReportOutcome.choices, default=ReportOutcome.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["outcome", "instruction"], name="control_report_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.instruction_id}: {self.get_outcome_display()}"

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return executor_q(user, field="instruction_id") if user.is_liaison else Q()


class ExtensionRequest(Audited, models.Model):
    """A request to move a due date, with its reason, decided by the secretary."""

    instruction = models.ForeignKey(
        Instruction, verbose_name=_("instruction"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_due_date = models.DateField(_("requested due date"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.instruction_id} → {self.requested_due_date}"

    @property
    def classification(self) -> int:
        """The level of its instruction: the audit log files a request (and its reason) at it."""
        return int(self.instruction.classification)
