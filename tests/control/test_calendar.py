"""Deadlines on Kazakhstan's working-day calendar: holidays, transferred days off, corrections."""

import datetime as dt

import pytest

from kenes.control import services, workdays
from kenes.control.models import CalendarOverride

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 20), True),  # Friday before Nauryz
        (D(2026, 3, 23), False),  # Nauryz
        (D(2026, 3, 25), False),  # Nauryz, observed
        (D(2026, 3, 26), True),
        (D(2026, 12, 16), False),  # Independence Day
        (D(2026, 11, 28), False),  # Saturday
        (D(2025, 1, 3), False),  # a day off transferred by decree
        (D(2025, 1, 5), True),  # the Sunday worked instead
    ],
)
def test_working_days(db, day, working):
    assert workdays.is_working_day(day) is working


def test_counting_working_days_skips_holidays(db):
    assert workdays.add_working_days(D(2026, 3, 20), 1) == D(2026, 3, 26)
    assert workdays.add_working_days(D(2026, 3, 20), 3) == D(2026, 3, 30)
    assert workdays.working_days_between(D(2026, 3, 20), D(2026, 3, 27)) == 2
    with pytest.raises(ValueError):
        workdays.add_working_days(D(2026, 1, 1), -1)


def test_urgency_classes(db):
    assert services.due_date_for("very_urgent", D(2026, 12, 15)) == D(2026, 12, 17)  # the 16th is a holiday
    assert services.due_date_for("urgent", D(2026, 11, 25)) == D(2026, 11, 30)
    assert services.due_date_for("operational", D(2026, 11, 25)) == D(2026, 12, 9)
    # an ordinary date falling on a day off moves to the previous working day
    assert services.due_date_for("ordinary", D(2026, 3, 1), D(2026, 3, 22)) == D(2026, 3, 20)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.due_date_for("ordinary", D(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.due_date_for("ordinary", D(2026, 3, 1), D(2026, 2, 1))


def test_periodic_due_dates(db):
    assert services.first_period("quarterly", D(2026, 5, 14)) == D(2026, 4, 1)
    assert services.first_period("half_yearly", D(2026, 8, 1)) == D(2026, 7, 1)
    assert services.period_due_date("monthly", D(2026, 9, 1), 5) == D(2026, 10, 5)
    assert services.period_due_date("quarterly", D(2026, 1, 1), 5) == D(2026, 4, 3)  # the 5th is a Sunday
    assert services.period_due_date("yearly", D(2026, 1, 1), 10) == D(2027, 1, 8)  # 10 Jan 2027 is a Sunday
    assert services.next_period("half_yearly", D(2026, 7, 1)) == D(2027, 1, 1)


def test_the_secretary_corrects_the_calendar(db):
    assert workdays.is_working_day(D(2026, 12, 31))
    CalendarOverride.objects.create(date=D(2026, 12, 31), is_working=False, note="decree")
    assert not workdays.is_working_day(D(2026, 12, 31))
    assert workdays.previous_working_day(D(2026, 12, 31)) == D(2026, 12, 30)
