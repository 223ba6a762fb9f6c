"""Accounts: the user with his role, clearance and organization; API tokens; login attempts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.core.classification import Classification
from kenes.core.crypto import EncryptedCharField
from kenes.core.models import Audited


class Role(models.TextChoices):
    CHAIRMAN = "chairman", _("Chairman")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member of the Council")
    ANALYST = "analyst", _("Analyst")
    CONTROLLER = "controller", _("Controller")
    LIAISON = "liaison", _("Liaison officer")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(Audited, AbstractUser):
    """A person who uses Kenes.

    The role grants actions (sign, accept, administer) and never reads; what he may read is bounded by
    his clearance, and for a liaison officer by his organization too (need-to-know)."""

    audit_exclude = ("password", "totp_secret")
    audit_level = Classification.OFFICIAL
    audit_ignore = ("last_login", "totp_last_step")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Classification.choices, default=Classification.PUBLIC
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        blank=True,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
    )
    totp_secret = EncryptedCharField(_("second factor secret"), max_length=255, blank=True)
    totp_confirmed_at = models.DateTimeField(_("second factor enrolled at"), null=True, blank=True)
    totp_last_step = models.PositiveBigIntegerField(_("last used time step"), default=0)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clearance__in=[c.value for c in Classification]),
                name="accounts_user_clearance_valid",
            ),
        ]

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON

    @property
    def clearance_slug(self) -> str:
        return Classification(self.clearance).slug

    @property
    def has_second_factor(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RecoveryCode(models.Model):
    """A single-use code that stands in for the second factor when the device is lost (stored hashed)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(_("code hash"), max_length=128)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user_id}: {'used' if self.used_at else 'unused'}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiTokenManager(models.Manager.from_queryset(ApiTokenQuerySet)):  # type: ignore[misc]
    pass


class ApiToken(Audited, models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; it expires and can be revoked."""

    audit_exclude = ("key_hash",)
    audit_level = Classification.OFFICIAL
    audit_ignore = ("last_used_at",)

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class LoginAttempt(models.Model):
    """One try to log in, by page or API; failures within the window lock the username out."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        indexes = [models.Index(fields=["username", "at"], name="accounts_attempt_user_at_idx")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"
