from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kenes.core import bounds, translated
from kenes.core.forms import DateField, DateInput, OrganizationChoiceField, TranslatedChoiceField, classification_field
from kenes.strategy.choices import Direction, DocumentKind, DocumentStatus, EvaluationStatus, IndicatorFrequency

if TYPE_CHECKING:
    from kenes.accounts.models import User


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    """The choice field ``name`` of ``form``, whose choices are set for the request."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    """The model choice field ``name`` of ``form``, whose queryset the view passes (through the services)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any")), *DocumentKind.choices])


class IndicatorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *EvaluationStatus.choices])


class MeasurementForm(forms.Form):
    """A liaison officer's value for one period of his indicator (the periods that have begun)."""

    period = forms.ChoiceField(label=_("Period"))
    value = forms.FloatField(label=_("Value"))

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "period").choices = list(periods)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("XLSX or CSV with the columns: indicator code, period (its first day), value."),
    )


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000)
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=50000
    )
    classification = classification_field()


class AgendaForm(forms.Form):
    """The session a report goes on; the view passes the sessions open for it (council's service)."""

    meeting: forms.ModelChoiceField = TranslatedChoiceField(label=_("Session"), queryset=None)

    def __init__(self, *args: Any, meetings: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "meeting").queryset = meetings


class ThresholdsForm(forms.Form):
    achieved = forms.FloatField(label=_("Achieved from"), help_text=_("Share of the way from baseline to target."))
    on_track = forms.FloatField(label=_("On track from"))
    at_risk = forms.FloatField(label=_("At risk from"), help_text=_("Below this, an indicator is off track."))


class TitledChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return translated.translated(obj, "title")


#: One target a line: the first day of its period and the value, e.g. ``2026-01-01 42.5``.
TARGET_LINE = re.compile(r"^(\S+)\s+(\S+)$")


class TargetsField(forms.CharField):
    """Targets typed as lines ``YYYY-MM-DD value``; a bad line is reported with its number.

    Cleans to a list of ``(line number, date, value)``; whether a date is a start of the indicator's
    period and lies inside its document is for the service to say (see ``line_errors``)."""

    widget = forms.Textarea(attrs={"rows": 6, "placeholder": "2026-01-01 42.5"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20000)
        kwargs.setdefault(
            "help_text", _("One target a line: the first day of its period and the value, e.g. 2026-01-01 42.5.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        rows: list[tuple[int, dt.date, float]] = []
        errors: list[Any] = []  # messages, lazy until the form is shown
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = TARGET_LINE.match(line)
            if not match:
                errors.append(
                    _("Line %(line)s: write the date and the value, e.g. 2026-01-01 42.5.") % {"line": number}
                )
                continue
            raw_date, raw_value = match.groups()
            try:
                day = dt.date.fromisoformat(raw_date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw_date) else None
            except ValueError:
                day = None
            if day is None:
                errors.append(
                    _("Line %(line)s: “%(date)s” is not a date (YYYY-MM-DD).") % {"line": number, "date": raw_date}
                )
                continue
            out_of_bounds = bounds.date_error(day)
            if out_of_bounds is not None:
                errors.append(_("Line %(line)s: %(error)s") % {"line": number, "error": out_of_bounds})
                continue
            try:
                amount = float(raw_value.replace(",", "."))
            except ValueError:
                amount = math.nan
            if not math.isfinite(amount):
                errors.append(_("Line %(line)s: “%(value)s” is not a number.") % {"line": number, "value": raw_value})
                continue
            rows.append((number, day, amount))
        if len(rows) > 500:
            errors.append(_("At most 500 targets at once."))
        if errors:
            raise forms.ValidationError(errors)
        return rows


def limit_classification(form: forms.Form, user: User) -> None:
    """Offer only the levels the user may classify at; the service refuses the others all the same."""
    field = _choice(form, "classification")
    offered = cast(list[tuple[Any, Any]], field.choices)  # Django keeps a field's choices as a list of pairs
    field.choices = [(value, label) for value, label in offered if value == "" or int(value) <= user.clearance]


def targets_text(targets) -> str:
    return "\n".join(f"{t.period.isoformat()} {t.value:g}" for t in targets)


class DocumentForm(forms.Form):
    """A new strategic document; the rules are ``services.create_document``'s."""

    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    period_start = DateField(label=_("Start of period"), widget=DateInput())
    period_end = DateField(label=_("End of period"), widget=DateInput())
    owner = OrganizationChoiceField(label=_("Owner body"), queryset=None)
    parent = TitledChoiceField(label=_("Parent document"), queryset=None, required=False, empty_label=_("None"))
    status = forms.ChoiceField(label=_("Status"), choices=DocumentStatus.choices, initial=DocumentStatus.IN_FORCE)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 4})
    )
    classification = classification_field()

    def __init__(self, *args, organizations=None, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        _model_choice(self, "owner").queryset = organizations
        _model_choice(self, "parent").queryset = documents


class GoalForm(forms.Form):
    """A goal of a document, or a sub-goal of one of its top-level goals (``services.create_goal``)."""

    title = forms.CharField(label=_("Title"), max_length=500)
    parent = TitledChoiceField(label=_("Parent goal"), queryset=None, required=False, empty_label=_("None"))
    weight = forms.FloatField(label=_("Weight"), initial=1.0)
    classification = classification_field()

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        _model_choice(self, "parent").queryset = goals


class IndicatorForm(forms.Form):
    """A new indicator of a document with its targets (``services.create_indicator``)."""

    code = forms.CharField(
        label=_("Code"), max_length=40, required=False, help_text=_("Used in imports; generated when left empty.")
    )
    name = forms.CharField(label=_("Name"), max_length=500)
    goal = TitledChoiceField(label=_("Goal"), queryset=None, required=False, empty_label=_("None"))
    unit = forms.CharField(label=_("Unit"), max_length=60)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    frequency = forms.ChoiceField(
        label=_("Frequency"), choices=IndicatorFrequency.choices, initial=IndicatorFrequency.ANNUAL
    )
    baseline_value = forms.FloatField(label=_("Baseline value"))
    baseline_period = DateField(
        label=_("Baseline period"),
        required=False,
        help_text=_("The first day of the baseline's period; when left empty, the period before the first target."),
        widget=DateInput(),
    )
    responsible = OrganizationChoiceField(label=_("Responsible body"), queryset=None)
    data_source = forms.CharField(label=_("Data source"), required=False, max_length=300)
    weight = forms.FloatField(label=_("Weight in its goal"), initial=1.0)
    classification = classification_field()
    targets = TargetsField(label=_("Targets"))

    def __init__(self, *args, goals=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        _model_choice(self, "goal").queryset = goals
        _model_choice(self, "responsible").queryset = organizations


class IndicatorEditForm(forms.Form):
    """What ``services.edit_indicator`` changes."""

    name = forms.CharField(label=_("Name"), max_length=500)
    unit = forms.CharField(label=_("Unit"), max_length=60)
    baseline_value = forms.FloatField(label=_("Baseline value"))
    baseline_period = DateField(
        label=_("Baseline period"),
        help_text=_("The first day of the baseline's period."),
        widget=DateInput(),
    )
    data_source = forms.CharField(label=_("Data source"), required=False, max_length=300)
    weight = forms.FloatField(label=_("Weight in its goal"))
    targets = TargetsField(
        label=_("Targets"),
        help_text=_(
            "One target a line: the first day of its period and the value, e.g. 2026-01-01 42.5. "
            "A period left out keeps its target."
        ),
    )
