"""API of the directory: organizations (state bodies) and regions."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from kenes.core import policy
from kenes.core.schemas import ERRORS, Id, Pagination
from kenes.directory import services
from kenes.directory.models import Organization, Region
from kenes.directory.schemas import OrganizationFilter, OrganizationOut, RegionOut

router = Router(tags=["directory"])


@router.get("/organizations", response={200: list[OrganizationOut], **ERRORS}, summary="State bodies and organizations")
@paginate(Pagination)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilter]):
    return services.organizations_for(request.user, **filters.dict())


@router.get("/organizations/{organization_id}", response={200: OrganizationOut, **ERRORS}, summary="An organization")
def get_organization(request: HttpRequest, organization_id: Id):
    return policy.get_visible_or_404(Organization.objects, request.user, pk=organization_id)


@router.get(
    "/regions", response={200: list[RegionOut], **ERRORS}, summary="Regions and cities of republican significance"
)
@paginate(Pagination)
def list_regions(request: HttpRequest):
    return Region.objects.visible_to(request.user).order_by(services.name_field(), "pk")
