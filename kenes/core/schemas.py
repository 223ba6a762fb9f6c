"""Schemas shared by every app's API."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from kenes.core.classification import Classification


def classification_slug(level: int) -> str:
    return Classification(level).slug


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
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class NotificationsReadIn(Schema):
    ids: list[int] | None = Field(None, max_length=500, description="the notifications to mark read; all when absent")


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
    errors: list[ImportErrorOut]
    error_total: int
    result: dict
    created_at: datetime
    finished_at: datetime | None
