from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field


class PolicyOut(Schema):
    code: str
    name: str
    department: str
    source_document: str
    opens_on: str
    closes_on: str
    apply_item: str | None


class ProfileIn(Schema):
    industry: str | None = Field(None, pattern=r"^[A-T]\d{0,4}$")
    street_code: str | None = Field(None, pattern=r"^\d{6,12}$")
    years_registered: int | None = Field(None, ge=0, le=200)
    registered_capital: Decimal | None = Field(None, ge=0, le=Decimal("1e13"))
    employees: int | None = Field(None, ge=0, le=10_000_000)
    revenue: Decimal | None = Field(None, ge=0, le=Decimal("1e13"))
    rd_spend: Decimal | None = Field(None, ge=0, le=Decimal("1e13"))
    high_tech: bool | None = None
    specialised: bool | None = None
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
