from ninja import Schema
from pydantic import Field

from kenes.core.schemas import Id


class RegionOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    kind: str
    parent: int | None = Field(None, alias="parent_id")
    region: int | None = Field(None, alias="region_id")
    is_active: bool


class OrganizationFilter(Schema):
    kind: str | None = Field(None, max_length=20)
    parent: Id | None = None
    region: Id | None = None
    q: str | None = Field(None, max_length=200)
