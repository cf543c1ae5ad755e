"""Synthetic applications for the cases benchmark (``bench/cases.py``): realistic status mixes over the demo
catalogue, as plain rows (no ORM), so the benchmark can ``COPY`` a million. Deadlines come from the
working-day engine (never computed here). The demo district's own history is not made this way: it walks the
workflow through the services (``yiwang.demo.loaders.applications``); a million cases cannot be."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ItemInfo:
    item_id: int
    version_id: int
    department_id: int
    office_id: int
    office_code: str
    name: str
    committed: int
    legal: int
    instant: bool
    no_visit: bool
    levels: tuple[str, ...]
    tongban: str
    rongque_materials: int


@dataclass(frozen=True)
class HallInfo:
    hall_id: int
    kind: str
    clerk_ids: tuple[int, ...]


@dataclass
class Row:
    """One application case as column values."""

    number: str
    status: str
    title: str
    channel: str
    person_id: int | None
    enterprise_id: int | None
    office_id: int
    receiving_hall_id: int | None
    return_hall_id: int | None
    received_by_id: int | None
    received_at: datetime
    accepted_on: date | None
    decided_on: date | None
    due_date: date | None
    timeliness: str
    closed_at: datetime | None
    item: ItemInfo
    delivery_method: str
    rongque: bool
    rongque_promise_days: int
    rongque_materials: int
    rongque_deadline: date | None
    rongque_supplied_on: date | None
    decision_reason: str
    deemed_accepted: bool
    correction_given: bool
    extended: bool
    public_token: str
    tracking_number: str = ""
    pending_request: str = ""  # not_accept / reject / extension
    extra: dict[str, Any] = field(default_factory=dict)


OPEN_MIX = [
    ("submitted", 6),
    ("received", 6),
    ("pre_review", 4),
    ("correction", 5),
    ("refusal_pending", 2),
    ("accepted", 10),
    ("under_review", 30),
    ("suspended", 4),
    ("rejection_pending", 2),
    ("approved", 5),
    ("result_ready", 6),
]
DONE_MIX = [
    ("closed", 80),
    ("delivered", 5),
    ("not_accepted", 3),
    ("withdrawn", 3),
    ("terminated", 1),
    ("rejected", 2),
]
PRE_ACCEPT = frozenset({"submitted", "received", "pre_review", "correction", "refusal_pending"})
REASONS = [
    "conditions_unmet",
    "materials_false",
    "not_competent",
    "correction_unanswered",
    "prohibited",
    "not_licensable",
    "other_legal",
]


def _pick(rng: random.Random, mix: Sequence[tuple[str, int]]) -> str:
    total = sum(w for _s, w in mix)
    x = rng.uniform(0, total)
    for s, w in mix:
        x -= w
        if x <= 0:
            return s
    return mix[-1][0]


def synthesize(  # noqa: C901 - generates every field of a synthetic case in one pass
    *,
    n: int,
    items: Sequence[ItemInfo],
    halls: Sequence[HallInfo],
    persons: Sequence[tuple[int, str]],
    enterprises: Sequence[tuple[int, str]],
    cal: Any,
    today: date,
    days_back: int = 365,
    seed: int = 7,
    counters: dict[tuple[str, int], int] | None = None,
) -> Iterator[Row]:
    """``n`` cases received over the last ``days_back`` days (more recent ones more often still open).
    ``counters`` (office code, year) → last sequence number is updated in place."""
    rng = random.Random(seed)
    counters = counters if counters is not None else {}
    halls_by_kind: dict[str, list[HallInfo]] = {}
    for h in halls:
        halls_by_kind.setdefault(h.kind, []).append(h)
    district_halls = halls_by_kind.get("district", []) + halls_by_kind.get("street", [])
    for _ in range(n):
        item = items[rng.randrange(len(items))]
        age = int(rng.triangular(0, days_back, 0))
        day = today - timedelta(days=age)
        limit = item.committed
        expected_done = cal.add_workdays(day, max(limit, 1)) if limit else day
        open_case = expected_done >= today - timedelta(days=3) and rng.random() < 0.8
        status = _pick(rng, OPEN_MIX if open_case else DONE_MIX)
        if open_case:
            # Open cases were mostly received within their time limit: a few are late, most are not.
            span = 6 if status in PRE_ACCEPT else max(limit, 2) * 7 // 5 + (3 if rng.random() < 0.1 else 0)
            day = today - timedelta(days=rng.randint(0, span))
        if not cal.is_workday(day):
            day = cal.next_workday(day) if cal.next_workday(day) <= today else day - timedelta(days=2)
        received_at = datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)), tzinfo=TZ)
        online = item.no_visit or rng.random() < 0.35
        hall = None
        if not online:
            choices = [h for lv in item.levels for h in halls_by_kind.get(lv, [])]
            if item.tongban == "district" and district_halls and rng.random() < 0.3:
                choices = district_halls
            hall = rng.choice(choices or district_halls or list(halls))
        key = (item.office_code, day.year)
        counters[key] = counters.get(key, 0) + 1
        number = f"{item.office_code}{day.year}{counters[key]:06d}"
        ent = enterprises[rng.randrange(len(enterprises))] if enterprises and rng.random() < 0.4 else None
        person = persons[rng.randrange(len(persons))]
        token = (ent[1] if ent else person[1])[-4:]
        rongque = (
            item.rongque_materials > 0
            and status
            not in {
                "submitted",
                "received",
                "pre_review",
                "correction",
                "refusal_pending",
                "not_accepted",
                "withdrawn",
            }
            and rng.random() < 0.25
        ) or status == "terminated"
        accepted = status not in {
            "submitted",
            "received",
            "pre_review",
            "correction",
            "refusal_pending",
            "not_accepted",
        } and not (status == "withdrawn" and rng.random() < 0.5)
        deemed = accepted and rng.random() < 0.01
        accepted_on = (
            day
            if deemed
            else (min(cal.add_workdays(day, rng.choice([0, 0, 0, 1])), today) if accepted else None)
        )
        if accepted_on and accepted_on == day and not cal.is_workday(day):
            accepted_on = day
        extended = accepted and rng.random() < 0.02
        due = None
        if accepted_on is not None:
            due = cal.add_workdays(accepted_on, limit + (10 if extended else 0)) if limit else accepted_on
        elif status in {"submitted", "received", "pre_review", "correction", "refusal_pending"}:
            due = cal.add_workdays(day, 5)
        decided_on = None
        timeliness = ""
        if status in {"approved", "rejected", "result_ready", "delivered", "closed"} and accepted_on and due:
            r = rng.random()
            if r < 0.55 and due > accepted_on:
                span = max(cal.workdays_between(accepted_on, due) - 1, 0)
                decided_on = cal.add_workdays(accepted_on, rng.randint(0, span)) if span else accepted_on
                timeliness = "early" if decided_on < due else "on_time"
            elif r < 0.97:
                decided_on, timeliness = due, "on_time"
            else:
                decided_on, timeliness = cal.add_workdays(due, rng.randint(1, 3)), "late"
            decided_on = min(decided_on, today)
            timeliness = "early" if decided_on < due else ("on_time" if decided_on == due else "late")
        if status == "not_accepted":
            decided_on = min(cal.add_workdays(day, 2), today)
        reason = (
            rng.choice(REASONS)
            if status in {"rejected", "not_accepted"}
            or (status in {"result_ready", "delivered", "closed"} and decided_on and rng.random() < 0.03)
            else ""
        )
        promise_days = rng.randint(2, max(2, min(limit or 5, 10))) if rongque else 0
        r_deadline = cal.add_workdays(accepted_on, promise_days) if rongque and accepted_on else None
        supplied = None
        if (
            rongque
            and r_deadline
            and status not in {"terminated"}
            and (status in {"result_ready", "delivered", "closed"} or rng.random() < 0.6)
        ):
            supplied = min(cal.add_workdays(accepted_on, rng.randint(1, promise_days)), today)
        method = (
            "post"
            if item.no_visit or (online and rng.random() < 0.6)
            else ("electronic" if rng.random() < 0.15 else "pickup")
        )
        if method == "pickup" and hall is None:
            method = "post"
        closed_at = None
        if status in {"closed", "not_accepted", "withdrawn", "terminated"}:
            end = decided_on or accepted_on or day
            closed_at = datetime.combine(min(cal.add_workdays(end, 1), today), time(16, 0), tzinfo=TZ)
        pending = {"refusal_pending": "not_accept", "rejection_pending": "reject"}.get(status, "")
        if not pending and status in {"under_review", "suspended"} and not extended and rng.random() < 0.05:
            pending = "extension"
        yield Row(
            number=number,
            status=status,
            title=item.name,
            channel="online" if online else "window",
            person_id=None if ent else person[0],
            enterprise_id=ent[0] if ent else None,
            office_id=item.office_id,
            receiving_hall_id=hall.hall_id if hall else None,
            return_hall_id=hall.hall_id if (hall and method == "pickup") else None,
            received_by_id=rng.choice(hall.clerk_ids) if hall and hall.clerk_ids else None,
            received_at=received_at,
            accepted_on=accepted_on,
            decided_on=decided_on,
            due_date=due,
            timeliness=timeliness,
            closed_at=closed_at,
            item=item,
            delivery_method=method,
            rongque=rongque,
            rongque_promise_days=promise_days,
            rongque_materials=min(item.rongque_materials, rng.randint(1, 2)) if rongque else 0,
            rongque_deadline=r_deadline,
            rongque_supplied_on=supplied,
            decision_reason=reason,
            deemed_accepted=deemed,
            correction_given=status == "correction" or rng.random() < 0.05,
            extended=extended,
            public_token=token,
            tracking_number=f"SF{rng.randrange(10**11, 10**12)}"
            if method == "post" and status in {"delivered", "closed"}
            else "",
            pending_request=pending,
        )


# --- what the generator draws from: the demo catalogue, halls and clerks, and people ---------------


def infos() -> tuple[list[Any], list[Any]]:
    from yiwang.accounts.models import Hall, RoleGrant
    from yiwang.catalogue.models import Item

    items = []
    for it in Item.objects.filter(status="published", current_version__isnull=False).select_related(
        "office", "current_version"
    ):
        snap = it.current_version.snapshot  # type: ignore[union-attr]
        mats = [m for m in snap.get("materials", []) if m.get("source", "applicant") == "applicant"]
        items.append(
            ItemInfo(
                item_id=it.pk,
                version_id=int(it.current_version_id or 0),
                department_id=it.department_id,
                office_id=it.office_id,
                office_code=it.office.code,
                name=it.name,
                committed=it.committed_limit_days,
                legal=it.legal_limit_days,
                instant=it.handling_kind == "1",
                no_visit=it.no_visit,
                levels=tuple(it.levels) or ("district",),
                tongban=it.tongban,
                rongque_materials=sum(1 for m in mats if m.get("rongque_allowed")),
            )
        )
    clerks: dict[int, list[int]] = {}
    for g in RoleGrant.objects.filter(role="clerk", user__hall__isnull=False).select_related("user"):
        clerks.setdefault(g.user.hall_id, []).append(g.user_id)  # type: ignore[arg-type]
    halls = [HallInfo(h.pk, h.kind, tuple(clerks.get(h.pk, ()))) for h in Hall.objects.all()]
    return items, halls


def people(ctx: Any, n: int = 400) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    from yiwang.accounts.models import Enterprise, Person
    from yiwang.demo.loaders.accounts import resident_id

    surnames = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    )
    given = [
        "伟",
        "芳",
        "娜",
        "敏",
        "静",
        "丽",
        "强",
        "磊",
        "军",
        "洋",
        "勇",
        "艳",
        "杰",
        "娟",
        "涛",
        "明",
        "超",
        "秀英",
        "霞",
        "平",
        "刚",
        "桂英",
        "华",
        "建国",
        "晓东",
        "海燕",
        "玉兰",
        "志强",
        "文",
        "欣怡",
    ]
    existing = {n for n in Person.objects.values_list("id_number", flat=True) if n.startswith("440307")}
    new = []
    for i in range(n):
        birth = f"{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}"
        idn = resident_id("440307", birth, 100 + i % 800)
        if idn in existing:
            continue
        existing.add(idn)
        new.append(
            Person(
                name=surnames[i % len(surnames)] + given[(i * 7) % len(given)],
                id_number=idn,
                mobile=f"13{(i * 7919) % 10**9:09d}"[:11],
                address="深圳市龙岗区",
            )
        )
    Person.objects.bulk_create(new, ignore_conflicts=True)
    ctx.count("natural persons", len(new))
    persons = list(Person.objects.values_list("pk", "id_number"))
    enterprises = list(Enterprise.objects.values_list("pk", "credit_code"))
    return persons, enterprises
