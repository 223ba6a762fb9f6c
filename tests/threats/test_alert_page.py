"""The alerts page: filtered by state, domain, signal and owner body (pick lists only of what the reader
may see), paged, and several alerts acknowledged at once — all or none, each audited."""

import re

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent
from kenes.threats import services
from kenes.threats.models import Alert
from tests.conftest import queries


def _alert(users, make_threat, make_signal, *, code, actor="analyst", **threat):
    threat_row = make_threat(actor=users[actor], **threat)
    signal = make_signal(
        threat_row,
        actor=users[actor],
        code=code,
        name=f"Signal {code}",
        upper_threshold=1,
        classification=threat_row.classification,
    )
    services.record_observations(signal, actor=users[actor], observations=[("2026-01-01", 5)], forecast=False)
    return Alert.objects.get(signal=signal)


@pytest.fixture
def alerts(users, orgs, make_threat, make_signal):
    return {
        "border": _alert(users, make_threat, make_signal, code="border", domain="border", title="Border crossings"),
        "cyber": _alert(users, make_threat, make_signal, code="cyber", domain="cyber", owner=orgs["akimat"]),
        "secret": _alert(
            users, make_threat, make_signal, code="secret", domain="border", classification=Classification.SECRET
        ),
        "top": _alert(
            users,
            make_threat,
            make_signal,
            code="top",
            actor="chair",
            domain="border",
            title="TOP-SECRET-THREAT",
            classification=Classification.TOP_SECRET,
        ),
    }


def _shown(client, **params):
    response = client.get(reverse("threats:alert-list"), params)
    assert response.status_code == 200
    return {alert.pk for alert in response.context["page"]}, response


def test_filters_by_domain_signal_owner_and_state(client, users, orgs, alerts):
    client.force_login(users["analyst"])
    every = {alerts[k].pk for k in ("border", "cyber", "secret")}
    assert _shown(client)[0] == every
    assert _shown(client, domain="cyber")[0] == {alerts["cyber"].pk}
    assert _shown(client, domain="border")[0] == {alerts["border"].pk, alerts["secret"].pk}
    assert _shown(client, signal=alerts["secret"].signal_id)[0] == {alerts["secret"].pk}
    assert _shown(client, owner=orgs["akimat"].pk)[0] == {alerts["cyber"].pk}
    assert _shown(client, show="acknowledged")[0] == set()
    services.acknowledge_alert(alerts["cyber"], actor=users["analyst"], comment="seen")
    assert _shown(client, show="acknowledged")[0] == {alerts["cyber"].pk}
    assert _shown(client)[0] == every - {alerts["cyber"].pk}
    assert _shown(client, show="all")[0] == every
    # Hostile filters answer a page, never a 500.
    for bad in ({"signal": "x'"}, {"owner": "99999999999999999999"}, {"domain": "<script>"}, {"page": "-1"}):
        assert client.get(reverse("threats:alert-list"), bad).status_code == 200


def test_a_low_cleared_reader_sees_nothing_above_him(client, users, alerts):
    client.force_login(users["analyst"])  # secret clearance: the top-secret alert is not his
    shown, response = _shown(client, show="all")
    assert alerts["top"].pk not in shown
    html = response.content.decode()
    assert "TOP-SECRET-THREAT" not in html and "Signal top" not in html
    signals = re.search(r'<select name="signal".*?</select>', html, re.S)
    assert signals and f'value="{alerts["top"].signal_id}"' not in signals.group(0)  # not in the signal pick list
    assert f'value="{alerts["secret"].signal_id}"' in signals.group(0), "the pick list holds what he may see"
    assert response.context["page"].paginator.count == 3
    assert _shown(client, signal=alerts["top"].signal_id)[0] == {alerts[k].pk for k in ("border", "cyber", "secret")}
    client.force_login(users["liaison"])  # the ministry's liaison: its official threats only
    shown, response = _shown(client, show="all")
    assert shown == {alerts["border"].pk}
    assert "Signal cyber" not in response.content.decode()


