"""Access to the threat register beyond the generic layer (tests/access; the register's declaration
is tests/threats/access.py): who is notified of alerts, who records and enters threats, the situation
reports that are the apparatus's, and lists whose number of queries does not grow with the rows."""

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.threats import services
from kenes.threats.models import Alert
from tests.conftest import queries
from tests.threats.access import REGISTER
from tests.threats.conftest import fill, seasonal


@pytest.fixture
def register(make_threat, make_signal, users, orgs):
    analyst = users["analyst"]
    threats = {
        "mia": make_threat(title="Alpha route of the MIA"),
        "mia_secret": make_threat(title="Bravo secret of the MIA", classification=Classification.SECRET),
        "almaty": make_threat(title="Charlie unrest of the city", owner=orgs["akimat"], likelihood=2, impact=2),
    }
    signals = {}
    for key, threat in threats.items():
        signal = make_signal(threat, name=f"{threat.title.split()[0]} signal", code=key, upper_threshold=400)
        fill(signal, seasonal(72))
        services.compute_forecast(signal, actor=analyst, horizon=12)
        services.record_observations(signal, actor=analyst, observations=[("2026-01-01", 1000.0)], forecast=False)
        services.add_countermeasure(threat, actor=analyst, title=f"{threat.title.split()[0]} measure")
        signals[key] = signal
    return threats, signals


def test_notifications_of_alerts_reach_only_those_who_may_read_them(users, register):
    from kenes.core.models import Notification

    _threats, signals = register
    # The analysts and the users of the owning body, each within his clearance; the administrator reads
    # some of the register but is not told of its alerts.
    notified = {
        "liaison": {"mia"},
        "liaison_almaty": {"almaty"},
        "analyst": {"mia", "mia_secret", "almaty"},
        "admin": set(),
        "member": {"mia", "mia_secret"},
    }
    for name, expected in notified.items():
        assert expected <= REGISTER[name]
        keys = set(Notification.objects.filter(user=users[name]).values_list("key", flat=True))
        alerts = Alert.objects.filter(signal__in=[signals[k] for k in expected])
        assert keys == {f"threat-alert:{a.pk}" for a in alerts}, name


def test_a_liaison_records_observations_of_his_bodys_signals_only(api, users, orgs, register):
    _threats, signals = register
    body = {"observations": [{"period": "2026-02-01", "value": 3}]}
    assert api(users["liaison"]).post(f"/api/v1/signals/{signals['mia'].pk}/observations", body).status_code == 201
    assert api(users["liaison"]).post("/api/v1/threats", {}).status_code == 422
    made = api(users["liaison"]).post(
        "/api/v1/threats",
        {"title": "x", "domain": "cyber", "scope": "internal", "likelihood": 1, "impact": 1, "owner": orgs["mia"].pk},
    )
    assert made.status_code == 403


def test_reports_are_for_the_apparatus(client, api, users, register):
    report = services.create_situation_report(
        actor=users["analyst"],
        title="Month",
        period_start=register[0]["mia"].created_at.date(),
        period_end=register[0]["mia"].created_at.date(),
    )
    assert report.classification == Classification.SECRET
    for name, status in (("liaison", 404), ("admin", 404), ("analyst", 200), ("member", 200)):
        client.force_login(users[name])
        assert client.get(reverse("threats:report-detail", args=[report.pk])).status_code == status, name
        assert client.get(reverse("threats:report-export", args=[report.pk, "pdf"])).status_code == status


def test_lists_keep_a_constant_number_of_queries(client, api, users, make_threat, make_signal):
    analyst = users["analyst"]
    a, liaison = api(analyst), api(users["liaison"])
    client.force_login(analyst)

    def grow(n, offset):
        for i in range(n):
            threat = make_threat(title=f"T{offset + i}")
            signal = make_signal(threat, code=f"c{offset + i}", upper_threshold=1)
            services.add_countermeasure(threat, actor=analyst, title="m")
            services.record_observations(signal, actor=analyst, observations=[("2026-01-01", 5)], forecast=False)

    grow(2, 0)
    threat = make_threat(title="Anchor")
    make_signal(threat, code="anchor")
    services.add_countermeasure(threat, actor=analyst, title="first")
    urls = [
        (a, "/api/v1/threats?limit=500"),
        (liaison, "/api/v1/threats?limit=500"),
        (a, "/api/v1/signals?limit=500"),
        (a, "/api/v1/alerts?limit=500"),
        (liaison, "/api/v1/alerts?limit=500"),
        (a, f"/api/v1/threats/{threat.pk}/countermeasures?limit=500"),
        (client, reverse("threats:threat-list")),
        (client, reverse("threats:matrix")),
        (client, reverse("threats:alert-list")),
        (client, reverse("threats:threat-detail", args=[threat.pk])),
        (client, "/"),
    ]
    small = [queries(c, url) for c, url in urls]
    grow(20, 100)
    for n in range(10):
        services.add_countermeasure(threat, actor=analyst, title=f"more {n}")
        make_signal(threat, code=f"anchor-{n}")
    assert [queries(c, url) for c, url in urls] == small
