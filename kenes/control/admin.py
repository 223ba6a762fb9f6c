from django.contrib import admin

from kenes.control.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Corrections of the working calendar, for reference: the secretary makes them on the Working
    calendar page (``control.services.correct_calendar``), the one path that checks who may."""

    list_display = ("date", "is_working", "note")
    ordering = ("-date",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
