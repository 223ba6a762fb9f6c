"""Council sessions: the work plan, sessions, agenda items, attendance, decisions, votes and minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kenes.core import policy
from kenes.core.classification import Classification
from kenes.core.models import Audited, ClassifiedModel
from kenes.core.translated import Translated
from kenes.council.choices import (
    Attendance,
    DecisionKind,
    DecisionStatus,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    QuestionStatus,
    VoteChoice,
)

if TYPE_CHECKING:
    from kenes.accounts.models import User


def _own_body(user: User) -> int | None:
    return user.organization_id


EARLY_UNSTATED = "-"  # held or adopted before the session's date through the API, which asks for no reason


class ActedEarly:
    """A record with ``early_reason``: why it was held or adopted before its session's date."""

    early_reason: str

    @property
    def early_reason_shown(self) -> str:
        """The reason as the pages show it (in the reader's language when none was stated)."""
        if self.early_reason == EARLY_UNSTATED:
            return str(_("none stated (done through the API, which does not ask for one)"))
        return self.early_reason


class PlannedQuestion(ClassifiedModel):
    """A question of the Council's annual work plan, by quarter, with the body responsible for it.

    It moves onto a session's agenda when scheduled; the plan then shows whether it was held, moved
    to another quarter or dropped."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in range(1, 5)])
    title = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=32, choices=ItemKind.choices, default=ItemKind.OTHER)
    responsible = models.ForeignKey(
        "directory.Organization", verbose_name=_("responsible body"), on_delete=models.PROTECT, related_name="+"
    )
    planned_meeting = models.ForeignKey(
        "council.Meeting",
        verbose_name=_("planned session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_questions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.PLANNED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("work plan question")
        verbose_name_plural = _("work plan questions")
        ordering = ["year", "quarter", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="council_question_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return Q(responsible_id=_own_body(user)) if user.is_liaison else Q()


class Meeting(ActedEarly, ClassifiedModel, Translated):
    """A session of the Council: regular or extraordinary, with its agenda, attendance and minutes.

    Its status moves only forward, ``planned`` → ``agenda_approved`` → ``held`` → ``minutes_signed``,
    and only the secretary or the chairman moves it. A liaison officer sees the sessions with an agenda
    item about his body that he may read himself."""

    translated_fields = ("title", "place")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chairing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    early_reason = models.TextField(_("reason for holding it before its date"), blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.SECRET, db_index=True
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        if not user.is_liaison:
            return Q()
        if user.organization_id is None:
            return policy.NOTHING
        heard = AgendaItem.objects.filter(policy.visibility_q(AgendaItem, user)).values("meeting_id")
        return Q(pk__in=heard)


class AgendaItem(ClassifiedModel, Translated):
    """A question on a session's agenda; a hearing names its speaker and body.

    Later modules hang their objects on an item (a strategic document's evaluation, a review, a
    candidate) through ``subject``. An item is classified at least as high as its session."""

    translated_fields = ("title", "speaker")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("session"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=32, choices=ItemKind.choices, default=ItemKind.OTHER)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    body = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("body heard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    planned_question = models.ForeignKey(
        PlannedQuestion,
        verbose_name=_("work plan question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["body"], name="council_item_body_idx")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        if not user.is_liaison:
            return Q()
        return Q(body_id=user.organization_id) if user.organization_id else policy.NOTHING


class AttendanceRecord(Audited, models.Model):
    """Whether a member attended a session: present, absent, or represented by someone named."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("attendance"), max_length=16, choices=Attendance.choices)
    represented_by = models.CharField(_("represented by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="council_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status}"

    @property
    def classification(self) -> int:
        """The level of its session: the audit log files who attended at it."""
        return int(self.meeting.classification)


class Decision(ActedEarly, ClassifiedModel, Translated):
    """A decision or recommendation of the Council, adopted on an agenda item or by the chairman alone.

    It is numbered per year when adopted (``12/2026``, unique, never reused), signed by the chairman,
    and never edited afterwards: a later decision amends it by reference. It is classified at least
    as high as its session and agenda item. The instructions it gives come in execution control."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("session"), null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"))
    number = models.CharField(_("number"), max_length=20, null=True, blank=True, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence in the year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amends = models.ForeignKey(
        "self", verbose_name=_("amends"), null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    status_note = models.TextField(_("reason of the last status change"), blank=True)
    early_reason = models.TextField(_("reason for adopting it before the session's date"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-year", "-sequence", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="council_decision_number_once"),
            models.CheckConstraint(
                condition=Q(status__in=("draft", "withdrawn")) | Q(number__isnull=False),
                name="council_decision_numbered_when_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        if not user.is_liaison:
            return Q()
        return Q(agenda_item__body_id=user.organization_id) if user.organization_id else policy.NOTHING


class Vote(Audited, models.Model):
    """How one member voted on a decision."""

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["decision", "member"], name="council_vote_once")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"

    @property
    def classification(self) -> int:
        """The level of its decision: the audit log files a vote at it."""
        return int(self.decision.classification)


class Minutes(ClassifiedModel):
    """The minutes of a session: drafted from its data, edited, signed, then read-only."""

    meeting = models.OneToOneField(Meeting, verbose_name=_("session"), on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(_("Minutes: %(title)s") % {"title": self.meeting.title})
