"""The hotline API's schemas: they parse and bound; the services decide."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from yiwang.web.api import Id, Version

TicketType = Literal["consultation", "help", "complaint", "report", "suggestion", "praise"]
Rating = Literal["satisfied", "basic", "unsatisfied"]


class HotlineTicketIn(Schema):
    type: TicketType
    category: str = Field(max_length=40)
    description: str = Field(min_length=1, max_length=2000)
    caller_name: str = Field("", max_length=60)
    caller_phone: str = Field("", max_length=20)
    anonymous: bool = False
    urgency: Literal["normal", "urgent"] = "normal"
    address: str = Field("", max_length=200)
    street: str = Field("", max_length=12)
    community: str = Field("", max_length=15)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    business_line: bool = False


class HotlineVersionIn(Schema):
    version: Version | None = None


class HotlineDispatchIn(HotlineVersionIn):
    office: str = Field("", max_length=24, description="office code; empty: the catalogue's suggestion")
    co_offices: list[str] = Field(default_factory=list, max_length=10)


class HotlineReassignIn(HotlineVersionIn):
    office: str = Field(max_length=24)
    reason: str = Field(max_length=2000)
    co_offices: list[str] = Field(default_factory=list, max_length=10)


class HotlineReasonIn(HotlineVersionIn):
    reason: str = Field(max_length=2000)


class HotlineOptionalReasonIn(HotlineVersionIn):
    reason: str = Field("", max_length=2000)


class HotlinePartIn(HotlineVersionIn):
    text: str = Field(max_length=2000)


class HotlineExtensionIn(HotlineVersionIn):
    days: int = Field(ge=1, le=365)
    reason: str = Field(max_length=300)


class HotlineDecisionIn(HotlineVersionIn):
    approve: bool
    reason: str = Field("", max_length=300)


class HotlineReplyIn(HotlineVersionIn):
    handling: str = Field("", max_length=2000)
    reply: str = Field(max_length=2000)


class HotlineCallbackIn(HotlineVersionIn):
    rating: Rating
    note: str = Field("", max_length=2000)


class HotlineMergeIn(HotlineVersionIn):
    into: Id
    reason: str = Field("", max_length=2000)


class HotlineRateIn(Schema):
    number: str = Field(max_length=40)
    last4: str = Field(min_length=4, max_length=4)
    rating: Rating


class HotlineCallerOut(Schema):
    name: str
    phone: str  # masked
    anonymous: bool


class HotlineEventOut(Schema):
    at: datetime
    action: str
    label: str
    to_status: str


class HotlineTicketOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    version: int
    type: str
    category: str
    category_name: str
    urgency: str
    business_line: bool
    description: str
    address: str
    street: str | None
    community: str | None
    lat: float | None
    lng: float | None
    office: str
    suggested_office: str | None
    received_at: datetime | None
    due_at: datetime | None
    parent: int | None
    reply: str
    rating: str
    callers: list[HotlineCallerOut]
    events: list[HotlineEventOut]


class HotlineTicketRow(Schema):
    id: int
    number: str | None
    status: str
    type: str
    category: str
    office: str
    due_at: datetime | None


class HotlineFollowOut(Schema):
    number: str | None
    status: str
    status_label: str
    category: str
    due_at: datetime | None
    reply: str
    events: list[HotlineEventOut]


class HotlineCategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    business_line: bool


class HotlineLineOut(Schema):
    received: int
    finished: int
    completion_rate: float
    overdue: int
    overdue_rate: float
    avg_hours: float | None


class HotlineByOut(Schema):
    key: str | int | None
    label: str
    received: int
    finished: int
    completion_rate: float
    overdue: int


class HotlinePeriodOut(Schema):
    period: str
    received: int
    finished: int


class HotlineFiguresOut(Schema):
    start: date
    end: date
    per: str
    total: HotlineLineOut
    business_line: HotlineLineOut
    by_type: list[HotlineByOut]
    by_category: list[HotlineByOut]
    by_office: list[HotlineByOut]
    by_street: list[HotlineByOut]
    series: list[HotlinePeriodOut]
