"""Request middleware of the security core."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kenes.core import context


class AuditContextMiddleware:
    """Makes the logged-in user and the client's address the actor of every change in the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with context.acting_as(user, ip=context.client_ip(request)):
            return self.get_response(request)
