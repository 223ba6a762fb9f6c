"""The site's addresses plus a few that fail on purpose, for the tests of the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from kenes.urls import handler400, handler403, handler404, handler500  # noqa: F401
from kenes.urls import urlpatterns as site


def _boom(request):
    raise RuntimeError("a failure the error page must not show")


def _forbidden(request):
    raise PermissionDenied("Only the secretary may do this.")


def _suspicious(request):
    raise SuspiciousOperation("a request that cannot be read")


urlpatterns = [
    path("test-errors/500/", _boom),
    path("test-errors/403/", _forbidden),
    path("test-errors/400/", _suspicious),
    *site,
]
