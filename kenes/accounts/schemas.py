from datetime import datetime

from ninja import Schema
from pydantic import Field

from kenes.core.schemas import classification_slug


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=1024)
    otp: str | None = Field(None, max_length=32)
    name: str = Field("", max_length=100, description="a label to recognise the token by")


class TokenOut(Schema):
    token: str
    expires_at: datetime


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class OrganizationRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    clearance: str
    organization: OrganizationRef | None
    second_factor: bool

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.get_full_name()

    @staticmethod
    def resolve_clearance(obj) -> str:
        return classification_slug(obj.clearance)

    @staticmethod
    def resolve_second_factor(obj) -> bool:
        return obj.has_second_factor
