"""The iCalendar feed of the sessions a user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from kenes.core.classification import Classification
from kenes.council import services
from kenes.council.models import Meeting

CONTENT_TYPE = "text/calendar; charset=utf-8"
#: The most sessions a feed lists (the soonest first).
MAX_EVENTS = 2000


def meetings(user: Any) -> list[Meeting]:
    """The sessions the feed of ``user`` lists: those he may see, by date."""
    return list(services.meetings_for(user, sort="date")[:MAX_EVENTS])


def feed(meetings: Sequence[Meeting]) -> bytes:
    """An iCalendar document of ``meetings``, each titled with its classification marking."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kenes//Security Council sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kenes")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@kenes")
        marking = Classification(meeting.classification).label
        event.add("summary", f"[{marking}] {meeting.translated()}")
        if meeting.start_time:
            start = timezone.make_aware(dt.datetime.combine(meeting.date, meeting.start_time))
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(hours=2))
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + dt.timedelta(days=1))
        if meeting.place:
            event.add("location", meeting.place)
        event.add("status", "CONFIRMED" if meeting.status != "planned" else "TENTATIVE")
        event.add("dtstamp", meeting.updated_at)
        event.add("class", "PUBLIC" if meeting.classification == Classification.PUBLIC else "CONFIDENTIAL")
        calendar.add_component(event)
    return calendar.to_ical()
