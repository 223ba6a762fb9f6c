"""Pages of accounts: login in one or two steps, logout, the profile with tokens, second-factor enrolment."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from kenes.accounts import services
from kenes.accounts.forms import EnrolForm, LoginForm, OtpForm, TokenForm
from kenes.accounts.models import User
from kenes.core import context
from kenes.core.http import AuthedRequest

PENDING_KEY = "kenes_pending_user"
PENDING_SECONDS = 300
ENROL_KEY = "kenes_enrol_secret"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _complete_login(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if user.preferred_language:
        request.session["_language"] = user.preferred_language
    with context.acting_as(user):
        services.record_login(user)
    if services.needs_enrolment(user):
        return redirect("accounts:second-factor")
    return redirect(_next_url(request))


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.authenticate(
                request, form.cleaned_data["username"], form.cleaned_data["password"], ip=context.client_ip(request)
            )
        except services.SecondFactorNeeded:
            pending = services.user_named(form.cleaned_data["username"])
            request.session[PENDING_KEY] = {"id": pending and pending.pk, "at": timezone.now().timestamp()}
            return redirect(f"{reverse('accounts:login-otp')}?{urlencode({'next': _next_url(request)})}")
        except services.LoginError as error:
            form.add_error(None, str(error))
            status = error.status
        else:
            return _complete_login(request, user)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_otp_view(request: HttpRequest) -> HttpResponse:
    """The second step of a login: the code from the authenticator app, or a recovery code."""
    pending = request.session.get(PENDING_KEY)
    if not pending or timezone.now().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    user = services.pending_user(pending["id"])
    if user is None:
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.is_locked_out(user.username.lower()):
            form.add_error(None, _("Too many failed attempts. Try again later."))
            status = 429
        elif services.verify_second_factor(user, form.cleaned_data["code"]):
            return _complete_login(request, user)
        else:
            services.record_failure(user.username, ip=context.client_ip(request))
            form.add_error("code", _("The code is not valid."))
            status = 401
    return render(request, "accounts/login_otp.html", {"form": form, "next": _next_url(request)}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record_logout(request.user)
    logout(request)
    return redirect("accounts:login")


@login_required
@never_cache
def profile(request: AuthedRequest) -> HttpResponse:
    tokens = services.tokens_of(request.user)[:100]
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "token_form": TokenForm(),
            "new_key": request.session.pop("kenes_new_token", None),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def create_token(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        issued = services.issue_token(request.user, name=form.cleaned_data["name"])
        request.session["kenes_new_token"] = issued.key
        messages.success(request, _("The token was created. Copy it now: it will not be shown again."))
    else:
        messages.error(request, _("The token was not created: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = services.own_token(request.user, token_id)
    services.revoke_token(token, actor=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: AuthedRequest) -> HttpResponse:
    """Enrol a TOTP second factor: scan the QR code, confirm with a code, keep the recovery codes."""
    user = request.user
    if user.has_second_factor:
        return render(request, "accounts/second_factor.html", {"enrolled": True})
    secret = request.session.get(ENROL_KEY) or services.new_totp_secret()
    request.session[ENROL_KEY] = secret
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrol_second_factor(user, secret, form.cleaned_data["code"], actor=user)
        except ValueError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(ENROL_KEY, None)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    uri = services.provisioning_uri(user, secret)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "qr": qr, "secret": secret, "required": services.needs_enrolment(user)},
    )
