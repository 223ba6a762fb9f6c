from django import forms
from django.utils.translation import gettext_lazy as _

from kenes.directory.models import Organization


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organization.Kind.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("Name")), ("-name", _("Name, Z to A")), ("kind", _("Kind")), ("code", _("Code"))],
    )
