"""A refused form keeps what was entered, asks again for a chosen file, and puts each error under the field
it concerns (issue 12, item 7)."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.core.web import field_named
from tests.records import a_threat, an_indicator

CHOOSE_AGAIN = "choose it again"


def _field_block(html: str, field_id: str) -> str:
    """The ``<div class="field">`` holding the input ``field_id`` (its label, input, help and errors)."""
    start = html.rfind('<div class="field">', 0, html.index(f'id="{field_id}"'))
    end = html.index("</div>", html.index(f'id="{field_id}"'))
    return html[start:end]


def test_a_service_error_on_a_row_is_put_on_the_row_forms_field():
    class Row(forms.Form):
        period = forms.CharField()
        value = forms.FloatField()

    form = Row({})
    assert field_named(form, "value") == "value"
    assert field_named(form, "measurements[0].period") == "period"
    assert field_named(form, "observations.0.value") == "value"
    assert field_named(form, "observations") == NON_FIELD_ERRORS
    assert field_named(form, "votes.0.member") == NON_FIELD_ERRORS
    assert field_named(form, "period_of_it", {"period_of_it": "period"}) == "period"


def test_a_refused_report_keeps_its_text_and_asks_for_the_file_again(client, users, orgs):
    from kenes.control import services as control

    instruction = control.issue_instruction(
        actor=users["secretary"],
        text="Strengthen the protection of public places.",
        lead_executor=orgs["mia"],
        controller=users["controller"],
        due_date=dt.date(2026, 12, 10),
        issued_on=dt.date(2026, 11, 20),
        classification=Classification.OFFICIAL,
    )
    client.force_login(users["liaison"])
    url = reverse("control:instruction-action", args=[instruction.pk, "report"])
    upload = SimpleUploadedFile("findings.pdf", b"%PDF-1.4 findings", content_type="application/pdf")

    response = client.post(url, {"text": "   ", "file": upload})

    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in _field_block(html, "id_text")
    assert CHOOSE_AGAIN in _field_block(html, "id_file")
    assert instruction.reports.count() == 0
    # a report refused with no file chosen does not ask for one
    again = client.post(url, {"text": ""}).content.decode()
    assert CHOOSE_AGAIN not in again


def test_the_hearings_body_error_sits_under_the_body_heard(client, users):
    from kenes.council import services as council

    meeting = council.create_meeting(actor=users["secretary"], title="Session", date=dt.date(2026, 12, 17))
    client.force_login(users["secretary"])
    entered = {"title": "Report of the Minister", "kind": "head_hearing", "speaker": "Minister Smith", "body": ""}

    response = client.post(reverse("council:agenda-item-add", args=[meeting.pk]), {**entered, "classification": ""})

    assert response.status_code == 422
    html = response.content.decode()
    assert "names the body heard" in _field_block(html, "id_body")
    assert "names the body heard" not in _field_block(html, "id_speaker")
    assert 'value="Minister Smith"' in _field_block(html, "id_speaker")
    assert 'value="Report of the Minister"' in _field_block(html, "id_title")
    assert '<option value="head_hearing" selected>' in html


def test_an_attendance_error_sits_under_the_members_representative(client, users):
    from kenes.council import services as council

    meeting = council.create_meeting(actor=users["secretary"], title="Session", date=dt.date(2026, 12, 17))
    client.force_login(users["secretary"])
    member = users["member"]

    response = client.post(
        reverse("council:attendance-save", args=[meeting.pk]),
        {
            f"status_{users['chair'].pk}": "present",
            f"status_{member.pk}": "represented",
            f"represented_{member.pk}": "",
        },
    )

    assert response.status_code == 422
    html = response.content.decode()
    row = html[html.index(f'name="represented_{member.pk}"') :]
    assert re.match(r'[^<]*>\s*<ul class="errorlist"[^>]*><li>Name who represented the member.</li>', row), row[:400]
    assert '<option value="represented" selected>' in html


def test_a_measurement_refused_by_the_service_names_the_value(client, users, orgs, monkeypatch):
    from kenes.strategy.services import common

    monkeypatch.setattr(common, "today", lambda: dt.date(2026, 11, 25))
    indicator = an_indicator(users, orgs)
    client.force_login(users["liaison"])

    response = client.post(
        reverse("strategy:indicator-action", args=[indicator.pk, "measure"]), {"period": "2025-01-01", "value": "1e300"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "absurdly large" in _field_block(html, "id_value")
    assert 'value="1e300"' in _field_block(html, "id_value")
    assert '<option value="2025-01-01" selected>' in html


def test_an_observation_refused_by_the_service_names_its_field(client, users, orgs):
    from kenes.threats import services as threats

    threat = a_threat(users, orgs, title="Floods")
    signal = threats.create_signal(actor=users["analyst"], threat=threat, name="Water level", unit="cm")
    client.force_login(users["analyst"])
    url = reverse("threats:signal-action", args=[signal.pk, "observation"])

    too_large = client.post(url, {"period": "2026-03-01", "value": "1e300"}).content.decode()
    mid_month = client.post(url, {"period": "2026-03-15", "value": "12"}).content.decode()

    assert "too large" in _field_block(too_large, "id_value")
    assert 'value="2026-03-01"' in _field_block(too_large, "id_period")
    assert 'value="12"' in _field_block(mid_month, "id_value")
    period_errors = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', _field_block(mid_month, "id_period"))
    assert period_errors, _field_block(mid_month, "id_period")
