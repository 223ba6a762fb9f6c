"""The pages a refused or failed request ends on (400, 403, 404, 500 and a refused CSRF token): inside the
site's shell, in the reader's language (``LocaleMiddleware`` has chosen it), each with the way home. Under
``/api/`` the answer stays JSON, as the API's own errors are.

A 403 or 404 page says nothing of the record asked for: a hidden record and a missing one read alike. The
500 page uses neither the database nor the context processors (they may be what failed): it is a
template of its own, with the shell's stylesheet and no request context."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, status: int, title: str, explanation: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": title}, status=status)
    context = {"status": status, "title": title, "explanation": explanation}
    body: str
    try:
        body = loader.render_to_string("error.html", context, request=request)
    except Exception:  # the shell itself failed (its database, a context processor): the bare page
        logger.exception("the error page's shell failed; the self-contained page is shown")
        body = _standalone(context)
    return HttpResponse(body, status=status)


def _standalone(context: dict) -> str:
    return loader.get_template("500.html").render({"site_name": settings.KENES_SITE_NAME, **context})


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    explanation = _("The request could not be read. Go back, check what you entered and try again.")
    return _page(request, 400, _("Invalid input."), explanation)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You may not do this."),
        str(exception) if exception is not None and str(exception) else _("Your role or clearance does not allow it."),
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Not found."),
        _(
            "There is nothing at this address that you may open. Check the address, or find the record from the "
            "dashboard."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Something went wrong on the server.")}, status=500)
    body = _standalone(
        {
            "status": 500,
            "title": _("Something went wrong on the server."),
            "explanation": _("Your request was not completed. It has been logged; try again in a few minutes."),
        }
    )
    return HttpResponse(body, status=500)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        _("You may not do this."),
        _(
            "The form was sent without a valid security token (it may have been open too long, or cookies are "
            "blocked). Go back, reload the page and send it again."
        ),
    )
