from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    MILITARY = "military", _("Military")
    TERRORISM_EXTREMISM = "terrorism_extremism", _("Terrorism and extremism")
    CYBER = "cyber", _("Cyber")
    ECONOMIC = "economic", _("Economic")
    ENERGY = "energy", _("Energy")
    FOOD = "food", _("Food")
    ECOLOGICAL = "ecological", _("Ecological")
    EPIDEMIOLOGICAL = "epidemiological", _("Epidemiological")
    INFORMATION = "information", _("Information")
    BORDER = "border", _("Border")
    PUBLIC_ORDER = "public_order", _("Public order")
    TRANSNATIONAL_CRIME = "transnational_crime", _("Transnational crime")
    OTHER = "other", _("Other")


class Scope(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class Trend(models.TextChoices):
    RISING = "rising", _("Rising")
    STABLE = "stable", _("Stable")
    FALLING = "falling", _("Falling")


class CountermeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class AlertKind(models.TextChoices):
    THRESHOLD = "threshold", _("Beyond a threshold")
    # xgettext:no-python-format
    OUTSIDE_INTERVAL = "outside_interval", _("Outside the forecast's 95% interval")
    FORECAST_CROSSING = "forecast_crossing", _("Forecast crosses a threshold")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class RunReason(models.TextChoices):
    """Why a run ended before its work was done (its page says it in the reader's language)."""

    TIME_LIMIT = "time_limit", _("The run went past its time limit and was stopped.")
    INTERRUPTED = "interrupted", _("The run was interrupted: its worker stopped before it ended.")
    CANCELLED = "cancelled", _("The run was cancelled.")
