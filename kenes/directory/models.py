"""The directory: regions and the state bodies (organizations) that the Council coordinates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kenes.core.classification import Classification
from kenes.core.models import Audited, VisibleManager


class TrilingualName(models.Model):
    """Names in Kazakh, Russian and English; ``name`` is the one in the active language."""

    name_kk = models.CharField(_("name in Kazakh"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "kk")[:2]
        return getattr(self, f"name_{language}", "") or self.name_kk or self.name_ru or self.name_en


class Region(Audited, TrilingualName):
    """A region (oblys) or a city of republican significance."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CITY = "city", _("City of republican significance")

    is_public_reference = True
    audit_level = Classification.PUBLIC

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_en"]


class Organization(Audited, TrilingualName):
    """A state body or organization: a ministry, an agency, a special body, an akimat, the Council itself.

    Organizations are not classified: the list of state bodies is public reference data, readable by
    every logged-in user. Users belong to one, and a liaison officer sees what is addressed to his."""

    is_public_reference = True
    audit_level = Classification.PUBLIC

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        APPARATUS = "apparatus", _("Apparatus")
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement body")
        SPECIAL = "special", _("Special state body")
        REGIONAL_AKIMAT = "regional_akimat", _("Regional akimat")
        CITY_AKIMAT = "city_akimat", _("City akimat")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="organizations"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="directory_org_not_own_parent"),
        ]
