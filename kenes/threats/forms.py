from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kenes.core.forms import DateField, DateInput, OrganizationChoiceField, TranslatedChoiceField, classification_field
from kenes.core.periods import Frequency
from kenes.threats.choices import CountermeasureStatus, Domain, Scope, Trend
from kenes.threats.models import Signal, Threat

if TYPE_CHECKING:
    from kenes.council.models import Meeting


def _choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    """The form's field ``name``, a choice of records whose list the form is given when made."""
    return cast(forms.ModelChoiceField, form.fields[name])


SCALE = [(n, str(n)) for n in range(1, 6)]


class ThreatForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=SCALE, coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=SCALE, coerce=int)
    trend = forms.ChoiceField(label=_("Trend"), choices=Trend.choices, initial=Trend.STABLE)
    owner = OrganizationChoiceField(
        label=_("Owner body"), queryset=None, required=False, help_text=_("By default your own body.")
    )
    classification = classification_field()

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "owner").queryset = organizations


class ThreatFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=[("", _("Any")), *Domain.choices])
    scope = forms.ChoiceField(label=_("Scope"), required=False, choices=[("", _("Any")), *Scope.choices])
    owner = OrganizationChoiceField(label=_("Owner body"), queryset=None, required=False, empty_label=_("Any"))
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), required=False, choices=[("", _("Any")), *SCALE], coerce=int, empty_value=None
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), required=False, choices=[("", _("Any")), *SCALE], coerce=int, empty_value=None
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "owner").queryset = organizations


class MatrixFilterForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=[("", _("Any")), *Domain.choices])
    scope = forms.ChoiceField(label=_("Scope"), required=False, choices=[("", _("Any")), *Scope.choices])


class ReassessForm(forms.Form):
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=SCALE, coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=SCALE, coerce=int)
    trend = forms.ChoiceField(label=_("Trend"), choices=Trend.choices)
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class CountermeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=300)
    expected_effect = forms.CharField(
        label=_("Expected effect"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 2})
    )
    classification = classification_field()


class CountermeasureStatusForm(forms.Form):
    countermeasure = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=CountermeasureStatus.choices)


class SignalForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    code = forms.SlugField(label=_("Code"), max_length=80, required=False, help_text=_("Used in imports."))
    unit = forms.CharField(label=_("Unit"), max_length=60)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.MONTHLY)
    lower_threshold = forms.FloatField(label=_("Lower threshold"), required=False)
    upper_threshold = forms.FloatField(label=_("Upper threshold"), required=False)
    classification = classification_field()


class ObservationForm(forms.Form):
    period = DateField(label=_("Period (its first day)"), widget=DateInput())
    value = forms.FloatField(label=_("Value"))


class HorizonForm(forms.Form):
    horizon = forms.IntegerField(label=_("Horizon, periods"), min_value=1, max_value=1000, initial=12)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class EventUploadForm(UploadForm):
    threat: forms.ModelChoiceField[Threat] = TranslatedChoiceField(label=_("Threat"), queryset=None, required=False)
    classification = classification_field(initial=10, required=True)

    def __init__(self, *args, threats=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "threat").queryset = threats


class AcknowledgeForm(forms.Form):
    alert = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class AlertFilterForm(forms.Form):
    """The alerts page's filters; its pick lists hold only the signals the reader may see."""

    show = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("open", _("Not acknowledged")), ("acknowledged", _("Acknowledged")), ("all", _("All"))],
    )
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=[("", _("Any")), *Domain.choices])
    signal: forms.ModelChoiceField[Signal] = forms.ModelChoiceField(
        label=_("Signal"), queryset=None, required=False, empty_label=_("Any")
    )
    owner = OrganizationChoiceField(label=_("Owner body"), queryset=None, required=False, empty_label=_("Any"))

    def __init__(self, *args, signals=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "signal").queryset = signals
        _choice(self, "owner").queryset = organizations

    def filters(self) -> dict:
        """The state and the filters the alerts service takes (not acknowledged when none is chosen)."""
        values = self.cleaned_data if self.is_valid() else {}
        show = values.get("show") or "open"
        chosen = {
            "acknowledged": {"open": False, "acknowledged": True}.get(show),
            "domain": values.get("domain") or None,
            "signal": values["signal"].pk if values.get("signal") else None,
            "owner": values["owner"].pk if values.get("owner") else None,
        }
        return {key: value for key, value in chosen.items() if value is not None}


class AcknowledgeManyForm(forms.Form):
    """Acknowledge the alerts ticked on the alerts page (``alert``, many) with one comment."""

    comment = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def alert_ids(self) -> list[int] | None:
        """The ticked alerts' ids; None when one of them is not an id."""
        raw = self.data.getlist("alert") if hasattr(self.data, "getlist") else []
        if len(raw) > 500 or not all(value.isascii() and value.isdigit() and 0 < len(value) < 12 for value in raw):
            return None
        return sorted({int(value) for value in raw})


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    period_start = DateField(label=_("From"), widget=DateInput())
    period_end = DateField(label=_("To"), widget=DateInput())
    analyst_text = forms.CharField(
        label=_("Analyst's text"), required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 6})
    )
    classification = classification_field()
    classification.help_text = _("The report holds only what is at or below its level; empty: the highest it holds.")
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=[("", _("Any")), *Domain.choices])
    scope = forms.ChoiceField(label=_("Scope"), required=False, choices=[("", _("Any")), *Scope.choices])
    owner = OrganizationChoiceField(
        label=_("Owner body"),
        queryset=None,
        required=False,
        empty_label=_("Any"),
        help_text=_("Scope the report: only the threats of this domain, scope and owner body go into it."),
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "owner").queryset = organizations


class AgendaForm(forms.Form):
    meeting: forms.ModelChoiceField[Meeting] = TranslatedChoiceField(label=_("Session"), queryset=None)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "meeting").queryset = meetings
