from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str


class StreetOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    lat: float
    lng: float
    communities: int


class HallOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    street: str | None
    address: str
    lat: float
    lng: float
    phone: str
    opening_hours: dict[str, list[list[str]]]
    windows: int


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    roles: list[str]
    mobile: str = Field(description="masked: first 3 + last 4")
    office: str | None
    hall: str | None


class PersonIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    id_number: str = Field(max_length=40, description="resident ID, GB 11643 (18 characters)")
    mobile: str = Field("", max_length=20)
    address: str = Field("", max_length=200)


class PersonOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="masked unless revealed")
    mobile: str = Field(description="masked unless revealed")
    birth_date: date | None


class RevealIn(Schema):
    field: str = Field(description="id_number or mobile", max_length=20)
    purpose: Literal["identity_check", "contact", "case_handling", "legal_request"] = Field(
        description="why the full number is needed (audited); the person must be in the caller's own cases "
        "or queue"
    )


class RevealOut(Schema):
    field: str
    value: str


class EnterpriseIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    credit_code: str = Field(max_length=40, description="unified social credit code, GB 32100")
    legal_representative: str = Field(min_length=1, max_length=60)
    address: str = Field("", max_length=200)


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    legal_representative: str
