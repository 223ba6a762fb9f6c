from django.urls import path

from kenes.control import views

app_name = "control"

urlpatterns = [
    path("", views.instruction_list, name="instruction-list"),
    path("export.xlsx", views.instruction_export, name="instruction-export"),
    path("new/", views.instruction_new, name="instruction-new"),
    path("board/", views.board, name="board"),
    path("discipline/", views.discipline, name="discipline"),
    path("calendar/", views.working_calendar, name="calendar"),
    path("discipline.xlsx", views.discipline_export, name="discipline-export"),
    path("<int:instruction_id>/", views.instruction_detail, name="instruction-detail"),
    path("<int:instruction_id>/<str:action>/", views.instruction_action, name="instruction-action"),
]
