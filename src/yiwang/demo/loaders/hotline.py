"""The demo district's 12345 hotline (docs/adr/0072-hotline-demo-year.md).

Configuration first — the classification tree and the dispatch catalogue, as an administrator would enter
them. Then the seeds' year 2019, reproduced exactly (53,188 tickets with the seeds' category counts, 50,561
finished within the year, none overdue, 86 on the business-environment line, all finished): a closed
archive, written in bulk (``executemany``, 2,000 rows per statement) as an import of the old
platform's records would be, because walking 53,188 tickets through the services would take the demo from
under a minute to over an hour. Last, a handful of today's tickets walked through the real services, so
every board has something on it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from yiwang.accounts.models import Community, Office, Street, User
from yiwang.audit.services import audit_record
from yiwang.cases.models import Case, CaseAssignment, CaseNumberCounter, CaseParty
from yiwang.cases.states import state_key
from yiwang.demo.context import DemoContext, data_json
from yiwang.hotline import services as hs
from yiwang.hotline import workflow as wf
from yiwang.hotline.models import Category, DispatchRule, Ticket
from yiwang.hotline.vocabulary import config
from yiwang.workdays.calendar import get_calendar

BATCH = 2000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = [
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
    "华",
]
TITLES = {
    "consultation": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "praise": "表扬",
}


def tree(ctx: DemoContext, data: dict[str, Any]) -> dict[str, Category]:
    """The classification tree and the dispatch catalogue (idempotent)."""
    cats: dict[str, Category] = {}
    offices = {o.code: o for o in Office.objects.all()}
    for order, row in enumerate(data["categories"], start=1):
        top, created = Category.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "business_line": bool(row.get("business_line")),
                "order": order,
            },
        )
        ctx.count("hotline categories", int(created))
        cats[top.code] = top
        _rule(ctx, top, None, offices.get(f"{row['department']}01"))
        for i, child in enumerate(row["children"], start=1):
            sub, created = Category.objects.get_or_create(
                code=child[0], defaults={"name": child[1], "name_en": child[2], "parent": top, "order": i}
            )
            ctx.count("hotline categories", int(created))
            cats[sub.code] = sub
            if len(child) > 3:
                _rule(ctx, sub, None, offices.get(f"{child[3]}01"))
    for code, street_code in data["street_rules"]:
        street = Street.objects.filter(code=street_code).first()
        _rule(ctx, cats[code], street, offices.get(f"ST{street_code[-3:]}01"))
    _rule(ctx, None, None, offices.get(config("centre_office")))
    return cats


def _rule(ctx: DemoContext, category: Category | None, street: Street | None, office: Office | None) -> None:
    if office is None:
        return
    _rule_row, created = DispatchRule.objects.get_or_create(
        category=category, street=street, defaults={"office": office}
    )
    ctx.count("dispatch rules", int(created))


# --- the year 2019, in bulk -------------------------------------------------------------------------


def _plan(data: dict[str, Any], rng: random.Random, total: int, finished: int) -> list[str]:
    """The top category of each ticket, in order of receipt (the seeds' counts, scaled to ``total``), the
    business line never among the last ones (those still being handled at the year's end)."""
    base = sum(c["count_2019"] for c in data["categories"])
    counts = {c["code"]: c["count_2019"] * total // base for c in data["categories"]}
    counts[data["categories"][0]["code"]] += total - sum(counts.values())
    tops = [code for code, n in counts.items() for _ in range(n)]
    rng.shuffle(tops)
    spill = total - finished
    late = range(len(tops) - spill, len(tops))
    biz_late = [i for i in late if tops[i] == "biz"]
    swap = (i for i in range(len(tops) - spill) if tops[i] != "biz")
    for i in biz_late:
        j = next(swap)
        tops[i], tops[j] = tops[j], tops[i]
    return tops


def _moments(n: int, year: int, rng: random.Random) -> list[datetime]:
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    seconds = (datetime(year + 1, 1, 1, tzinfo=tz) - start).total_seconds()
    out = []
    for _ in range(n):
        at = start + timedelta(seconds=rng.random() * seconds)
        hour = 8 + int(rng.random() * 13)  # calls between 08:00 and 21:00
        out.append(at.replace(hour=hour))
    return sorted(out)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


class _Year:
    """Everything one row of the archive needs, drawn once."""

    def __init__(self, data: dict[str, Any], cats: dict[str, Category], rng: random.Random) -> None:
        self.data, self.cats, self.rng = data, cats, rng
        self.children = {c["code"]: [k[0] for k in c["children"]] for c in data["categories"]}
        self.types = list(data["types"])
        self.weights = list(data["types"].values())
        self.communities = list(Community.objects.select_related("street").order_by("code"))
        self.offices = {o.code: o for o in Office.objects.all()}
        self.rules = {
            (r.category_id, r.street_id): r.office for r in DispatchRule.objects.select_related("office")
        }
        self.cal = get_calendar()
        self.year_end = datetime(int(data["year"]) + 1, 1, 1, tzinfo=timezone.get_current_timezone())

    def office(self, cat: Category, street: Street) -> Office:
        for c in (cat, cat.parent) if cat.parent_id else (cat,):
            if c is None:
                continue
            for key in ((c.pk, street.pk), (c.pk, None)):
                if key in self.rules:
                    return self.rules[key]
        return self.rules[(None, None)]

    def leaf(self, top: str) -> Category:
        kids = self.children[top]
        return self.cats[self.rng.choice(kids)] if kids and self.rng.random() < 0.8 else self.cats[top]

    def replied(self, received: datetime, due_end: datetime, spill: bool) -> datetime:
        if spill:  # handled across the new year, still in time
            begin = max(self.year_end + timedelta(hours=9), received)
            return begin + (due_end - begin) * (0.1 + 0.8 * self.rng.random())
        end = min(due_end, self.year_end - timedelta(hours=1))
        return received + (end - received) * (0.15 + 0.8 * self.rng.random())


def archive_year(
    data: dict[str, Any],
    cats: dict[str, Category],
    *,
    year: int,
    total: int | None = None,
    advance: Any = None,
) -> int:
    """Write one closed year of tickets in bulk (the seeds' shape, scaled to ``total``): returns how many.
    Also used by ``bench/hotline.py`` to build ten years."""
    total = total or int(data["total"])
    finished = total * int(data["finished"]) // int(data["total"])
    centre = Office.objects.get(code=config("centre_office"))
    rng = random.Random(year)
    tops = _plan(data, rng, total, finished)
    moments = _moments(len(tops), year, rng)
    y = _Year(data, cats, rng)
    y.year_end = datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    limits = config("limits")
    for start in range(0, len(tops), BATCH):
        rows = []
        for i in range(start, min(start + BATCH, len(tops))):
            spill = i >= finished
            kind = rng.choice(("complaint", "report")) if spill else rng.choices(y.types, y.weights)[0]
            received = moments[i]
            due = y.cal.add_workdays(timezone.localdate(received), int(limits[kind]))
            due_end = _end_of(due)
            replied = y.replied(received, due_end, spill)
            community = rng.choice(y.communities)
            cat = y.leaf(tops[i])
            rows.append((i, kind, received, due, due_end, replied, community, cat))
        _write(rows, y, centre, year)
        if advance is not None:
            advance(len(rows))
    CaseNumberCounter.objects.update_or_create(
        kind=wf.KIND, office=centre, year=year, defaults={"last": len(tops)}
    )
    return len(tops)


def _history(ctx: DemoContext, data: dict[str, Any], cats: dict[str, Category]) -> None:
    year = int(data["year"])
    if Case.objects.filter(kind=wf.KIND, number__startswith=f"RX{year}").exists():
        return
    task = ctx.progress.add_task(f"hotline {year}", total=int(data["total"]))
    n = archive_year(data, cats, year=year, advance=lambda k: ctx.progress.advance(task, k))
    ctx.count("hotline tickets (2019 archive)", n)
    audit_record(actor=None, action="hotline.history_import", data={"year": year, "tickets": n})


def _insert(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """One multi-row ``executemany`` INSERT of already-adapted values: Django's ``bulk_create`` spends most of
    its time preparing each value through its field, ten times more than the database takes to store it."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608 - names from the models


def _write(rows: list[tuple[Any, ...]], y: _Year, centre: Office, year: int) -> None:
    rng = y.rng
    dt, day = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
    now = dt(timezone.now())
    state = state_key(wf.KIND, "closed")
    cases, details = [], []
    for i, kind, received, due, due_end, replied, community, cat in rows:
        closed = replied + timedelta(hours=2 + 20 * rng.random())
        office = y.office(cat, community.street)
        number = f"RX{year}{i + 1:07d}"
        channel = Case.Channel.HOTLINE if rng.random() < 0.9 else Case.Channel.ONLINE
        timeliness = "early" if timezone.localdate(replied) < due else "on_time"
        cases.append(
            (number, wf.KIND, "closed", state, False, 1, f"{cat.name}：{TITLES[kind]}", str(channel), office.pk,
             day(due), dt(due_end), now, dt(received), day(timezone.localdate(replied)), dt(closed), timeliness, now)
        )  # fmt: skip
        details.append((number, kind, received, replied, closed, community, cat, office))
    _insert(
        Case,
        ["number", "kind", "status", "state_id", "is_open", "version", "title", "channel", "owning_office_id",
         "due_date", "due_at", "created_at", "received_at", "decided_on", "closed_at", "timeliness", "updated_at"],
        cases,
    )  # fmt: skip
    ids = dict(Case.objects.filter(number__in=[d[0] for d in details]).values_list("number", "pk"))
    tickets, parties, leads = [], [], []
    for number, kind, received, replied, closed, community, cat, office in details:
        pk = ids[number]
        anonymous = rng.random() < 0.05
        phone = "" if anonymous else f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        rating = rng.choices(("satisfied", "basic", "unsatisfied"), (0.86, 0.11, 0.03))[0]
        business = bool(cat.business_line or (cat.parent and cat.parent.business_line))
        tickets.append(
            (pk, kind, cat.pk, "normal", business, f"{community.name}{cat.name}问题（{TITLES[kind]}）",
             f"{community.street.name}{community.name}", community.street_id, community.pk, hs.phone_key(phone),
             phone[-4:], office.pk, dt(received + timedelta(minutes=20 + 200 * rng.random())),
             dt(received + timedelta(hours=1 + 3 * rng.random())), 0, "已核查处理", "已按规定处理并答复来电人",
             dt(replied), rating, dt(closed), 0, "", "")
        )  # fmt: skip
        name = "" if anonymous else rng.choice(SURNAMES) + rng.choice(GIVEN)
        parties.append((pk, "caller", name, phone, "", anonymous, dt(received)))
        leads.append((pk, CaseAssignment.LEAD, office.pk, dt(received), ""))
    _insert(
        Ticket,
        ["case_id", "type", "category_id", "urgency", "business_line", "description", "address", "street_id",
         "community_id", "phone_key", "phone_last4", "suggested_office_id", "dispatched_at", "accepted_at", "returns",
         "handling", "reply", "replied_at", "rating", "rated_at", "reopened", "source", "token"],
        tickets,
    )  # fmt: skip
    _insert(CaseParty, ["case_id", "role", "name", "phone", "address", "anonymous", "since"], parties)
    _insert(CaseAssignment, ["case_id", "role", "office_id", "since", "reason"], leads)


# --- today's tickets, through the services ------------------------------------------------------------


def _staff(role: str, office: Office | None = None) -> User | None:
    qs = User.objects.filter(kind="staff", role_grants__role=role, is_active=True)
    if office is not None:
        qs = qs.filter(office=office)
    login = (
        qs.filter(username__in=["operator", "dispatcher", "reviewer", "supervisor"]).order_by("id").first()
    )
    return login or qs.order_by("id").first()


LIVE = [
    # (type, category, urgency, description, community index, what happens)
    ("complaint", "market", "normal", "超市出售过期食品", 0, "accepted"),
    ("consultation", "market", "normal", "个体户营业执照注销流程咨询", 3, "dispatched"),
    ("complaint", "market", "urgent", "餐馆后厨卫生问题，多人腹泻", 5, "accepted"),
    ("report", "market", "normal", "无证经营的流动摊贩", 7, "replied"),
    ("help", "env-noise", "normal", "工地夜间施工噪音扰民", 12, "received"),
    ("help", "env-noise", "normal", "工地夜间施工噪音，昨晚到凌晨两点", 12, "duplicate"),
    ("suggestion", "transport-bus", "normal", "建议增加早高峰公交班次", 20, "received"),
    ("complaint", "urban-sanitation", "normal", "小区门口垃圾堆积", 30, "returned"),
    ("help", "biz-permit", "normal", "企业开办审批材料咨询", 40, "closed"),
]


def _live(ctx: DemoContext) -> None:
    if Case.objects.filter(kind=wf.KIND, received_at__date__gte=ctx.today - timedelta(days=30)).exists():
        return
    operator, dispatcher = _staff("hotline_operator"), _staff("dispatcher")
    if operator is None or dispatcher is None:
        return
    communities = list(Community.objects.order_by("code"))
    first_noise = None
    for n, (kind, cat, urgency, text, ci, what) in enumerate(LIVE):
        data = hs.TicketInput(
            type=kind,
            category=cat,
            urgency=urgency,
            description=text,
            caller_name=SURNAMES[n] + "先生",
            caller_phone=f"1390755{n:04d}",
            community=communities[ci % len(communities)].code,
        )
        case = hs.ticket_receive(actor=operator, data=data)
        ctx.count("hotline tickets (today)")
        if what == "duplicate" and first_noise is not None:
            hs.ticket_merge(actor=operator, case_id=case.pk, into_id=first_noise.pk, reason="重复来电")
            continue
        if cat == "env-noise":
            first_noise = case
        if what == "received":
            continue
        case = hs.ticket_dispatch(actor=dispatcher, case_id=case.pk)
        handler = _staff("reviewer", case.owning_office)
        if what == "dispatched" or handler is None:
            continue
        if what == "returned":
            hs.ticket_return(actor=handler, case_id=case.pk, reason="不属本单位职责，建议转街道")
            continue
        hs.ticket_accept(actor=handler, case_id=case.pk)
        if what == "accepted":
            continue
        hs.ticket_reply(
            actor=handler, case_id=case.pk, handling="已现场核查并处理", reply="您反映的问题已处理完毕"
        )
        if what == "closed":
            hs.ticket_callback(actor=operator, case_id=case.pk, rating="satisfied")


def load(ctx: DemoContext) -> None:
    if not Office.objects.filter(code=config("centre_office")).exists():
        return
    data = data_json("hotline.json")
    cats = tree(ctx, data)
    _history(ctx, data, cats)
    _live(ctx)
