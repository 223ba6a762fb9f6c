"""Schemas shared by every app's API, and the bounded types every input is declared with.

Every id, offset, year, date and time of day that the API takes is one of the annotated types below, so
its bounds are in the OpenAPI document and a value past them is a 422 naming the field, never a query
that overflows the database or a date the calendar code cannot shift (see ``kenes.core.bounds``).
"""

import datetime as dt
import re
from datetime import datetime
from typing import Annotated, Any

from django.utils.translation import gettext
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from kenes.core import bounds
from kenes.core.classification import CLASSIFICATION_SLUGS, Classification

Id = Annotated[int, Field(ge=1, le=bounds.MAX_ID)]
Year = Annotated[int, Field(ge=bounds.MIN_YEAR, le=bounds.MAX_YEAR)]


def _within_calendar(day: dt.date) -> dt.date:
    message = bounds.date_error(day)
    if message is not None:
        raise ValueError(message)
    return day


_DATE_BOUNDS = {"formatMinimum": bounds.MIN_DATE.isoformat(), "formatMaximum": bounds.MAX_DATE.isoformat()}
ApiDate = Annotated[dt.date, AfterValidator(_within_calendar), Field(json_schema_extra=_DATE_BOUNDS)]
"""A calendar day, YYYY-MM-DD, between 1900-01-01 and 2200-12-31."""


def _within_calendar_at(moment: dt.datetime) -> dt.datetime:
    _within_calendar(moment.date())
    return moment


ApiDateTime = Annotated[dt.datetime, AfterValidator(_within_calendar_at)]
"""A timestamp, ISO 8601 with an offset, on a day between 1900-01-01 and 2200-12-31."""

Period = ApiDate
"""A period written as its first day (whether it is one is the service's check: it knows the frequency)."""

_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")


def _clock_time(value: Any) -> Any:
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and _CLOCK.fullmatch(value):
        return value
    raise ValueError(gettext("Enter a time of day as HH:MM or HH:MM:SS, without a time zone."))


ApiTime = Annotated[
    dt.time,
    BeforeValidator(_clock_time),
    WithJsonSchema({"type": "string", "pattern": f"^{_CLOCK.pattern}$", "examples": ["10:00"]}),
]
"""A time of day, HH:MM or HH:MM:SS, local to the Council (no offset): how sessions are scheduled."""


class Pagination(LimitOffsetPagination):
    """``limit`` (default 50, at most 500) and ``offset`` (at most 10^9) of every list."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=bounds.MAX_LIMIT)
        offset: int = Field(0, ge=0, le=bounds.MAX_OFFSET)


def classification_slug(level: int) -> str:
    return Classification(level).slug


ClassificationSlug = Field(None, json_schema_extra={"enum": list(CLASSIFICATION_SLUGS)})
"""An optional classification given by its slug (``secret``); without it, the service's default."""


class ClassifiedOut(Schema):
    """What every classified record shows in the API: its id, level and timestamps."""

    id: int
    classification: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_classification(obj: Any) -> str:
        return classification_slug(obj.classification)


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str


class InvalidOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = Field(default_factory=list)


class SearchHitOut(Schema):
    type: str
    id: int
    title: str
    classification: str
    url: str


class SearchOut(Schema):
    count: int
    items: list[SearchHitOut]


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor: str | None
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    classification: str
    changes: dict
    ip: str | None
    hash: str
    operation: str = Field(
        "", description="the business action the event was written in (adopt, sign…), empty for a plain change"
    )

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor_username or None

    @staticmethod
    def resolve_classification(obj) -> str:
        return classification_slug(obj.classification)


class VerificationOut(Schema):
    ok: bool
    events: int = Field(description="the intact events the reader may read (the whole chain is verified)")
    first_bad_seq: int | None
    anchors: int = Field(description="the anchors written outside the database that the chain matched")


class AttachmentOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    content_type: str
    size: int
    sha256: str
    classification: str
    owner_type: str | None
    owner_id: int | None
    download_url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_classification(obj) -> str:
        return classification_slug(obj.classification)

    @staticmethod
    def resolve_owner_type(obj) -> str | None:
        return f"{obj.owner_type.app_label}.{obj.owner_type.model}" if obj.owner_type_id else None

    @staticmethod
    def resolve_download_url(obj) -> str:
        from django.urls import reverse

        return reverse("core:attachment-download", args=[obj.pk])


ERRORS = {400: InvalidOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: InvalidOut}


class NotificationOut(Schema):
    id: int
    kind: str
    title: str = Field(description="in the caller's language", alias="title_text")
    body: str = Field(description="in the caller's language", alias="body_text")
    url: str
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class NotificationsReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=500, description="the notifications to mark read; all when absent")


class MarkedOut(Schema):
    marked: int


class ImportErrorOut(Schema):
    row: int = Field(description="the row of the file (the header is row 1); 0 for the file as a whole")
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    filename: str
    status: str = Field(description="queued, running, done or failed")
    total: int
    processed: int
    percent: int
    errors: list[ImportErrorOut] = Field(description="in the caller's language", alias="errors_shown")
    error_total: int
    result: dict
    created_at: datetime
    finished_at: datetime | None
