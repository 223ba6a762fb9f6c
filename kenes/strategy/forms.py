from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kenes.council.forms import classification_field
from kenes.strategy.choices import DocumentKind, EvaluationStatus


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
        self.fields["period"].choices = list(periods)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("XLSX or CSV with the columns: indicator code, period (its first day), value."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KENES_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000)
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=50000
    )
    classification = classification_field()


class AgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Session"), queryset=None)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ThresholdsForm(forms.Form):
    achieved = forms.FloatField(label=_("Achieved from"), help_text=_("Share of the way from baseline to target."))
    on_track = forms.FloatField(label=_("On track from"))
    at_risk = forms.FloatField(label=_("At risk from"), help_text=_("Below this, an indicator is off track."))
