from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", _("Long-term strategy")
    NATIONAL_PLAN = "national_plan", _("National development plan")
    SECURITY_STRATEGY = "security_strategy", _("National security strategy")
    CONCEPT = "concept", _("Concept")
    STATE_PROGRAM = "state_program", _("State program")
    NATIONAL_PROJECT = "national_project", _("National project")
    ACTION_PLAN = "action_plan", _("Plan of measures")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase is better")
    DECREASE = "decrease", _("Decrease is better")


class IndicatorFrequency(models.TextChoices):
    """The subset of ``kenes.core.periods.Frequency`` that indicators are measured at (same values)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")


class EvaluationStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


class MeasurementSource(models.TextChoices):
    PAGE = "page", _("Entered on the page")
    API = "api", _("Sent through the API")
    IMPORT = "import", _("Imported from a file")
