from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from yiwang.web.api import Id, Version

ANSWERS_HELP = (
    "answers to the item's application form, by field key (see the application's ``form``): text, number, ISO "
    "date, a choice's value; a person {name, id_number}, an enterprise {name, credit_code}, an address {street, "
    "detail}; a group a list of such objects. Fields with a ``prefill`` source are filled from the applicant's "
    "records unless answered here."
)


class DraftIn(Schema):
    item: str = Field(..., description="item code")
    enterprise_id: Id | None = None
    conditions: list[str] = []
    delivery_method: str = ""
    return_hall_id: Id | None = None
    delivery_address: str = ""
    answers: dict[str, Any] | None = Field(
        None,
        description=ANSWERS_HELP,
    )


class ReceiveIn(Schema):
    item: str
    person_id: Id | None = None
    enterprise_id: Id | None = None
    agent_id: Id | None = None
    conditions: list[str] = []
    provided: list[str] = Field([], description="material codes ticked as provided")
    delivery_method: str = ""
    return_hall_id: Id | None = None
    delivery_address: str = ""
    answers: dict[str, Any] | None = Field(
        None,
        description=ANSWERS_HELP,
    )


class AssistIn(Schema):
    """帮办代办: a window clerk or a community grid worker applies on a resident's behalf, with their consent."""

    id_number: str = Field(
        ..., min_length=15, max_length=30, description="the resident's whole resident ID number (GB 11643)"
    )
    item: str = Field(..., max_length=40, description="item code (an item natural persons may apply for)")
    consent_method: str = Field(
        "",
        max_length=10,
        description="how the resident consented: paper (signed form, consent_file required), in_person, "
        "phone (consent_callback required) or letter (authorisation letter)",
    )
    consent_date: date | None = Field(None, description="the day consent was given (at most 30 days ago)")
    consent_callback: str = Field("", max_length=200, description="for phone: when, which number, by whom")
    consent_file: str = Field(
        "",
        max_length=14_000_000,
        description="the consent file (PDF, JPG, PNG or OFD), base64-encoded; required for paper",
    )
    consent_file_name: str = Field("", max_length=200)
    conditions: list[str] = []
    provided: list[str] = Field([], description="material codes ticked as provided")
    delivery_method: str = Field("", max_length=12)
    return_hall_id: Id | None = None
    delivery_address: str = Field("", max_length=200)
    answers: dict[str, Any] | None = Field(
        None,
        description=ANSWERS_HELP,
    )


class VersionIn(Schema):
    """Every action: the version of the case you saw; a stale one is refused with 409 ``stale``."""

    expected_version: Version | None = Field(None, description="the version you saw; a stale one gives 409")


class AcceptRongqueIn(VersionIn):
    promise_by: date | None = Field(
        None,
        description="the date the applicant promises to supply the missing materials by (at most the "
        "item's limit in working days); without it and without promise_days, the date the applicant "
        "promised online",
    )
    promise_days: int | None = Field(
        None,
        ge=1,
        le=365,
        description="instead of promise_by: working days the applicant promises to supply in",
    )
    promise_signed: bool = Field(False, description="the applicant signed the written promise")


class SubmitIn(VersionIn):
    promise_by: date | None = Field(
        None,
        description="容缺: the date the missing materials the item allows to be supplied later will be supplied by",
    )
    promise_signed: bool = Field(
        False, description="容缺: the applicant signs the promise to supply them by promise_by"
    )


class CorrectionIn(VersionIn):
    items: dict[str, Annotated[str, Field(max_length=300)]] = Field(
        ..., description="material code → what is wrong with it (every item at once, 一次性告知)"
    )
    note: str = Field("", max_length=300, description="anything else to correct")


class RefusalIn(VersionIn):
    reason_code: str = Field(..., max_length=30, description="one of the controlled refusal reasons")
    reason: str = Field(..., max_length=2000, description="the explanation for the supervisor")
    guidance: str = Field(..., max_length=2000, description="what the applicant can do next")


class ReasonIn(VersionIn):
    reason: str = Field(..., max_length=2000)


class OptionalReasonIn(VersionIn):
    reason: str = Field("", max_length=2000)


class NoteIn(VersionIn):
    note: str = Field("", max_length=2000, description="the supervisor's note (required when sending back)")


