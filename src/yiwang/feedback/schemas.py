"""Schemas of the feedback API: they parse and bound input; the services decide."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from yiwang.web.api import IsoDate, Version


class ReviewIn(Schema):
    service: str = Field(..., max_length=30, description="A registered reviewable service (GET /services).")
    subject: int = Field(..., ge=1, le=2**63 - 1, description="The case id, or the queue ticket id.")
    level: int = Field(..., ge=1, le=5, description="5 very satisfied … 1 very dissatisfied (1–2 are bad).")
    tags: list[str] = Field(default_factory=list, max_length=12)
    comment: str = Field("", max_length=500)
    code: str = Field(
        "",
        max_length=64,
        description="The code proving the service is the reviewer's, if not signed in as its party.",
    )


class ForwardIn(ReviewIn):
    code: str = Field(..., min_length=1, max_length=64)


class ReviewChangeIn(Schema):
    level: int = Field(..., ge=1, le=5)
    tags: list[str] = Field(default_factory=list, max_length=12)
    comment: str = Field("", max_length=500)
    code: str = Field("", max_length=64)


class CheckOut(Schema):
    tag: str
    verdict: Literal["supported", "contradicted", "unknown"]
    text: str


class ReviewOut(Schema):
    id: int
    service: str
    subject: int
    ref: str
    level: int
    tags: list[str]
    comment: str
    channel: str
    office: str
    given_at: datetime
    editable_until: datetime
    excluded: bool
    rectification: int | None = None


class ReviewDetailOut(ReviewOut):
    checks: list[CheckOut]


class ServiceOut(Schema):
    key: str
    label: str


class FeedbackVersionIn(Schema):
    version: Version | None = None


class CallbackIn(FeedbackVersionIn):
    note: str = Field(..., min_length=1, max_length=2000)


class RectifyIn(FeedbackVersionIn):
    findings: str = Field(..., min_length=1, max_length=4000)
    actions: str = Field(..., min_length=1, max_length=4000)


class RateRectificationIn(FeedbackVersionIn):
    rating: int = Field(..., ge=1, le=5)
    code: str = Field("", max_length=64)


class AppealIn(FeedbackVersionIn):
    kind: Literal["mistaken", "malicious"]
    reason: str = Field("", max_length=4000, description="Required: an appeal without reasons is refused.")


class DecisionIn(FeedbackVersionIn):
    uphold: bool
    reason: str = Field(..., min_length=1, max_length=300)


class RectificationOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    version: int
    office: str
    due_date: date | None
    review: int
    findings: str
    actions: str
    on_time: bool | None
    reviewer_rating: int | None
    appeal_kind: str
    appeal_decision: str


class ComplaintIn(Schema):
    via: Literal["in_person", "phone", "online"]
    description: str = Field(..., min_length=1, max_length=4000)
    name: str = Field("", max_length=60)
    phone: str = Field("", max_length=20)
    about_office: str = Field("", max_length=24)
    about_hall: str = Field("", max_length=24)


class ReplyIn(FeedbackVersionIn):
    reply: str = Field(..., min_length=1, max_length=4000)


class ComplaintOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    version: int
    via: str
    description: str
    reply: str
    due_date: date | None
    on_time: bool | None


class IssueIn(Schema):
    period: Literal["daily", "weekly", "monthly"]
    day: IsoDate


class ReportOut(Schema):
    id: int
    period: str
    start: date
    end: date
    issued_at: datetime
    sha256: str
    figures: dict
