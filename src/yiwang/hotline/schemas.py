"""The hotline API's schemas: they parse and bound; the services decide."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from yiwang.web.api import Id, Version

TicketType = Literal["consultation", "help", "complaint", "report", "suggestion", "praise"]
Rating = Literal["satisfied", "basic", "unsatisfied"]


class TicketIn(Schema):
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


class VersionIn(Schema):
    version: Version | None = None


class DispatchIn(VersionIn):
    office: str = Field("", max_length=24, description="office code; empty: the catalogue's suggestion")
    co_offices: list[str] = Field(default_factory=list, max_length=10)


class ReassignIn(VersionIn):
    office: str = Field(max_length=24)
    reason: str = Field(max_length=2000)
    co_offices: list[str] = Field(default_factory=list, max_length=10)


class ReasonIn(VersionIn):
    reason: str = Field(max_length=2000)


class OptionalReasonIn(VersionIn):
    reason: str = Field("", max_length=2000)


class PartIn(VersionIn):
    text: str = Field(max_length=2000)


class ExtensionIn(VersionIn):
    days: int = Field(ge=1, le=365)
    reason: str = Field(max_length=300)


class DecisionIn(VersionIn):
    approve: bool
    reason: str = Field("", max_length=300)


class ReplyIn(VersionIn):
    handling: str = Field("", max_length=2000)
    reply: str = Field(max_length=2000)


class CallbackIn(VersionIn):
    rating: Rating
    note: str = Field("", max_length=2000)


class MergeIn(VersionIn):
    into: Id
    reason: str = Field("", max_length=2000)


class RateIn(Schema):
    number: str = Field(max_length=40)
    last4: str = Field(min_length=4, max_length=4)
    rating: Rating


class CallerOut(Schema):
    name: str
    phone: str  # masked
    anonymous: bool


class EventOut(Schema):
    at: datetime
    action: str
    label: str
    to_status: str


class TicketOut(Schema):
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
    callers: list[CallerOut]
    events: list[EventOut]


class TicketRow(Schema):
    id: int
    number: str | None
    status: str
    type: str
    category: str
    office: str
    due_at: datetime | None


class FollowOut(Schema):
    number: str | None
    status: str
    status_label: str
    category: str
    due_at: datetime | None
    reply: str
    events: list[EventOut]


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    business_line: bool


class LineOut(Schema):
    received: int
    finished: int
    completion_rate: float
    overdue: int
    overdue_rate: float
    avg_hours: float | None


class ByOut(Schema):
    key: str | int | None
    label: str
    received: int
    finished: int
    completion_rate: float
    overdue: int


class PeriodOut(Schema):
    period: str
    received: int
    finished: int


class FiguresOut(Schema):
    start: date
    end: date
    per: str
    total: LineOut
    business_line: LineOut
    by_type: list[ByOut]
    by_category: list[ByOut]
    by_office: list[ByOut]
    by_street: list[ByOut]
    series: list[PeriodOut]
