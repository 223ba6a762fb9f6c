from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kenes.control.choices import InstructionStatus, Periodicity, Urgency
from kenes.core.forms import DateField, DateInput, OrganizationChoiceField, classification_field


def _offer(form: forms.Form, name: str, choices: QuerySet[Any] | None) -> None:
    """Give the choice field ``name`` of ``form`` the records it offers."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = choices


class OrganizationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    lead_executor = OrganizationChoiceField(label=_("Lead executor"), queryset=None)
    co_executors = OrganizationsField(
        label=_("Co-executors"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    controller = UserChoiceField(label=_("Controller"), queryset=None)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ORDINARY)
    due_date = DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        help_text=_("For ordinary instructions; urgent ones count working days from today."),
    )
    periodicity = forms.ChoiceField(label=_("Reporting"), choices=Periodicity.choices, initial=Periodicity.NONE)
    report_day = forms.IntegerField(label=_("Report due by day of month"), required=False, min_value=1, max_value=28)
    period_end = DateField(label=_("Reporting until"), required=False, widget=DateInput())
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
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


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
