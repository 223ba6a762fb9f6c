"""Outside demo mode, a user cleared secret or above does nothing before enrolling a second factor."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kenes.accounts import services

ALLOWED_PREFIXES = ("/static/", "/i18n/", "/healthz")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and services.needs_enrolment(user):
            allowed = {reverse("accounts:second-factor"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(ALLOWED_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Enrol a second factor before using the API.")}, status=403)
                return redirect("accounts:second-factor")
        return self.get_response(request)
