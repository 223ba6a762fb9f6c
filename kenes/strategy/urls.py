from django.urls import path

from kenes.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("import/", views.import_measurements, name="import"),
    path("import/template.xlsx", views.import_template_xlsx, name="import-template"),
    path("mine/", views.my_indicators, name="mine"),
    path("settings/", views.thresholds, name="thresholds"),
    path("bodies/<int:organization_id>/", views.body, name="body"),
    path("documents/new/", views.document_new, name="document-new"),
    path("documents/<int:document_id>/", views.document_detail, name="document-detail"),
    path("documents/<int:document_id>/indicators.xlsx", views.document_export, name="document-export"),
    path("documents/<int:document_id>/goals/new/", views.goal_new, name="goal-new"),
    path("documents/<int:document_id>/indicators/new/", views.indicator_new, name="indicator-new"),
    path("documents/<int:document_id>/reports/new/", views.report_new, name="report-new"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:indicator_id>/forecast/", views.indicator_forecast, name="indicator-forecast"),
    path("indicators/<int:indicator_id>/<str:action>/", views.indicator_action, name="indicator-action"),
    path("reports/<int:report_id>/", views.report_detail, name="report-detail"),
    path("reports/<int:report_id>/agenda/", views.report_agenda, name="report-agenda"),
    path("reports/<int:report_id>.<str:fmt>", views.report_export, name="report-export"),
]
