"""Pages of the directory: the list of state bodies and one body with its subordinate bodies."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kenes.core import policy
from kenes.directory import services
from kenes.directory.forms import OrganizationFilterForm
from kenes.directory.models import Organization

PAGE_SIZE = 50


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = services.organizations_for(
        request.user, kind=filters.get("kind"), q=filters.get("q"), sort=filters.get("sort")
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "directory/_organization_rows.html" if request.headers.get("HX-Request") else "directory/organization_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@login_required
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    related = Organization.objects.visible_to(request.user).select_related("parent", "region")
    organization = policy.get_visible_or_404(related, request.user, pk=organization_id)
    children = services.organizations_for(request.user, parent=organization.pk)
    return render(request, "directory/organization_detail.html", {"organization": organization, "children": children})