class SuspendIn(VersionIn):
    pause_kind: str = Field(..., max_length=40, description="expert_review, testing, hearing or site_survey")
    reason: str = Field(..., max_length=300)
    expected_days: int = Field(0, ge=0, le=3650, description="expected duration, told to the applicant")


class DeliverIn(VersionIn):
    tracking_number: str = Field("", max_length=40, description="required for delivery by post")
    pickup_code: str | None = Field(
        None,
        max_length=8,
        description="pick-up at the hall: the code the applicant shows (a wrong one gives 422)",
    )


class ActionIn(Schema):
    """Deprecated: the body of ``POST …/actions/{action}`` (every field of every action)."""

    expected_version: Version | None = Field(None, description="the version you saw; a stale one gives 409")
    reason: str = ""
    reason_code: str = ""
    guidance: str = ""
    note: str = ""
    promise_days: int | None = Field(None, ge=1, le=365)
    promise_signed: bool = False
    items: dict[str, str] = Field({}, description="correction: material code → problem")
    pause_kind: str = ""
    expected_days: int = Field(0, ge=0, le=3650)
    tracking_number: str = ""


class ApplicationMaterialOut(Schema):
    code: str
    name: str
    required: bool
    state: str
    problem: str


class PartyOut(Schema):
    role: str
    name: str
    kind: str


class CaseEventOut(Schema):
    at: datetime
    action: str
    label: str
    to_status: str


class AnswersIn(Schema):
    """The application form's answers, all of them (a key left out is an empty answer)."""

    answers: dict[str, Any] = Field(..., description="by field key, as in DraftIn.answers")


class FormChoiceOut(Schema):
    value: str
    label: str
    label_en: str = ""


class FormFieldOut(Schema):
    """One question of the application form (申请表) of the item version the application is filed under."""

    position: int
    key: str
    label: str
    label_en: str = ""
    kind: str = Field(
        ..., description="text, long_text, number, date, choice, address, person, enterprise, group"
    )
    required: bool
    group: str = Field("", description="the key of the repeatable group the field belongs to")
    choices: list[FormChoiceOut] = []
    min_value: str | None = None
    max_value: str | None = None
    max_length: int | None = None
    max_rows: int | None = None
    prefill: str = ""
    help_text: str = ""


class NoticeOut(Schema):
    id: int
    kind: str = Field(
        ..., description="acceptance, correction, not_accepted, approval, rejection, delivery …"
    )
    title: str = Field(..., description="the document's name, in the language it was issued in")
    document_number: str = Field(..., description="its 文号 (empty for a receipt or a 容缺 promise)")
    issued_at: datetime
    pdf_url: str = Field(
        ..., description="the PDF, for a signed-in party or staff member (a page, not the API)"
    )


class ApplicationOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    version: int
    title: str
    item: str
    item_version: int
    channel: str
    applicant: str
    owning_office: str
    receiving_hall: str | None
    return_hall: str | None
    delivery_method: str
    tracking_number: str
    due_date: date | None
    received_at: datetime | None
    accepted_on: date | None
    decided_on: date | None
    timeliness: str
    rongque: bool
    rongque_deadline: date | None
    no_visit: bool
    materials: list[ApplicationMaterialOut] = []
    parties: list[PartyOut] = []
    events: list[CaseEventOut] = []
    form: list[FormFieldOut] = Field([], description="the application form's questions (empty: uploads only)")
    notices: list[NoticeOut] = Field([], description="the documents issued so far, oldest first")
    answers: dict[str, Any] = Field(
        {},
        description="the answers by field key; ID and mobile numbers masked (sent back masked, they are kept)",
    )


class ApplicationRow(Schema):
    id: int
    number: str | None
    status: str
    title: str
    due_date: date | None
    version: int


class ProgressOut(Schema):
    number: str
    status: str
    status_label: str
    item: str
    office: str
    due_date: date | None
    explanation: str
    events: list[CaseEventOut]


class ApprovalOut(Schema):
    id: int
    case_id: int
    number: str | None
    kind: str
    reason_code: str
    reason: str
    guidance: str
    requested_by: str
    requested_at: datetime


class ApplicationFiguresOut(Schema):
    year: int
    dimension: str
    totals: dict[str, Any]
    rows: list[dict[str, Any]]
    reasons: list[dict[str, Any]]


class UseLicenceIn(Schema):
    material: str = Field(min_length=1, max_length=40, description="the material's code")
    licence_version_id: Id = Field(
        description="the id of the licence version offered (``GET /api/licences/mine``)"
    )