def test_acknowledging_several_at_once(client, users, alerts):
    client.force_login(users["analyst"])
    before = AuditEvent.objects.count()
    ids = [alerts["border"].pk, alerts["secret"].pk]
    answer = client.post(
        reverse("threats:alert-acknowledge-many"), {"alert": ids, "comment": "Patrols sent"}, follow=True
    )
    assert answer.status_code == 200
    assert "2 alerts acknowledged." in answer.content.decode()
    for alert in Alert.objects.filter(pk__in=ids):
        assert alert.acknowledged and alert.comment == "Patrols sent" and alert.acknowledged_by == users["analyst"]
    events = AuditEvent.objects.filter(seq__gt=0).order_by("-seq")[: AuditEvent.objects.count() - before]
    acknowledged = [e for e in events if e.operation == "acknowledge" and e.object_type == "threats.alert"]
    assert sorted(int(e.object_id) for e in acknowledged) == sorted(ids)
    assert not Alert.objects.get(pk=alerts["cyber"].pk).acknowledged


def test_a_forbidden_id_is_a_404_and_nothing_changes(client, users, alerts):
    client.force_login(users["analyst"])
    ids = [alerts["border"].pk, alerts["top"].pk]
    answer = client.post(reverse("threats:alert-acknowledge-many"), {"alert": ids, "comment": "x"})
    assert answer.status_code == 404
    missing = client.post(
        reverse("threats:alert-acknowledge-many"), {"alert": [alerts["border"].pk, 999999], "comment": "x"}
    )
    assert missing.status_code == 404
    assert (
        client.post(reverse("threats:alert-acknowledge-many"), {"alert": ["1 OR 1"], "comment": "x"}).status_code == 404
    )
    assert (  # digits that are not ASCII pass str.isdigit() but not int()
        client.post(reverse("threats:alert-acknowledge-many"), {"alert": ["²"], "comment": "x"}).status_code == 404
    )
    assert not Alert.objects.filter(acknowledged_at__isnull=False).exists()


def test_all_or_none(client, users, alerts):
    # One already acknowledged: the batch is refused, the other stays open.
    services.acknowledge_alert(alerts["secret"], actor=users["analyst"], comment="earlier")
    with pytest.raises(Conflict):
        services.acknowledge_many(users["analyst"], [alerts["border"], alerts["secret"]], "again")
    assert not Alert.objects.get(pk=alerts["border"].pk).acknowledged
    # The auditor reads alerts but may not acknowledge them: refused (403 message), nothing written.
    client.force_login(users["auditor"])
    answer = client.post(
        reverse("threats:alert-acknowledge-many"), {"alert": [alerts["border"].pk], "comment": "x"}, follow=True
    )
    assert answer.status_code == 200 and not Alert.objects.get(pk=alerts["border"].pk).acknowledged
    assert "acknowledged." not in answer.content.decode()
    # No comment: nothing written either.
    client.force_login(users["analyst"])
    client.post(reverse("threats:alert-acknowledge-many"), {"alert": [alerts["border"].pk], "comment": " "})
    assert not Alert.objects.get(pk=alerts["border"].pk).acknowledged


def test_the_page_shows_ticks_only_for_what_the_reader_may_acknowledge(client, users, alerts):
    client.force_login(users["analyst"])
    html = client.get(reverse("threats:alert-list")).content.decode()
    assert f'id="tick-{alerts["border"].pk}"' in html and 'id="acknowledge-many"' in html
    client.force_login(users["auditor"])
    html = client.get(reverse("threats:alert-list")).content.decode()
    assert "tick-" not in html and 'id="acknowledge-many"' not in html


def test_the_alerts_page_keeps_its_query_count(client, users, make_threat, make_signal):
    client.force_login(users["analyst"])
    for n in range(2):
        _alert(users, make_threat, make_signal, code=f"a{n}", domain="border")
    url = reverse("threats:alert-list") + "?domain=border"
    small = queries(client, url)
    for n in range(2, 14):
        _alert(users, make_threat, make_signal, code=f"a{n}", domain="border")
    assert queries(client, url) == small


def test_the_api_filters_alerts_by_domain_and_owner_too(api, users, orgs, alerts):
    analyst = api(users["analyst"])
    by_domain = analyst.get("/api/v1/alerts", {"domain": "cyber"}).json()
    assert {item["id"] for item in by_domain["items"]} == {alerts["cyber"].pk} and by_domain["count"] == 1
    by_owner = analyst.get("/api/v1/alerts", {"owner": orgs["mia"].pk}).json()
    assert {item["id"] for item in by_owner["items"]} == {alerts["border"].pk, alerts["secret"].pk}
    assert analyst.get("/api/v1/alerts", {"domain": "nowhere"}).status_code == 422
    liaison = api(users["liaison"]).get("/api/v1/alerts", {"domain": "border"}).json()
    assert {item["id"] for item in liaison["items"]} == {alerts["border"].pk}
