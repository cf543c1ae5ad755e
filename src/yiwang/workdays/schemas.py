from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class AddOut(Schema):
    due: date
    provisional: bool
    explanation: dict[str, Any]


class BetweenOut(Schema):
    working_days: int


class NextOut(Schema):
    date: date
    is_workday: bool
    provisional: bool


class DayOut(Schema):
    date: date
    kind: str
    name: str


class YearOut(Schema):
    year: int
    published: bool
    working_days: int
    special_days: list[DayOut]


class PauseOut(Schema):
    kind: str
    label: str
    started_at: datetime
    ended_at: datetime | None
    reason: str


class ExtensionOut(Schema):
    days: int
    reason: str
    approved_by: str
    created_at: datetime


class ClockEventOut(Schema):
    kind: str
    at: datetime
    old_due: date | None
    new_due: date | None
    old_provisional: bool
    new_provisional: bool


class ClockOut(Schema):
    id: int
    label: str
    subject: str
    started_at: datetime
    limit_kind: str
    limit_value: int
    max_extensions: int
    office: str | None
    responsible: str | None
    due_date: date | None
    due_at: datetime | None
    provisional: bool
    state: str
    remaining: int
    stopped_at: datetime | None
    pauses: list[PauseOut]
    extensions: list[ExtensionOut]
    events: list[ClockEventOut]
    explanation: dict[str, Any]
