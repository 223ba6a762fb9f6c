"""Rules of accounts: logging in with lockout, the second factor, API tokens.

The login page and the API's token endpoint both call :func:`authenticate`, so lockout and the second
factor are enforced the same way on both paths.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import ApiToken, LoginAttempt, RecoveryCode, User
from kenes.core import audit
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.core.services import service

TOKEN_PREFIX = "kns_"  # noqa: S105  (a public marker, not a secret)
RECOVERY_CODES = 10
TOTP_ISSUER = "Kenes"


class LoginError(Exception):
    """A refused login; ``status`` is the HTTP status the API answers with."""

    status = 401


class InvalidCredentials(LoginError):
    pass


class LockedOut(LoginError):
    status = 429


class SecondFactorNeeded(LoginError):
    """The password was right, but the user has a second factor and gave no (or a wrong) code."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str


def _window_start():
    return timezone.now() - timedelta(minutes=settings.KENES_LOGIN_WINDOW_MINUTES)


def is_locked_out(username: str) -> bool:
    """Whether ``username`` has had as many failures as allowed within the window."""
    failures = LoginAttempt.objects.filter(username=username.lower(), succeeded=False, at__gte=_window_start())
    return failures.count() >= settings.KENES_LOGIN_MAX_FAILURES


def pending_user(user_id: int) -> User | None:
    """The active user half-way through a two-step login (password checked, code not yet)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def user_named(username: str) -> User | None:
    return User.objects.filter(username=username.strip()).first()


def second_factor_required(user: User) -> bool:
    """Outside demo mode, users cleared ``secret`` and above must use a second factor."""
    return settings.KENES_REQUIRE_SECOND_FACTOR and user.clearance >= Classification.SECRET


def needs_enrolment(user: User) -> bool:
    return second_factor_required(user) and not user.has_second_factor


def authenticate(request, username: str, password: str, otp: str | None = None, *, ip: str | None = None) -> User:
    """Check a login and return the user, or raise a :class:`LoginError`.

    While a username is locked out even correct credentials are refused, and the refusal does not
    say whether they were correct. Every attempt is recorded; failures and lockouts in the audit log."""
    username = (username or "").strip()[:150]
    key = username.lower()
    if is_locked_out(key):
        audit.record_alone(
            AuditEvent.Action.LOGIN_LOCKED,
            object_type="accounts.user",
            object_repr=username,
            classification=User.audit_level,
        )
        raise LockedOut(
            _("Too many failed attempts. Try again in %(minutes)s minutes.")
            % {"minutes": settings.KENES_LOGIN_WINDOW_MINUTES}
        )
    user = django_authenticate(request, username=username, password=password or "")
    if user is None:
        _fail(key, username, ip)
        raise InvalidCredentials(_("Wrong username or password."))
    if user.has_second_factor:
        if not otp:
            raise SecondFactorNeeded(_("Enter the code from your authenticator app."))
        if not verify_second_factor(user, otp):
            _fail(key, username, ip)
            raise SecondFactorNeeded(_("The code is not valid."))
    LoginAttempt.objects.create(username=key, succeeded=True, ip=ip)
    return user


def record_failure(username: str, *, ip: str | None) -> None:
    """Record a failed try (a wrong password or second-factor code); enough of them lock the username."""
    _fail(username.lower(), username, ip)


def _fail(key: str, username: str, ip: str | None) -> None:
    with transaction.atomic():
        LoginAttempt.objects.create(username=key, succeeded=False, ip=ip)
        audit.record(
            AuditEvent.Action.LOGIN_FAILED,
            object_type="accounts.user",
            object_repr=username,
            classification=User.audit_level,
        )


def record_login(user: User) -> None:
    audit.record_alone(AuditEvent.Action.LOGIN, user, actor=user)


def record_logout(user: User) -> None:
    audit.record_alone(AuditEvent.Action.LOGOUT, user, actor=user)


# --- the second factor -------------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def _check_totp(secret: str, code: str, after_step: int) -> int | None:
    """The time step at which ``code`` is valid (±1 step of drift), if later than ``after_step``."""
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(timezone.now().timestamp()) // totp.interval
    for step in (now_step - 1, now_step, now_step + 1):
        if step > after_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


@transaction.atomic
def verify_second_factor(user: User, code: str) -> bool:
    """Accept a current TOTP code (each only once) or an unused recovery code.

    The step of an accepted code is saved on the user's row (a change the log ignores: the login is
    its event); a recovery code used is marked so in the transaction of its audit event."""
    step = _check_totp(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        user.save(update_fields=["totp_last_step"])
        return True
    normalised = code.strip().replace("-", "").lower()
    for recovery in user.recovery_codes.filter(used_at__isnull=True):
        if check_password(normalised, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            audit.record(AuditEvent.Action.RECOVERY_CODE_USED, user, actor=user)
            return True
    return False


@service
def enrol_second_factor(user: User, secret: str, code: str, *, actor: User) -> list[str]:
    """Confirm a new TOTP secret with a code from the device; returns fresh recovery codes (shown once)."""
    step = _check_totp(secret, code, 0)
    if step is None:
        raise ValueError(_("The code is not valid. Check the time on your device and try again."))
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    codes = _new_recovery_codes(user)
    audit.record(AuditEvent.Action.SECOND_FACTOR_ENROLLED, user, actor=actor)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=make_password(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@service
def reset_second_factor(user: User, *, actor: User) -> None:
    """Remove a user's second factor (an administrator's act when a device is lost)."""
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    user.recovery_codes.all().delete()
    audit.record(AuditEvent.Action.SECOND_FACTOR_RESET, user, actor=actor)


# --- API tokens --------------------------------------------------------------------------------


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User, *, name: str = "", ttl_hours: int | None = None) -> IssuedToken:
    """Create an API token; the key is returned once and only its hash is kept."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    hours = ttl_hours if ttl_hours is not None else settings.KENES_TOKEN_TTL_HOURS
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:12],
        key_hash=_hash_key(key),
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    audit.record(AuditEvent.Action.TOKEN_ISSUED, token, actor=user)
    return IssuedToken(token=token, key=key)


def user_for_token(key: str) -> User | None:
    """The active user behind a valid, unexpired, unrevoked token, or ``None``."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=_hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now  # a change the log ignores: the request is logged, not the token's use
        token.save(update_fields=["last_used_at"])
    token.user._api_token = token  # type: ignore[attr-defined]
    return token.user


def tokens_of(user: User):
    """The user's own API tokens, newest first: a user sees no one else's."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def own_token(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; someone else's is as absent as a missing one (404)."""
    token = tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("Not found."))
    return token


@service
def revoke_token(token: ApiToken, *, actor: User) -> None:
    """Revoke a token at once; revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(AuditEvent.Action.TOKEN_REVOKED, token, actor=actor)
