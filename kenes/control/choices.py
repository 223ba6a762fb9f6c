from django.db import models
from django.utils.translation import gettext_lazy as _


class InstructionStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    REPORTED = "reported", _("Reported")
    EXECUTED = "executed", _("Executed")
    OVERDUE = "overdue", _("Overdue")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (InstructionStatus.ASSIGNED, InstructionStatus.OVERDUE, InstructionStatus.RETURNED)
ACTIVE_STATUSES = (*OPEN_STATUSES, InstructionStatus.REPORTED)


class Urgency(models.TextChoices):
    VERY_URGENT = "very_urgent", _("Very urgent (1 working day)")
    URGENT = "urgent", _("Urgent (3 working days)")
    OPERATIONAL = "operational", _("Operational (10 working days)")
    ORDINARY = "ordinary", _("Ordinary (by a date)")


URGENCY_WORKING_DAYS = {Urgency.VERY_URGENT: 1, Urgency.URGENT: 3, Urgency.OPERATIONAL: 10}


class Periodicity(models.TextChoices):
    NONE = "none", _("Once, by the due date")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


PERIOD_MONTHS = {Periodicity.MONTHLY: 1, Periodicity.QUARTERLY: 3, Periodicity.HALF_YEARLY: 6, Periodicity.YEARLY: 12}


class ReportOutcome(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    INPUT = "input", _("Input of a co-executor")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DeadlineChangeKind(models.TextChoices):
    SET = "set", _("Set when issued")
    EXTENSION = "extension", _("Extended")
    NEXT_PERIOD = "next_period", _("Next reporting period")
