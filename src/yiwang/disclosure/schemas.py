"""Typed input and output of the disclosure API (ninja schemas parse; the services decide)."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from yiwang.web.api import IsoDate, Version


class DisclosureRequestIn(Schema):
    applicant_type: str = Field(max_length=12)
    applicant_name: str = Field(max_length=120)
    id_number: str = Field(max_length=24)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    description: str = Field(max_length=4000)
    form: str = Field("electronic", max_length=12)
    purpose: str = Field("", max_length=300)
    office: str = Field(max_length=24)


class DisclosureRequestOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    receipt_date: date | None
    due_date: date | None
    reply_type: str
    fee_yuan: int


class DisclosureTrackQuery(Schema):
    number: str = Field(max_length=40)
    last4: str = Field(min_length=4, max_length=4)


class DisclosureReplyIn(Schema):
    type: str = Field(max_length=30)
    content: dict[str, str] = Field(default_factory=dict)
    version: Version | None = None


class DisclosureExtensionIn(Schema):
    days: int = Field(ge=1, le=365)
    reason: str = Field(max_length=300)


class DisclosureDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=300)


class PublicationQueryIn(Schema):
    name: str = Field("", max_length=120)
    credit_code: str = Field("", max_length=18)
    office: str = Field("", max_length=24)
    kind: str = Field("", max_length=8)
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class PublicationOut(Schema):
    id: int
    kind: str
    decision_number: str
    title: str
    party_name: str
    party_kind: str
    credit_code: str
    id_masked: str
    office: str
    decided_on: date
    published_on: date | None
