from django.urls import path

from kenes.threats import views

app_name = "threats"

urlpatterns = [
    path("", views.threat_list, name="threat-list"),
    path("export.xlsx", views.threat_export, name="threat-export"),
    path("matrix/", views.matrix, name="matrix"),
    path("new/", views.threat_new, name="threat-new"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alerts/acknowledge-many/", views.alert_acknowledge_many, name="alert-acknowledge-many"),
    path("import/<str:kind>/", views.import_upload, name="import"),
    path("import/<str:kind>/template.xlsx", views.import_template_xlsx, name="import-template"),
    path("forecast-runs/", views.run_list, name="run-list"),
    path("forecast-runs/<int:run_id>/", views.run_detail, name="run-detail"),
    path("forecast-runs/<int:run_id>/cancel/", views.run_cancel, name="run-cancel"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/new/", views.report_new, name="report-new"),
    path("reports/<int:report_id>/", views.report_detail, name="report-detail"),
    path("reports/<int:report_id>/export.<str:fmt>", views.report_export, name="report-export"),
    path("signals/<int:signal_id>/", views.signal_detail, name="signal-detail"),
    path("signals/<int:signal_id>/<str:action>/", views.signal_action, name="signal-action"),
    path("<int:threat_id>/", views.threat_detail, name="threat-detail"),
    path("<int:threat_id>/signals/new/", views.signal_new, name="signal-new"),
    path("<int:threat_id>/<str:action>/", views.threat_action, name="threat-action"),
]
