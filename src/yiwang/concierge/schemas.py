"""The concierge API's shapes."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from yiwang.web.api import Id


class ConciergeBoardRow(Schema):
    case: int
    number: str | None
    kind: str
    title: str
    enterprise: str | None
    office: str
    due_date: date | None
    working_days_left: int | None
    state: str = Field(..., description="open / overdue / early / on_time / late")
    notes: int


class ConciergeNoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)


class ConciergeNoteOut(Schema):
    id: int
    case: int
    text: str
    at: datetime


class ConciergeCoordinationIn(Schema):
    level: int = Field(..., ge=1, le=3, description="1 concierge, 2 department, 3 bureau's leaders")
    text: str = Field(..., min_length=1, max_length=2000)


class ConciergeAnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=2000)


class ConciergeCoordinationOut(Schema):
    id: int
    case: int
    office: str
    level: int
    text: str
    due_date: date
    answer: str
    answered_on: date | None


class ConciergeAddIn(Schema):
    credit_code: str = Field(..., max_length=18)
    reason: str = Field(..., max_length=12, description="existing / attracting")
    concierge: Id


class ConciergeTransferIn(Schema):
    to_concierge: Id
    reason: str = Field("", max_length=300)


class ConciergeKeyOut(Schema):
    id: int
    enterprise: str
    credit_code: str
    reason: str
    concierge: int
    since: date


class ConciergeRateOut(Schema):
    key: int | str | None
    label: str | None
    cases: int
    early: int
    on_time: int
    late: int
    early_rate: float | None


class ConciergeFiguresOut(Schema):
    enterprises: int
    cases: int
    early: int
    finished: int
    early_rate: float | None
    by_concierge: list[ConciergeRateOut]
    by_department: list[ConciergeRateOut]
    by_enterprise: list[ConciergeRateOut]


class ConciergeContactOut(Schema):
    enterprise: str
    concierge: str
    mobile: str
    email: str
