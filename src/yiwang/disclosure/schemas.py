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


class DisclosureItemQueryIn(Schema):
    column: str = Field("", max_length=16)
    group: str = Field("", pattern="^(|five|key)$")
    text: str = Field("", max_length=100)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class DisclosureItemIn(Schema):
    column: str = Field(max_length=16)
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000)
    formed_on: IsoDate | None = None
    publish: bool = False


class DisclosureItemOut(Schema):
    id: int
    column: str
    column_label: str
    title: str
    body: str
    office: str
    formed_on: date | None = None
    publish_by: date | None = None
    pending: bool | None = None
    published_on: date | None
    version: int
    attachment: str = ""


class DisclosureReasonIn(Schema):
    reason: str = Field(max_length=200)


class NormativeQueryIn(Schema):
    text: str = Field("", max_length=100)
    office: str = Field("", max_length=24)
    year: int | None = Field(None, ge=1949, le=2100)
    status: str = Field("", max_length=10)


class NormativeIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=100_000)
    issued_on: IsoDate
    effective_on: IsoDate | None = None
    expires_on: IsoDate | None = None


class NormativeStatusIn(Schema):
    status: str = Field(max_length=10)
    on: IsoDate | None = None
    note: str = Field("", max_length=300)


class InterpretationIn(Schema):
    title: str = Field(max_length=200)
    form: str = Field(max_length=8)
    body: str = Field("", max_length=20000)
    link: str = Field("", max_length=300, pattern=r"^(|https?://\S+)$")
    document_id: int | None = Field(None, ge=1, le=2**31 - 1)
    policy_title: str = Field("", max_length=200)
    published_on: IsoDate | None = None


class InterpretationOut(Schema):
    id: int
    title: str
    form: str
    body: str
    link: str
    document: str
    policy_title: str
    office: str
    published_on: date


class NormativeOut(Schema):
    id: int
    number: str
    title: str
    office: str
    year: int
    issued_on: date
    effective_on: date
    expires_on: date | None
    status: str
    status_label: str
    status_on: date | None
    status_note: str
    body: str = ""
    interpretations: list[InterpretationOut] = Field(default_factory=list)


class RemedyIn(Schema):
    reconsideration: str = Field("", max_length=12)
    litigation: str = Field("", max_length=12)


class ReportTableOut(Schema):
    key: str
    title: str
    rows: list[list[str | int]]


class AnnualReportOut(Schema):
    year: int
    title: str
    tables: list[ReportTableOut]
