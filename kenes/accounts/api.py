"""API of accounts: obtaining and revoking tokens, and who the caller is."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from kenes.accounts import services
from kenes.accounts.schemas import ApiTokenOut, MeOut, TokenIn, TokenOut
from kenes.core import context, policy
from kenes.core.http import AuthedRequest
from kenes.core.schemas import ERRORS, ErrorOut, Id, Pagination

router = Router(tags=["accounts"])


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenOut, 429: ErrorOut, **ERRORS},
    summary="Exchange credentials (and a second-factor code) for an API token",
)
def obtain_token(request: HttpRequest, credentials: TokenIn):
    user = services.authenticate(
        request, credentials.username, credentials.password, credentials.otp, ip=context.client_ip(request)
    )
    if services.needs_enrolment(user):
        raise HttpError(403, _("Enrol a second factor on the web page before using the API."))
    with context.acting_as(user):
        issued = services.issue_token(user, name=credentials.name)
    return Status(201, {"token": issued.key, "expires_at": issued.token.expires_at})


@router.get("/auth/tokens", response={200: list[ApiTokenOut], **ERRORS}, summary="The caller's API tokens")
@paginate(Pagination)
def list_tokens(request: AuthedRequest):
    return services.tokens_of(request.user)


@router.delete("/auth/tokens/{token_id}", response={204: None, **ERRORS}, summary="Revoke one of the caller's tokens")
def revoke_token(request: AuthedRequest, token_id: Id):
    token = services.own_token(request.user, token_id)
    services.revoke_token(token, actor=request.user)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The caller")
def me(request: AuthedRequest):
    if not policy.is_reader(request.user):
        raise Http404
    return request.user
