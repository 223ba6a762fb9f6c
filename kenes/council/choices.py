from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AGENDA_APPROVED = "agenda_approved", _("Agenda approved")
    HELD = "held", _("Held")
    MINUTES_SIGNED = "minutes_signed", _("Minutes signed")


MEETING_FLOW = [MeetingStatus.PLANNED, MeetingStatus.AGENDA_APPROVED, MeetingStatus.HELD, MeetingStatus.MINUTES_SIGNED]


class ItemKind(models.TextChoices):
    ANNUAL_REPORT_HEARING = "annual_report_hearing", _("Hearing of the Government's annual report")
    HEAD_HEARING = "head_hearing", _("Hearing of the head of a state body")
    STRATEGY_REVIEW = "strategy_review", _("Review of a strategic document")
    ANALYSIS = "analysis", _("Analysis of a draft or initiative")
    FUNDS_CONTROL = "funds_control", _("Control of allocated funds")
    PERSONNEL = "personnel", _("Candidates for first-head posts")
    OTHER = "other", _("Other question")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    REPRESENTED = "represented", _("Represented")


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    RECOMMENDATION = "recommendation", _("Recommendation")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    IN_EXECUTION = "in_execution", _("In execution")
    EXECUTED = "executed", _("Executed")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class QuestionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Considered")
    MOVED = "moved", _("Moved")
    DROPPED = "dropped", _("Dropped")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
