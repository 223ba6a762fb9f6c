"""The classification levels of Kazakhstan's regime, in their order.

Stored as small integers so that "may read" is one comparison in the database
(``classification <= clearance``); the API speaks their slugs (``public`` … ``special_importance``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    PUBLIC = 0, _("Public")
    OFFICIAL = 10, _("For official use")
    SECRET = 20, _("Secret")
    TOP_SECRET = 30, _("Top secret")
    SPECIAL_IMPORTANCE = 40, _("Of special importance")

    @property
    def slug(self) -> str:
        return self.name.lower()

    @classmethod
    def from_slug(cls, slug: str) -> "Classification":
        """The level named by ``slug``; ``ValueError`` for anything else."""
        try:
            return cls[slug.upper()]
        except KeyError:
            raise ValueError(f"unknown classification {slug!r}") from None

    @classmethod
    def slugs(cls) -> list[str]:
        return [level.slug for level in cls]


CLASSIFICATION_SLUGS = tuple(Classification.slugs())


def level_from_input(value: str | None, field: str = "classification") -> int | None:
    """The level named by an API or form value, ``None`` when not given; an unknown name is invalid input."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    if value is None or value == "":
        return None
    try:
        return int(Classification.from_slug(value))
    except ValueError:
        message = gettext("Unknown classification: use one of %(levels)s.") % {
            "levels": ", ".join(CLASSIFICATION_SLUGS)
        }
        raise ValidationError({field: message}) from None
