"""Input at the edges of the number line and the calendar: refused with a 422 naming the field, never a 500.

The cases schemathesis first found: offsets and integer filters beyond 64 bits, ids beyond 64 bits in a
body, a session dated 9999-12-31 that broke every iCalendar feed, periods such as 0001-01-01, times of
day with an offset, and two apps' schemas that shared a name in the OpenAPI document.
"""

import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from ninja import Schema

from kenes.core import bounds, periods
from kenes.council import services as council
from kenes.council.forms import MeetingForm
from kenes.threats import services as threats

BEYOND_64_BITS = 2**63
LARGEST_ID = 2**63 - 1


def _error_fields(response) -> set:
    assert response.status_code == 422, response.content
    return {error["loc"][-1] for error in response.json()["errors"]}


def test_an_offset_beyond_the_bound_is_invalid_input(api, users):
    client = api(users["secretary"])
    assert _error_fields(client.get(f"/api/v1/meetings?offset={10**24}")) == {"offset"}
    assert _error_fields(client.get(f"/api/v1/threats?offset={bounds.MAX_OFFSET + 1}")) == {"offset"}
    assert _error_fields(client.get("/api/v1/decisions?limit=501")) == {"limit"}
    assert _error_fields(client.get(f"/api/v1/search?q=x&offset={10**24}")) == {"offset"}
    answer = client.get(f"/api/v1/meetings?offset={bounds.MAX_OFFSET}&limit=500")
    assert answer.status_code == 200
    assert answer.json()["items"] == []


def test_an_integer_filter_beyond_64_bits_is_invalid_input(api, users):
    client = api(users["secretary"])
    assert _error_fields(client.get(f"/api/v1/threats?owner={BEYOND_64_BITS}")) == {"owner"}
    assert _error_fields(client.get(f"/api/v1/signals?threat={BEYOND_64_BITS}")) == {"threat"}
    assert _error_fields(client.get(f"/api/v1/instructions?executor={BEYOND_64_BITS}")) == {"executor"}
    answer = client.get(f"/api/v1/threats?owner={LARGEST_ID}")
    assert answer.status_code == 200
    assert answer.json()["count"] == 0


def test_ids_beyond_64_bits_in_a_path_or_a_body_are_invalid_input(api, users):
    client = api(users["secretary"])
    assert _error_fields(client.post("/api/v1/notifications/read", {"ids": [1, BEYOND_64_BITS]})) == {1}
    assert client.post("/api/v1/notifications/read", {"ids": [LARGEST_ID]}).json() == {"marked": 0}
    assert _error_fields(client.get(f"/api/v1/meetings/{BEYOND_64_BITS}")) == {"meeting_id"}
    assert client.get(f"/api/v1/meetings/{LARGEST_ID}").status_code == 404
    assert _error_fields(client.post("/api/v1/decisions", {"title": "D", "text": "x", "amends": BEYOND_64_BITS})) == {
        "amends"
    }


def test_a_session_dated_beyond_the_calendar_is_refused_and_the_feed_stays_whole(api, users):
    client = api(users["secretary"])
    for day in ("9999-12-31", "2201-01-01", "1899-12-31", "0001-01-01"):
        assert _error_fields(client.post("/api/v1/meetings", {"title": "Far", "date": day})) == {"date"}
    meeting = client.post("/api/v1/meetings", {"title": "Near", "date": "2026-03-01"}).json()
    assert _error_fields(client.patch(f"/api/v1/meetings/{meeting['id']}", {"date": "9999-12-31"})) == {"date"}

    last = client.post("/api/v1/meetings", {"title": "Last day", "date": "2200-12-31", "classification": "official"})
    first = client.post(
        "/api/v1/meetings",
        {"title": "First day", "date": "1900-01-01", "start_time": "23:59", "classification": "public"},
    )
    assert last.status_code == first.status_code == 201
    feed = client.get("/api/v1/calendar.ics")
    assert feed.status_code == 200
    assert b"DTEND;VALUE=DATE:22010101" in feed.content
    assert b"First day" in feed.content
    assert api(users["liaison"]).get("/api/v1/calendar.ics").status_code == 200


def test_a_page_refuses_a_date_beyond_the_calendar_with_the_bounds_in_the_message(users):
    form = MeetingForm(
        {"title": "Far", "date": "9999-12-31", "kind": "regular", "classification": "secret"},
        members=council.council_members(),
    )
    assert not form.is_valid()
    assert "1900-01-01" in form.errors["date"][0] and "2200-12-31" in form.errors["date"][0]
    assert 'max="2200-12-31"' in str(form["date"])


