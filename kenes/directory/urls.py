from django.urls import path

from kenes.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organization_list, name="organization-list"),
    path("<int:organization_id>/", views.organization_detail, name="organization-detail"),
]
