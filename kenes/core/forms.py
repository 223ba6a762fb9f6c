from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.core import audit, bounds, translated
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent


class DateInput(forms.DateInput):
    """The browser's date picker. ``<input type=date>`` takes only ISO dates (``2026-12-17``), whatever
    the reader's language: a localised value (``17.12.2026``) would leave it blank."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, always given ``HH:MM`` (``<input type=time>`` takes no other form)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DateField(forms.DateField):
    """A date field that refuses days outside the calendar Kenes works in (``kenes.core.bounds``), with
    the bounds in the message and on the browser's date picker. Its picker is ``DateInput``, which
    renders the date in ISO in every language."""

    widget = DateInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_within_calendar)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if widget.attrs.get("type", getattr(widget, "input_type", None)) == "date":
            attrs.update(min=bounds.MIN_DATE.isoformat(), max=bounds.MAX_DATE.isoformat())
        return attrs


def _within_calendar(day: date) -> None:
    message = bounds.date_error(day)
    if message is not None:
        raise forms.ValidationError(message, code="out_of_bounds")


def classification_field(initial: int | None = None, required: bool = False) -> forms.TypedChoiceField:
    """The level of a record on a form; optional ones default to the level of the record's source."""
    choices: list[tuple[Any, Any]] = list(Classification.choices)
    if not required:
        choices.insert(0, ("", _("As its source")))
    return forms.TypedChoiceField(
        label=_("Classification"),
        choices=choices,
        coerce=int,
        initial=initial,
        required=required,
        empty_value=None,
    )


class OrganizationChoiceField(forms.ModelChoiceField):
    """A state body picked from a list, shown by its name in the reader's language (the list comes
    from ``kenes.directory.services.body_choices``)."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class TranslatedChoiceField(forms.ModelChoiceField):
    """A record picked from a list, shown by its title in the reader's language (``kenes.core.translated``)."""

    def label_from_instance(self, obj) -> str:
        return translated.label(obj)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any")), *AuditEvent.Action.choices])
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Object type"), required=False, choices=())
    operation = forms.ChoiceField(label=_("Business action"), required=False, choices=())
    since = DateField(label=_("From"), required=False, widget=DateInput())
    until = DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, object_types: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """``object_types``: the (type, label) pairs to choose from, those of the events the reader may
        read (``kenes.core.auditlog.object_types``)."""
        super().__init__(*args, **kwargs)
        known = sorted(((code, str(label)) for code, label in audit.BUSINESS_ACTIONS.items()), key=lambda c: c[1])
        self.fields["operation"].choices = [("", _("Any")), *known]  # type: ignore[attr-defined]
        self.fields["object_type"].choices = [("", _("Any")), *(object_types or [])]  # type: ignore[attr-defined]

    def apply(self, queryset):
        data = self.cleaned_data
        return audit.filter_events(
            queryset,
            action=data.get("action"),
            actor=data.get("actor"),
            object_type=data.get("object_type"),
            operation=data.get("operation"),
            since=_start_of(data.get("since")),
            until=_start_of(data["until"] + timedelta(days=1)) if data.get("until") else None,
        )


def _start_of(day: date | None) -> datetime | None:
    """Midnight of ``day`` in the server's time zone (Asia/Almaty)."""
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None
