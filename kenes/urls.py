from django.contrib import admin
from django.urls import include, path

from kenes.api import api
from kenes.core import views as core_views

admin.site.site_header = "Kenes"
admin.site.site_title = "Kenes"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("kenes.accounts.urls")),
    path("organizations/", include("kenes.directory.urls")),
    path("council/", include("kenes.council.urls")),
    path("instructions/", include("kenes.control.urls")),
    path("strategy/", include("kenes.strategy.urls")),
    path("threats/", include("kenes.threats.urls")),
    path("admin/", admin.site.urls),
    path("", include("kenes.core.urls")),
]

handler400 = "kenes.core.errors.bad_request"
handler403 = "kenes.core.errors.permission_denied"
handler404 = "kenes.core.errors.page_not_found"
handler500 = "kenes.core.errors.server_error"
