"""The licences API's input and output schemas (they parse and bound; services decide)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field, model_validator

from yiwang.web.api import IsoDate, require_object


class _Object(BaseModel):
    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        return require_object(value)


class VerifyIn(_Object):
    payload: str = Field(
        "", max_length=4000, description="the compact signed payload of a QR code (YWL1.….…)"
    )
    identifier: str = Field("", max_length=200, description="or a licence identifier (1.2.156.3005.2.…)")


class VerdictOut(Schema):
    verdict: str = Field(
        description="authentic | superseded | suspended | revoked | cancelled | expired | unknown | malformed | forged"
    )
    message: str
    identifier: str
    signature_checked: bool
    status: str = Field(description="the licence's status on the register (empty when unknown)")
    current_version: int | None
    fields: dict[str, Any] = Field(description="the signed fields, when the signature holds")


class KeyOut(Schema):
    kid: str
    office: str
    algorithm: str
    public_key: str = Field(description="the raw 32-byte Ed25519 public key, base64url without padding")
    current: str


class LicenceOut(Schema):
    id: int
    identifier: str
    type_code: str
    type_name: str
    status: str
    version: int
    holder: str
    holder_number: str
    fields: dict[str, str]
    valid_from: date
    valid_to: date | None
    issuer: str
    payload: str
    issued_at: datetime


class ShareIn(_Object):
    days: int = Field(7, ge=1, le=30, description="how long the link stays valid (1–30 days)")


class ShareOut(Schema):
    url: str
    expires_at: datetime


class IssuanceOut(Schema):
    id: int
    case_number: str | None
    type_code: str
    type_name: str
    state: str
    decided_on: date
    due_date: date | None
    overdue: bool
    licence_id: int | None
    missing_fields: list[str]


class IssueIn(_Object):
    fields: dict[str, str] = Field(default_factory=dict, description="the licence type's field values by key")
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None


class ChangeIn(_Object):
    fields: dict[str, str] = Field(description="new values of the fields to change, by key")
    reason: str = Field(min_length=1, max_length=300)
    expected_version: int | None = Field(None, ge=1, le=999)


class RenewIn(_Object):
    valid_to: IsoDate | None = Field(
        None, description="the new end of validity (default: the type's validity)"
    )
    reason: str = Field("", max_length=300)
    expected_version: int | None = Field(None, ge=1, le=999)


class StatusIn(_Object):
    event: str = Field(description="suspend | reinstate | revoke | cancel")
    reason: str = Field(min_length=1, max_length=300)
    expected_version: int | None = Field(None, ge=1, le=999)
