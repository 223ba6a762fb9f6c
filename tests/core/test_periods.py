import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kenes.core import periods

D = dt.date


@pytest.mark.parametrize(
    ("day", "frequency", "start"),
    [
        (D(2026, 3, 18), "daily", D(2026, 3, 18)),
        (D(2026, 3, 18), "weekly", D(2026, 3, 16)),
        (D(2026, 3, 18), "monthly", D(2026, 3, 1)),
        (D(2026, 3, 18), "quarterly", D(2026, 1, 1)),
        (D(2026, 12, 31), "quarterly", D(2026, 10, 1)),
        (D(2026, 3, 18), "annual", D(2026, 1, 1)),
    ],
)
def test_floor_finds_the_first_day_of_the_period(day, frequency, start):
    assert periods.floor(day, frequency) == start
    assert periods.is_start(start, frequency)
    assert periods.is_start(day, frequency) == (day == start)


def test_shift_crosses_years_both_ways():
    assert periods.shift(D(2026, 11, 1), "monthly", 3) == D(2027, 2, 1)
    assert periods.shift(D(2026, 1, 1), "monthly", -1) == D(2025, 12, 1)
    assert periods.shift(D(2026, 10, 1), "quarterly", 2) == D(2027, 4, 1)
    assert periods.shift(D(2026, 1, 1), "annual", -3) == D(2023, 1, 1)
    assert periods.shift(D(2026, 3, 16), "weekly", 1) == D(2026, 3, 23)


def test_span_and_count_are_inclusive_and_consistent():
    months = periods.span(D(2025, 11, 20), D(2026, 2, 3), "monthly")
    assert months == [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]
    assert periods.count_between(D(2025, 11, 1), D(2026, 2, 1), "monthly") == 3
    assert periods.count_between(D(2026, 2, 1), D(2025, 11, 1), "monthly") == -3
    assert len(periods.span(D(2020, 1, 1), D(2029, 12, 31), "quarterly")) == 40


def test_labels_read_as_people_write_periods():
    assert periods.label(D(2026, 1, 1), "annual") == "2026"
    assert periods.label(D(2026, 7, 1), "quarterly") == "2026 Q3"
    assert periods.label(D(2026, 3, 1), "monthly") == "2026-03"
    assert periods.label(D(2026, 3, 2), "weekly") == "2026-W10"


def test_parse_accepts_only_period_starts():
    assert periods.parse("2026-04-01", "quarterly") == D(2026, 4, 1)
    assert periods.parse(dt.datetime(2026, 4, 1), "monthly") == D(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        periods.parse("2026-05-01", "quarterly", field="when")
    assert "2026-04-01" in error.value.message_dict["when"][0]


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026-13-01", "01.02.2026", "20260101", "2026-W01-1", "", 2026, 46023.0, None, "x" * 500]
)
def test_parse_names_the_field_for_anything_else(value):
    with pytest.raises(ValidationError) as error:
        periods.parse(value, "monthly", field="period")
    assert list(error.value.message_dict) == ["period"]


def test_unknown_frequency_is_a_programming_error():
    with pytest.raises(ValueError, match="fortnightly"):
        periods.floor(D(2026, 1, 1), "fortnightly")
