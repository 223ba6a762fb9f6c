from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.core import audit
from kenes.core.models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any")), *AuditEvent.Action.choices])
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def apply(self, queryset):
        data = self.cleaned_data
        return audit.filter_events(
            queryset,
            action=data.get("action"),
            actor=data.get("actor"),
            object_type=data.get("object_type"),
            since=_start_of(data.get("since")),
            until=_start_of(data["until"] + timedelta(days=1)) if data.get("until") else None,
        )


def _start_of(day: date | None) -> datetime | None:
    """Midnight of ``day`` in the server's time zone (Asia/Almaty)."""
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None
