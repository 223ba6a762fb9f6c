"""The Kenes API at /api/v1: authentication, the error format (docs/api.md) and every app's router.

Every endpoint needs a bearer token or a browser session (with its CSRF token on unsafe methods).
Errors always answer JSON with a human-readable ``detail``; invalid input adds ``errors`` with the
location and message of each problem. What a caller may not see answers 404, like what is absent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from kenes.accounts import services as account_services
from kenes.core import context
from kenes.core.exceptions import Conflict


def _refuse_nul(value: Any, loc: list[Any]) -> None:
    """Text with a NUL character is invalid input: no database column takes it (PostgreSQL refuses it)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise NinjaValidationError([{"loc": loc, "msg": _("Text may not contain NUL characters.")}])
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, loc)
            _refuse_nul(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, [*loc, index])


class KenesParser(Parser):
    """ninja's JSON and query parsing, refusing NUL characters in any text of the request."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        _refuse_nul(data, ["body"])
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        _refuse_nul(parsed, ["form" if data is request.POST else "query"])
        return parsed


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a valid, unexpired, unrevoked API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = account_services.user_for_token(token.strip())
        if user is None:
            return None
        if account_services.needs_enrolment(user):
            raise HttpError(403, _("Enrol a second factor before using the API."))
        request.user = user
        context.set_user(user)
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and account_services.needs_enrolment(user):
            raise HttpError(403, _("Enrol a second factor before using the API."))
        return user


API_DESCRIPTION = """The API of Kenes, the information system of the Security Council.

Authenticate with `POST /api/v1/auth/token` (`{"username", "password", "otp"?}` → `201 {"token", "expires_at"}`)
and send `Authorization: Bearer <token>`; a browser session with its CSRF token works too. Without either: `401`.

- Lists answer `{"count": N, "items": [...]}` and take `limit` (default 50, at most 500) and `offset`;
  `count` counts only what the caller may see.
- Errors answer `{"detail": "..."}`; invalid input adds `"errors": [{"loc": [...], "msg": "..."}]`.
  `400`/`422` invalid input, `401` not authenticated, `403` may see but may not do, `404` absent or not
  visible (the two are indistinguishable), `409` the object's state forbids it, `413` too large, `429` throttled.
- Classification values: `public`, `official`, `secret`, `top_secret`, `special_importance`. Every classified
  object has `id`, `classification`, `created_at`, `updated_at`. Creating or updating an object above the
  caller's clearance is `403`; below the high-water mark of its source, `422`.
- Dates are `YYYY-MM-DD`, timestamps ISO 8601 with offset. A period (of a target, a measurement, an
  observation, a forecast point) is written as its first day: `2026-01-01` is the year 2026 for an annual
  series, its first quarter for a quarterly one, January for a monthly one, the week starting that Monday
  for a weekly one; any other day is invalid input.
- A field a resource does not require is optional or has a documented default (see each field's description).

The guide with every resource, its fields and defaults is `docs/api.md` in the repository.
"""

api = NinjaAPI(
    title="Kenes API",
    version="1",
    description=API_DESCRIPTION,
    auth=[BearerAuth(), SessionAuth()],
    parser=KenesParser(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", ""))} for e in exc.errors]
    return _error(request, 422, _("Invalid input."), errors)


@api.exception_handler(DjangoValidationError)
def _invalid_by_rule(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": str(message)} for message in exc.messages]
    if hasattr(exc, "error_dict"):
        codes = {e.code for field_errors in exc.error_dict.values() for e in field_errors}
    else:
        codes = {e.code for e in exc.error_list}
    status = 413 if "too_large" in codes else 422
    return _error(request, status, str(errors[0]["msg"]) if len(errors) == 1 else _("Invalid input."), errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Authentication required: send a bearer token or log in."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(request, 409, str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, _("The request is too large."))


@api.exception_handler(account_services.LoginError)
def _login_refused(request: HttpRequest, exc: account_services.LoginError) -> HttpResponse:
    return _error(request, exc.status, str(exc))


def _register_routers() -> None:
    from kenes.accounts.api import router as accounts_router
    from kenes.control.api import router as control_router
    from kenes.core.api import router as core_router
    from kenes.council.api import router as council_router
    from kenes.directory.api import router as directory_router
    from kenes.strategy.api import router as strategy_router
    from kenes.threats.api import router as threats_router

    api.add_router("", accounts_router)
    api.add_router("", directory_router)
    api.add_router("", council_router)
    api.add_router("", control_router)
    api.add_router("", strategy_router)
    api.add_router("", threats_router)
    api.add_router("", core_router)


_register_routers()
