from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field


class VisitOut(Schema):
    id: int
    name: str
    id_masked: str
    benefit: str
    outcome: str
    case: str | None


class OutcomeIn(Schema):
    outcome: Literal["applied", "declined", "retry", "moved", "deceased"]
    note: str = Field("", max_length=200)