@pytest.mark.parametrize("period", ["0001-01-01", "9999-01-01", "1899-01-01"])
def test_a_period_beyond_the_calendar_is_refused(api, users, period):
    signal = threats.create_signal(actor=users["analyst"], name="Seizures", unit="cases", frequency="monthly")
    client = api(users["analyst"])
    response = client.post(
        f"/api/v1/signals/{signal.pk}/observations", {"observations": [{"period": period, "value": 1}]}
    )
    assert response.status_code == 422
    assert "1900-01-01" in response.json()["detail"]
    assert client.get(f"/api/v1/signals/{signal.pk}/observations").json()["count"] == 0
    with pytest.raises(ValidationError) as refused:
        periods.parse(period, "annual", field="baseline_period")
    assert "baseline_period" in refused.value.message_dict


def test_a_document_period_and_an_indicator_period_beyond_the_calendar_are_invalid_input(api, users, orgs):
    client = api(users["secretary"])
    document = {"title": "Old", "kind": "strategy", "period_start": "0001-01-01", "period_end": "2030-12-31"}
    assert _error_fields(client.post("/api/v1/strategic-documents", {**document, "owner": orgs["mia"].pk})) == {
        "period_start"
    }
    indicator = {"document": 1, "code": "X", "name": "X", "unit": "%", "baseline": 1, "responsible": 1}
    answer = client.post("/api/v1/indicators", {**indicator, "baseline_period": "0001-01-01"})
    assert "baseline_period" in _error_fields(answer)


def test_a_time_of_day_is_answered_as_declared_and_one_with_an_offset_is_invalid_input(api, users):
    client = api(users["secretary"])
    for time in ("10:00+05:00", "00:00:00Z", "25:00", 0):
        assert _error_fields(client.post("/api/v1/meetings", {"title": "T", "date": "2026-03-01", "start_time": time}))
    created = client.post("/api/v1/meetings", {"title": "T", "date": "2026-03-01", "start_time": "10:00"})
    assert created.status_code == 201
    assert created.json()["start_time"] == "10:00:00"
    document = client.get("/api/v1/openapi.json").json()
    declared = document["components"]["schemas"]["MeetingOut"]["properties"]["start_time"]["anyOf"][0]
    assert "format" not in declared
    assert re.fullmatch(declared["pattern"], "10:00:00")


def test_every_schema_of_the_api_has_a_name_of_its_own():
    """ninja files schemas in the document by class name: two apps' ``ReportOut`` made one replace the other."""
    import kenes.api  # noqa: F401  (imports every app's schemas)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {cls for cls in subclasses(Schema) if cls.__module__.startswith("kenes.")}
    twice = [name for name, n in Counter(cls.__name__ for cls in ours).items() if n > 1]
    assert not twice


@pytest.mark.parametrize(
    ("component", "field"),
    [("ExecutionReportOut", "outcome"), ("EvaluationReportOut", "document"), ("ForecastPointOut", "lo80")],
)
def test_the_document_describes_each_answer_by_its_own_schema(api, users, component, field):
    document = api(users["secretary"]).get("/api/v1/openapi.json").json()
    assert field in document["components"]["schemas"][component]["required"]


def test_a_day_in_a_path_beyond_the_calendar_is_invalid_input(api, users):
    assert _error_fields(api(users["secretary"]).delete("/api/v1/calendar/9999-12-31")) == {"day"}


def test_a_timestamp_filter_beyond_the_calendar_is_invalid_input(api, users):
    client = api(users["auditor"])
    assert _error_fields(client.get("/api/v1/audit?since=9999-12-31T23:59:59-14:00")) == {"since"}
    assert _error_fields(client.get("/api/v1/audit?until=0001-01-01T00:00:00%2B14:00")) == {"until"}
    assert client.get("/api/v1/audit?since=2200-12-31T00:00:00Z").json()["count"] == 0


def test_targets_typed_on_a_page_beyond_the_calendar_are_refused_by_line():
    from django import forms

    from kenes.strategy.forms import TargetsField

    with pytest.raises(forms.ValidationError) as refused:
        TargetsField().clean("2026-01-01 5\n0001-01-01 7")
    assert refused.value.messages == ["Line 2: Enter a date between 1900-01-01 and 2200-12-31."]
    assert [row[1].year for row in TargetsField().clean("2200-01-01 5")] == [2200]


def test_text_with_a_nul_character_is_invalid_input_on_every_database(api, users):
    """PostgreSQL stores no NUL in text: a username, a title or a search with one was a 500 there."""
    anonymous, client = api(), api(users["secretary"])
    refused = anonymous.post("/api/v1/auth/token", {"username": "secretary\x00", "password": "x"})
    assert refused.status_code == 400
    assert client.post("/api/v1/meetings", {"title": "A\x00B", "date": "2026-03-01"}).status_code == 400
    assert client.get("/api/v1/meetings").json()["count"] == 0
    answer = client.get("/api/v1/meetings?q=%00")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"loc": ["query", "q"], "msg": "Text may not contain NUL characters."}]
