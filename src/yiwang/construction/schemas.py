"""API schemas of the construction context (parse and validate; the services decide)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from yiwang.web.api import MAX_ID, Version


class ConstructionProjectIn(Schema):
    enterprise: Annotated[int, Field(ge=1, le=MAX_ID)] = Field(
        ..., description="the owner (an enterprise or government unit you act for)"
    )
    title: str = Field(..., min_length=1, max_length=200)
    project_type: str = Field(..., max_length=20, description="gov_building, gov_municipal or social")
    nature: str = Field(..., max_length=12, description="new, extension or renovation")
    investment: str = Field(..., max_length=24, description='total investment in yuan, e.g. "38000000"')
    location: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=2000)


class ConstructionStageIn(Schema):
    contact: str = Field(..., min_length=1, max_length=60)
    contact_phone: str = Field(..., min_length=1, max_length=20)
    scale: str = Field(..., min_length=1, max_length=300)
    designer: str = Field("", max_length=120)
    notes: str = Field("", max_length=1000)
    dossier_base64: str = Field(
        ..., min_length=1, max_length=28_000_000, description="the stage's dossier, one PDF"
    )
    dossier_name: str = Field("dossier.pdf", max_length=100)
    version: Version | None = None


class ConstructionItemOut(Schema):
    key: str
    name: str
    item_code: str
    stage: int
    budget_days: int
    skipped: bool
    skip_reason: str
    application: str | None
    office: str | None
    status: str
    submitted_on: date | None
    decided_on: date | None
    approved: bool | None
    gov_days: int
    correction_days: int
    early_start: int
    slack: int
    critical: bool


class ConstructionProjectOut(Schema):
    id: int
    number: str | None
    title: str
    status: str
    status_label: str
    version: int
    owner: str
    project_type: str
    investment_kind: str
    nature: str
    investment: str
    location: str
    plan: str
    plan_version: int
    budget_days: int
    base_budget_days: int
    rules_applied: list[dict[str, Any]]
    stage: int
    started_on: date | None
    gov_days: int
    applicant_days: int
    expected_days: int
    slack: int
    expected_finish: date | None
    permitted_on: date | None
    items: list[ConstructionItemOut]


class ConstructionBoardRow(Schema):
    id: int
    number: str | None
    title: str
    project_type: str
    stage: int
    budget_days: int
    expected_days: int
    slack: int
    expected_finish: date | None


class ConstructionBoardOut(Schema):
    total: int
    at_risk: int
    rows: list[ConstructionBoardRow]


class ConstructionWhatIfOut(Schema):
    key: str
    more_days: int
    length_now: int
    length_then: int
    finish_now: date
    finish_then: date
    slack_then: int
    later_by: int


class ConstructionPlanOut(Schema):
    code: str
    name: str
    project_type: str
    version: int
    definition: dict[str, Any]


class ConstructionPlanVersionIn(Schema):
    definition: dict[str, Any]
    note: str = Field("", max_length=300)


class ConstructionFiguresOut(Schema):
    total: dict[str, Any]
    by_kind: list[dict[str, Any]]
    by_type: list[dict[str, Any]]
    per_item: list[dict[str, Any]]
    per_stage: list[dict[str, Any]]
    critical: list[dict[str, Any]]
