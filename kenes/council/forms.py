from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.accounts.models import User
from kenes.core.classification import Classification
from kenes.core.forms import (
    DateField,
    DateInput,
    OrganizationChoiceField,
    TimeInput,
    TranslatedChoiceField,
    classification_field,
)
from kenes.council.choices import (
    Attendance,
    DecisionKind,
    DecisionStatus,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    VoteChoice,
)
from kenes.council.models import Meeting
from kenes.directory.models import Organization


class MemberChoiceField(forms.ModelChoiceField):
    """A pick list of Council members, each by the name he is shown under."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    date = DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    chair = MemberChoiceField(label=_("Chairing"), queryset=User.objects.none(), required=False)
    classification = classification_field(Classification.SECRET, required=True)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(MemberChoiceField, self.fields["chair"]).queryset = members


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *MeetingStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any")), *MeetingKind.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-date", _("Newest first")),
            ("date", _("Oldest first")),
            ("title", _("Title")),
            ("status", _("Status")),
        ],
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, initial=ItemKind.OTHER)
    speaker = forms.CharField(label=_("Speaker"), max_length=200, required=False)
    body = OrganizationChoiceField(
        label=_("Body heard"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Required for a hearing of the head of a state body."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    classification = classification_field()

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            cast(forms.ModelChoiceField, self.fields["body"]).queryset = organizations


class AttendanceForm(forms.Form):
    """One row per member: present, absent or represented (by whom)."""

    def __init__(self, *args, members=(), records=None, **kwargs):
        super().__init__(*args, **kwargs)
        records = records or {}
        self.members = list(members)
        for member in self.members:
            record = records.get(member.pk)
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=member.display_name,
                choices=[("", "—"), *Attendance.choices],
                required=False,
                initial=record.status if record else "",
            )
            self.fields[f"represented_{member.pk}"] = forms.CharField(
                label=_("Represented by"),
                max_length=200,
                required=False,
                initial=record.represented_by if record else "",
            )

    def rows(self):
        return [(m, self[f"status_{m.pk}"], self[f"represented_{m.pk}"]) for m in self.members]

    def entries(self) -> list[dict]:
        return [
            {
                "member": member.pk,
                "status": self.cleaned_data[f"status_{member.pk}"],
                "represented_by": self.cleaned_data[f"represented_{member.pk}"],
            }
            for member in self.members
            if self.cleaned_data.get(f"status_{member.pk}")
        ]


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=100000)
    classification = classification_field()


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *DecisionStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any")), *DecisionKind.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("number", _("Number")),
            ("-adopted", _("Latest adopted")),
            ("title", _("Title")),
            ("status", _("Status")),
        ],
    )


class VotesForm(forms.Form):
    """One choice per member: for, against, abstain."""

    def __init__(self, *args, members=(), votes=None, **kwargs):
        super().__init__(*args, **kwargs)
        votes = votes or {}
        self.members = list(members)
        for member in self.members:
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=member.display_name,
                choices=[("", "—"), *VoteChoice.choices],
                required=False,
                initial=votes.get(member.pk, ""),
            )

    def rows(self):
        return [(m, self[f"vote_{m.pk}"]) for m in self.members]

    def entries(self) -> list[dict]:
        return [
            {"member": m.pk, "choice": self.cleaned_data[f"vote_{m.pk}"]}
            for m in self.members
            if self.cleaned_data.get(f"vote_{m.pk}")
        ]


class MinutesDraftForm(forms.Form):
    classification = classification_field()


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 18}), max_length=200000)


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s, s.label) for s in (DecisionStatus.IN_EXECUTION, DecisionStatus.EXECUTED, DecisionStatus.CANCELLED)
        ],
    )
    note = forms.CharField(label=_("Reason"), required=False, max_length=5000)


class QuestionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=[(q, q) for q in range(1, 5)], coerce=int)
    title = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, initial=ItemKind.OTHER)
    responsible = OrganizationChoiceField(label=_("Responsible body"), queryset=Organization.objects.none())
    classification = classification_field(Classification.OFFICIAL, required=True)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = organizations
        self.fields["year"].initial = timezone.localdate().year


class ScheduleForm(forms.Form):
    meeting = TranslatedChoiceField(label=_("Session"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings


class EarlyReasonForm(forms.Form):
    """The reason, and its confirmation, to hold a session or adopt its decision before the session's
    date; ``early`` says whether the date is still ahead (then both are required)."""

    reason = forms.CharField(
        label=_("Reason for acting before the session's date"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this is done before the session's date, for the reason given"), required=False
    )

    def __init__(self, *args: Any, early: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.early = early

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.early:
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("The session's date is still ahead: give the reason."))
            if not data.get("confirm"):
                self.add_error("confirm", _("Confirm that this is done before the session's date."))
        return data


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Reason for withdrawing"), required=False, max_length=5000)
