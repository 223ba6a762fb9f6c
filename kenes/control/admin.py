from django.contrib import admin

from kenes.control import workdays
from kenes.control.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Corrections of the working calendar (a decree moving a day off), kept as reference data."""

    list_display = ("date", "is_working", "note")
    ordering = ("-date",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.forget_overrides()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.forget_overrides()
