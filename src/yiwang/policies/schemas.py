from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool, WithJsonSchema

from yiwang.web.api import Amount, ObjectIn, whole_only

Years = Annotated[
    int,
    BeforeValidator(whole_only),
    Field(ge=0, le=200),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 200}),
]
Employees = Annotated[
    int,
    BeforeValidator(whole_only),
    Field(ge=0, le=10_000_000),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 10_000_000}),
]


class PolicyOut(Schema):
    code: str
    name: str
    department: str
    source_document: str
    opens_on: str
    closes_on: str
    apply_item: str | None


class ProfileIn(ObjectIn):
    industry: str | None = Field(None, pattern=r"^[A-T]\d{0,4}$")
    street_code: str | None = Field(None, pattern=r"^\d{6,12}$")
    years_registered: Years | None = None
    registered_capital: Amount | None = None
    employees: Employees | None = None
    revenue: Amount | None = None
    rd_spend: Amount | None = None
    high_tech: StrictBool | None = None
    specialised: StrictBool | None = None
    tax_rating: Literal["A", "B", "M", "C", "D"] | None = None


class ConditionOut(Schema):
    id: str
    label: str
    state: str
    why: str


class MatchOut(Schema):
    policy: str
    name: str
    state: str
    amount: Decimal | None
    closes_on: str
    conditions: list[ConditionOut]
    missing: list[str]


class CalculationOut(Schema):
    eligible: list[MatchOut]
    near: list[MatchOut]
    undecided: list[MatchOut]
