"""One read path: every page, endpoint and export that reads one threat, signal, alert, countermeasure or
situation report records exactly one read (or export) event of it when it is secret, and none when it
is official (``policy.read_or_404``, ``core.http.download``)."""

import datetime as dt

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.threats import services

LOOKS = (AuditEvent.Action.READ, AuditEvent.Action.EXPORT, AuditEvent.Action.DOWNLOAD)


@pytest.fixture
def register(users, make_threat, make_signal):
    """A threat, its signal, an alert of the signal, a countermeasure and a situation report, all at
    ``level``; the analyst (cleared to secret) reads them."""

    def build(level):
        analyst = users["analyst"]
        threat = make_threat(classification=level)
        signal = make_signal(threat, upper_threshold=1, classification=level)
        services.record_observations(signal, actor=analyst, observations=[("2026-01-01", 5)], forecast=False)
        measure = services.add_countermeasure(threat, actor=analyst, title="Patrols", classification=level)
        report = services.create_situation_report(
            actor=analyst,
            title="Weekly",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            classification=level,
        )
        alert = services.alerts_for(analyst).get()
        assert {threat.classification, signal.classification, alert.classification, measure.classification} == {level}
        assert report.classification == level
        return {"threat": threat, "signal": signal, "alert": alert, "countermeasure": measure, "report": report}

    return build


def _looks(call):
    """The read, download and export events written while ``call`` runs, as (action, type, id)."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    answer = call()
    events = AuditEvent.objects.filter(seq__gt=last, action__in=LOOKS)
    return answer, [(e.action, e.object_type, e.object_id) for e in events.order_by("seq")]


def _requests(client, api, records):
    """(what, expected action, record, call) for every way one record is read."""
    threat, signal, alert = records["threat"], records["signal"], records["alert"]
    measure, report = records["countermeasure"], records["report"]
    return [
        ("threat page", "read", threat, lambda: client.get(reverse("threats:threat-detail", args=[threat.pk]))),
        ("signal page", "read", signal, lambda: client.get(reverse("threats:signal-detail", args=[signal.pk]))),
        ("report page", "read", report, lambda: client.get(reverse("threats:report-detail", args=[report.pk]))),
        ("threat GET", "read", threat, lambda: api.get(f"/api/v1/threats/{threat.pk}")),
        ("assessments GET", "read", threat, lambda: api.get(f"/api/v1/threats/{threat.pk}/assessments")),
        ("signal GET", "read", signal, lambda: api.get(f"/api/v1/signals/{signal.pk}")),
        ("observations GET", "read", signal, lambda: api.get(f"/api/v1/signals/{signal.pk}/observations")),
        ("alert GET", "read", alert, lambda: api.get(f"/api/v1/alerts/{alert.pk}")),
        (
            "countermeasure PATCH",
            "read",
            measure,
            lambda: api.patch(f"/api/v1/countermeasures/{measure.pk}", {"status": "in_progress"}),
        ),
        (
            "alert acknowledge POST",
            "read",
            alert,
            lambda: api.post(f"/api/v1/alerts/{alert.pk}/acknowledge", {"comment": "Seen"}),
        ),
        ("register export", "export", threat, lambda: client.get(reverse("threats:threat-export"))),
        (
            "report export",
            "export",
            report,
            lambda: client.get(reverse("threats:report-export", args=[report.pk, "docx"])),
        ),
    ]


def _record_type(record) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}"


def test_a_secret_record_read_any_way_writes_exactly_one_event_per_request(client, api, users, register):
    records = register(Classification.SECRET)
    client.force_login(users["analyst"])
    caller = api(users["analyst"])
    for what, action, record, call in _requests(client, caller, records):
        answer, looks = _looks(call)
        assert answer.status_code == 200, (what, answer.status_code)
        assert looks == [(action, _record_type(record), str(record.pk))], what


def test_an_official_record_read_any_way_writes_no_read_event(client, api, users, register):
    records = register(Classification.OFFICIAL)
    client.force_login(users["analyst"])
    caller = api(users["analyst"])
    for what, _action, _record, call in _requests(client, caller, records):
        answer, looks = _looks(call)
        assert answer.status_code == 200, (what, answer.status_code)
        assert looks == [], what


def test_the_alert_page_acknowledgement_reads_a_secret_alert_once(client, users, register):
    alert = register(Classification.SECRET)["alert"]
    client.force_login(users["analyst"])
    form = {"alert": alert.pk, "comment": "Seen", "next": "https://evil.example/"}
    answer, looks = _looks(lambda: client.post(reverse("threats:alert-acknowledge"), form))
    assert answer.status_code == 302 and answer["Location"] == reverse("threats:alert-list")  # no open redirect
    assert looks == [("read", "threats.alert", str(alert.pk))]
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None


def test_a_record_the_reader_may_not_see_is_404_and_records_nothing(client, api, users, register):
    records = register(Classification.SECRET)
    liaison = users["liaison"]  # cleared to official only
    client.force_login(liaison)
    caller = api(liaison)
    for what, _action, _record, call in _requests(client, caller, records):
        answer, looks = _looks(call)
        expected = 200 if what == "register export" else 404  # the register he exports holds none of them
        assert answer.status_code == expected, (what, answer.status_code)
        assert looks == [], what
