"""Every operation of the OpenAPI document, fed hostile input by every kind of user: never a 5xx.

The operations are read from the API's own document, so an endpoint added later is covered without
writing anything here."""

import json
import re

import pytest

from tests.council.conftest import vote_all

ODD_IDS = ["0", "-1", "99999999999999999999", "abc", "1.5", "%00", "1%27%20OR%201=1"]
BODIES = [
    "{",
    "[]",
    "null",
    '"text"',
    json.dumps({"title": None, "text": 5, "date": "2026-02-30", "items": "x", "votes": [{}], "attendance": [1]}),
    json.dumps({"title": "<script>alert(1)</script>" * 50, "text": "\x00\x01", "date": "9999-99-99"}),
    json.dumps({"title": "x" * 100_000, "classification": "cosmic", "status": "held", "kind": "x"}),
    json.dumps({"year": -5, "quarter": 0, "responsible": -1, "meeting": "1; DROP TABLE"}),
    json.dumps({"username": ["a"], "password": {"b": 1}, "otp": 123456}),
]


def operations(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method in methods:
            yield method.upper(), path


@pytest.fixture
def data(users, orgs):
    import datetime as dt

    from kenes.council import services

    meeting = services.create_meeting(actor=users["secretary"], title="S", date=dt.date(2026, 12, 1))
    item = services.add_agenda_item(meeting, actor=users["secretary"], title="I", body=orgs["mia"])
    services.advance_meeting(meeting, "agenda_approved", actor=users["secretary"])
    decision = services.draft_decision(actor=users["secretary"], title="D", text="x", agenda_item=item)
    vote_all(decision, users)
    return {"meeting": meeting, "item": item, "decision": decision}


@pytest.mark.parametrize("who", ["chair", "liaison", "analyst", None])
def test_no_operation_answers_5xx_to_hostile_input(api, users, data, who):
    client = api(users[who]) if who else api()
    failures = []
    checked = 0
    for method, path in operations(client):
        params = re.findall(r"\{(\w+)\}", path)
        for odd in ODD_IDS if params else [None]:
            url = "/api/v1" + path.removeprefix("/api/v1") if path.startswith("/api/v1") else path
            for name in params:
                url = url.replace("{" + name + "}", odd)
            for body in BODIES if method in ("POST", "PUT", "PATCH") else [None]:
                response = client.generic(method, url, body or "", content_type="application/json")
                checked += 1
                if response.status_code >= 500:
                    failures.append((method, url, (body or "")[:60], response.status_code))
                elif response.status_code >= 400:
                    assert "detail" in response.json(), (method, url)
        # the real object, for the endpoints that take one: hostile bodies against existing records
        if params and method in ("POST", "PUT", "PATCH"):
            url = path
            for name in params:
                real = {
                    "meeting_id": data["meeting"].pk,
                    "item_id": data["item"].pk,
                    "decision_id": data["decision"].pk,
                }.get(name, "1")
                url = url.replace("{" + name + "}", str(real))
            for body in BODIES:
                response = client.generic(method, url, body, content_type="application/json")
                checked += 1
                if response.status_code >= 500:
                    failures.append((method, url, body[:60], response.status_code))
    assert checked > 300
    assert failures == []
