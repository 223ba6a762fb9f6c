"""The secretary corrects the working calendar on its page and by the API; deadlines follow it."""

import datetime as dt

from kenes.control import workdays
from kenes.control.models import CalendarOverride
from kenes.core import context
from kenes.core.models import AuditEvent

D = dt.date


def test_the_year_lists_holidays_and_moved_days(users, api):
    days = api(users["liaison"]).get("/api/v1/calendar", {"year": 2026}).json()
    by_date = {d["date"]: d for d in days}
    assert by_date["2026-03-23"]["is_working"] is False and by_date["2026-03-23"]["name"]
    assert by_date["2026-12-16"]["is_working"] is False
    assert all(not d["corrected"] for d in days)


def test_a_correction_changes_deadlines_and_can_be_undone(users, api, client):
    secretary = api(users["secretary"])
    assert workdays.is_working_day(D(2026, 12, 4))
    answer = secretary.post("/api/v1/calendar", {"date": "2026-12-04", "is_working": False, "note": "Decree <b>7</b>"})
    assert answer.status_code == 201 and answer.json()["corrected"] is True
    assert not workdays.is_working_day(D(2026, 12, 4))
    assert workdays.add_working_days(D(2026, 12, 3), 1) == D(2026, 12, 7)
    assert AuditEvent.objects.filter(object_type="control.calendaroverride", action="create").count() == 1
    client.force_login(users["controller"])
    page = client.get("/instructions/calendar/", {"year": 2026}).content.decode()
    assert "Decree &lt;b&gt;7&lt;/b&gt;" in page and "Record the correction" not in page
    assert secretary.delete("/api/v1/calendar/2026-12-04").status_code == 204
    assert workdays.is_working_day(D(2026, 12, 4))
    assert secretary.delete("/api/v1/calendar/2026-12-04").status_code == 404


def test_only_the_secretary_or_chairman_corrects(users, api, client):
    for name in ("controller", "analyst", "liaison", "admin"):
        answer = api(users[name]).post("/api/v1/calendar", {"date": "2026-12-04", "is_working": False})
        assert answer.status_code == 403, name
        client.force_login(users[name])
        assert client.post("/instructions/calendar/", {"date": "2026-12-04", "is_working": "0"}).status_code == 404
    assert CalendarOverride.objects.count() == 0


def test_the_page_form_and_its_errors(users, client):
    client.force_login(users["secretary"])
    assert client.post("/instructions/calendar/", {"date": "2026-02-30", "is_working": "0"}).status_code == 422
    assert client.post("/instructions/calendar/", {"date": "1850-01-01", "is_working": "0"}).status_code == 422
    answer = client.post(
        "/instructions/calendar/", {"date": "2026-12-05", "is_working": "1", "note": "Working Saturday"}
    )
    assert answer.status_code == 302
    assert workdays.is_working_day(D(2026, 12, 5))
    client.post("/instructions/calendar/", {"remove": "2026-12-05"})
    assert not workdays.is_working_day(D(2026, 12, 5))
    assert client.get("/instructions/calendar/", {"year": "x"}).status_code == 200


def test_a_correction_is_seen_at_once_without_any_cache_to_clear(users):
    from kenes.control import services

    assert workdays.is_working_day(D(2026, 12, 3))
    services.correct_calendar(actor=users["secretary"], date=D(2026, 12, 3), is_working=False)
    with context.allowing_bulk(CalendarOverride):  # another process's change, behind this one's back
        CalendarOverride.objects.filter(date=D(2026, 12, 3)).update(is_working=True)
    assert workdays.is_working_day(D(2026, 12, 3))
    assert workdays.working_days_between(D(2026, 12, 1), D(2026, 12, 4)) == 3
