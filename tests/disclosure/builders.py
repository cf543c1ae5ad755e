"""Helpers for the disclosure tests: a request filed at a moment of China's calendar."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import time_machine

from yiwang.disclosure import services as s

if TYPE_CHECKING:
    from tests.factories import World
    from yiwang.cases.models import Case

TZ = ZoneInfo("Asia/Shanghai")
ID = "11010519491231002X"
PHONE = "13912345678"


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=TZ)


def travel(y: int, m: int, d: int, h: int = 10) -> Any:
    return time_machine.travel(at(y, m, d, h), tick=False)


def request_input(**kw: Any) -> s.RequestInput:
    base: dict[str, Any] = {
        "applicant_type": "person",
        "applicant_name": "张三",
        "id_number": ID,
        "phone": PHONE,
        "description": "请公开2019年本街道老旧小区改造项目的预算",
        "form": "electronic",
    }
    base.update(kw)
    return s.RequestInput(**base)


def file(w: World, day: tuple[int, int, int], *, channel: str = "window", **kw: Any) -> Case:
    """File a request on ``day`` (at a window by the reviewer's office unless told otherwise)."""
    signed = kw.pop("signed_on", None)
    with travel(*day):
        return s.request_file(
            actor=w.users["reviewer"] if channel != "online" else None,
            data=request_input(**kw),
            office=w.office,
            channel=channel,
            signed_on=signed,
        )
