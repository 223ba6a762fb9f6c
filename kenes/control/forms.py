import json
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kenes.control.choices import URGENCY_WORKING_DAYS, InstructionStatus, Periodicity, Urgency
from kenes.core.forms import DateField, DateInput, OrganizationChoiceField, classification_field


def _offer(form: forms.Form, name: str, choices: QuerySet[Any] | None) -> None:
    """Give the choice field ``name`` of ``form`` the records it offers."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = choices


# The state's name that the full name of nearly every body carries: before it in Kazakh, after it in
# Russian and English. Cut from a long list, "Қазақстан Республикасының…" is all one would read.
STATE_PREFIXES = ("Қазақстан Республикасының ", "Қазақстан Республикасы ")
STATE_SUFFIXES = (" Республики Казахстан", " of the Republic of Kazakhstan")


def short_name(name: str) -> str:
    """A body's name without the name of the state, the part that tells bodies apart
    ("Ішкі істер министрлігі", "Министерство внутренних дел", "Ministry of Internal Affairs")."""
    for prefix in STATE_PREFIXES:
        if name.startswith(prefix) and name[len(prefix) :].strip():
            rest = name[len(prefix) :].strip()
            return rest[:1].upper() + rest[1:]
    for suffix in STATE_SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)].strip():
            return name[: -len(suffix)].strip()
    return name


class SearchableSelectMultiple(forms.SelectMultiple):
    """A plain ``<select multiple>`` that ``multiselect.js`` gives a filter box (progressive
    enhancement: without JavaScript it is the list itself). Each option shows a body's short name and
    carries its full name as its title."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "size": 8,
                "data-multiselect": "",
                "data-filter-label": _("Type part of a name to filter"),
                "data-picked-label": _("Picked"),
                "data-help": _("Click a name to pick it or to drop it."),
                **(attrs or {}),
            }
        )

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["title"] = instance.name
        return option


class OrganizationsField(forms.ModelMultipleChoiceField):
    widget = SearchableSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return short_name(obj.name)


def shown_when(**conditions: list[str]) -> dict[str, str]:
    """Widget attributes that show a field only while other fields of its form have one of the given
    values (``multiselect.js``; without JavaScript every field shows, and the form ignores the hidden)."""
    return {"data-show-when": json.dumps(conditions)}


PERIODIC = [value for value in Periodicity.values if value != Periodicity.NONE]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    lead_executor = OrganizationChoiceField(label=_("Lead executor"), queryset=None)
    co_executors = OrganizationsField(
        label=_("Co-executors"),
        queryset=None,
        required=False,
        help_text=_("Hold Ctrl (⌘ on a Mac) to pick several."),
    )
    controller = UserChoiceField(label=_("Controller"), queryset=None)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.ORDINARY,
        help_text=_("An urgent instruction reports once; periodic reporting is for ordinary instructions."),
    )
    due_date = DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(attrs=shown_when(urgency=[Urgency.ORDINARY.value], periodicity=[Periodicity.NONE.value])),
        help_text=_(
            "For ordinary instructions; urgent ones count working days from today. "
            "A day off moves it to the working day before."
        ),
    )
    periodicity = forms.ChoiceField(label=_("Reporting"), choices=Periodicity.choices, initial=Periodicity.NONE)
    report_day = forms.IntegerField(
        label=_("Report due by day of month"),
        required=False,
        min_value=1,
        max_value=28,
        widget=forms.NumberInput(attrs=shown_when(periodicity=PERIODIC)),
    )
    period_end = DateField(
        label=_("Reporting until"),
        required=False,
        widget=DateInput(attrs=shown_when(periodicity=PERIODIC)),
    )
    classification = classification_field()

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Any] | None = None,
        controllers: QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "lead_executor", organizations)
        _offer(self, "co_executors", organizations)
        _offer(self, "controller", controllers)

    def clean(self) -> dict[str, Any]:
        """Ignore (and clear, errors too) the fields the form hides for the chosen urgency and
        reporting: the reporting fields of a one-off instruction, the due date of an urgent or a
        periodic one (its urgency or its periods give it)."""
        data = super().clean() or {}
        periodicity, urgency = data.get("periodicity"), data.get("urgency")
        if periodicity == Periodicity.NONE:
            self._ignore("report_day", "period_end")
        if urgency in URGENCY_WORKING_DAYS or periodicity in PERIODIC:
            self._ignore("due_date")
        return data

    def _ignore(self, *names: str) -> None:
        for name in names:
            self.cleaned_data[name] = None
            self.errors.pop(name, None)


class InstructionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *InstructionStatus.choices])
    executor = OrganizationChoiceField(label=_("Executor"), queryset=None, required=False, empty_label=_("Any"))
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("due", _("Due date")),
            ("-due", _("Due date, latest first")),
            ("issued", _("Newest")),
            ("status", _("Status")),
        ],
    )
    figure = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    issued_from = DateField(required=False, widget=forms.HiddenInput)
    issued_to = DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organizations: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "executor", organizations)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 5}), max_length=50000)
    file = forms.FileField(label=_("Attachment"), required=False)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ExtensionForm(forms.Form):
    due_date = DateField(label=_("New due date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ControllerForm(forms.Form):
    controller = UserChoiceField(label=_("New controller"), queryset=None)

    def __init__(self, *args: Any, controllers: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "controller", controllers)


class ReasonForm(forms.Form):
    """The reason of a withdrawal; its field's id is its own, not the extension form's ``id_reason`` on
    the same page (a label must name one field)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_withdraw_%s")
        super().__init__(*args, **kwargs)


class PeriodForm(forms.Form):
    issued_from = DateField(label=_("Issued from"), widget=DateInput())
    issued_to = DateField(label=_("Issued until"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("issued_from") and data.get("issued_to") and data["issued_from"] > data["issued_to"]:
            self.add_error("issued_to", _("The end of the period is before its start."))
        return data


class CalendarCorrectionForm(forms.Form):
    date = DateField(label=_("Day"), widget=DateInput())
    is_working = forms.TypedChoiceField(
        label=_("The day is"),
        choices=[("0", _("a day off")), ("1", _("a working day"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Grounds (decree)"), required=False, max_length=200)
