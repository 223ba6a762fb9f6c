from django.urls import path

from kenes.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="dashboard"),
    path("search/", views.search_page, name="search"),
    path("audit/", views.audit_page, name="audit"),
    path("audit/export.<str:fmt>", views.audit_export, name="audit-export"),
    path("audit/<int:seq>/", views.audit_event, name="audit-event"),
    path("notifications/", views.notification_inbox, name="notifications"),
    path("imports/<int:job_id>/", views.import_job, name="import-job"),
    path("attachments/<int:attachment_id>/download/", views.download_attachment, name="attachment-download"),
]
