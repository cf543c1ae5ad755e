"""The credit API's input and output shapes (ninja schemas: they parse and bound; the services decide)."""

from __future__ import annotations

import builtins
from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from yiwang.web.api import IsoDate, Offset

CategoryCode = Literal[
    "mr_abnormal",
    "mr_serious",
    "tax_a",
    "tax_d",
    "court_dishonest",
    "social_arrears",
    "env_dishonest",
    "safety_black",
    "procurement_ban",
    "customs_aeo",
    "customs_dishonest",
    "honours",
    "admin_penalty",
    "contract_honour",
]
ListCode = Literal["red", "black", "white"]


class CreditRecordIn(Schema):
    """One record as a source system sends it (the same columns as an import file)."""

    subject_code: str = Field(..., max_length=30, description="unified social credit code or resident ID")
    subject_name: str = Field("", max_length=200)
    category: str = Field(..., max_length=24, description="one of the 14 category codes")
    source_record_id: str = Field(..., max_length=64)
    source_office: str = Field(..., max_length=100)
    decision_date: str = Field(..., max_length=10, description="YYYY-MM-DD")
    valid_from: str = Field("", max_length=10)
    valid_to: str = Field("", max_length=10)
    severity: int = Field(1, ge=1, le=3)
    text: str = Field("", max_length=2000)


class CreditPushIn(Schema):
    source: str = Field(..., min_length=1, max_length=40, description="the source system's code")
    records: list[CreditRecordIn] = Field(..., min_length=1, max_length=1000)


class CreditRowErrorOut(Schema):
    line: int = Field(..., description="row number (the first pushed record is row 1)")
    column: str
    message: str
    value: str = ""


class CreditImportOut(Schema):
    id: int
    source: str
    file_name: str
    channel: str
    state: str
    started_at: datetime
    finished_at: datetime | None
    rows_total: int
    rows_bad: int
    inserted: int
    updated: int
    unchanged: int
    message: str
    errors: list[CreditRowErrorOut]


class CreditReasonOut(Schema):
    list: ListCode
    rule: str
    category: str
    category_label: str
    source: str
    source_office: str
    decision_date: date
    since: date
    until: date | None


class CreditStandingOut(Schema):
    subject: str = Field(..., description="the credit code, or the resident ID masked")
    standing: ListCode
    standing_label: str
    reasons: list[CreditReasonOut]


class CreditStandingQuery(Schema):
    code: str = Field(..., min_length=1, max_length=30, description="credit code or resident ID")


class CreditRecordOut(Schema):
    id: int
    subject: str
    subject_kind: Literal["E", "P"]
    category: str
    category_label: str
    source: str
    source_record_id: str
    source_office: str
    decision_date: date
    valid_from: date
    valid_to: date | None
    severity: int
    text: str
    repaired: bool


class CreditRecordQuery(Schema):
    code: str = Field("", max_length=30)
    category: str = Field("", max_length=24)
    source: str = Field("", max_length=40)
    standing: Literal["", "red", "black", "white"] = ""
    offset: Offset = 0
    limit: int = Field(50, ge=1, le=200)


class CreditRepairIn(Schema):
    decision_reference: str = Field(..., max_length=80, description="the repair decision's reference")
    decided_on: IsoDate
    reason: str = Field("", max_length=1000)


class CreditRepairOut(Schema):
    record: int
    decision_reference: str
    decided_on: IsoDate
    standing: ListCode


class CreditRuleOut(Schema):
    code: str
    list: Literal["red", "black"]
    categories: builtins.list[str]
    min_severity: int
    active: bool
    description: str


class CreditRuleIn(Schema):
    active: bool | None = None
    min_severity: int | None = Field(None, ge=1, le=3)


class CreditCountOut(Schema):
    key: str
    label: str
    n: int


class CreditFiguresOut(Schema):
    records: int
    by_category: list[CreditCountOut]
    by_list: list[CreditCountOut]
    cases: list[CreditCountOut]
    repairs: int
    imports: int
