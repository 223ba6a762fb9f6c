from django.urls import path

from kenes.council import views

app_name = "council"

urlpatterns = [
    path("sessions/", views.meeting_list, name="meeting-list"),
    path("sessions/calendar/", views.meeting_calendar, name="meeting-calendar"),
    path("sessions/calendar.ics", views.calendar_feed, name="calendar-feed"),
    path("sessions/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("sessions/<int:meeting_id>/advance/", views.meeting_advance, name="meeting-advance"),
    path("sessions/<int:meeting_id>/edit/", views.meeting_edit, name="meeting-edit"),
    path("sessions/<int:meeting_id>/items/", views.agenda_item_add, name="agenda-item-add"),
    path(
        "sessions/<int:meeting_id>/items/<int:item_id>/move/<str:direction>/",
        views.agenda_item_move,
        name="agenda-item-move",
    ),
    path("sessions/<int:meeting_id>/items/<int:item_id>/remove/", views.agenda_item_remove, name="agenda-item-remove"),
    path(
        "sessions/<int:meeting_id>/items/<int:item_id>/materials/",
        views.agenda_item_material,
        name="agenda-item-material",
    ),
    path("sessions/<int:meeting_id>/items/<int:item_id>/decisions/", views.decision_add, name="decision-add"),
    path("sessions/<int:meeting_id>/attendance/", views.attendance_save, name="attendance-save"),
    path("sessions/<int:meeting_id>/minutes/<str:action>/", views.minutes_action, name="minutes-action"),
    path("sessions/<int:meeting_id>/minutes.<str:fmt>", views.minutes_export, name="minutes-export"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:decision_id>/<str:action>/", views.decision_action, name="decision-action"),
    path("decisions/<int:decision_id>.<str:fmt>", views.decision_export, name="decision-export"),
    path("work-plan/", views.work_plan, name="work-plan"),
    path("work-plan/<int:question_id>/<str:action>/", views.question_action, name="question-action"),
]
