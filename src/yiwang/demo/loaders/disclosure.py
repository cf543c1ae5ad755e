"""The demo district's 2019 government information disclosure (docs/capabilities.md C18): 125 requests
answered on time with every reply type (21 from one foundation), and the 双公示 column's 8,224 licence and
6,626 penalty publications. A finished year is archived through bulk inserts of the same rows the services
write (masked on the way in); loading again changes nothing."""

from __future__ import annotations

import copy
import functools
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import Office
from yiwang.cases.models import Case, CaseNumberCounter, CaseParty
from yiwang.cases.numbering import format_number
from yiwang.cases.states import state_key
from yiwang.core.masking import mask_id
from yiwang.disclosure import workflow as wf
from yiwang.disclosure.models import (
    DisclosureItem,
    DisclosureRequest,
    Interpretation,
    NormativeDocument,
    PenaltyDecision,
    Publication,
)
from yiwang.disclosure.publications import PublicationInput, publication_row
from yiwang.disclosure.services import identity_key
from yiwang.disclosure.vocabulary import FIVE_DISCLOSURES, KEY_AREAS, REPLY_TYPES, config
from yiwang.workdays.calendar import get_calendar

if TYPE_CHECKING:
    from yiwang.demo.context import DemoContext
    from yiwang.workdays.engine import WorkCalendar

YEAR = 2019
REQUESTS, FOUNDATION, LICENCES, PENALTIES = 125, 21, 8224, 6626
KEY_AREA_ITEMS, FIVE_ITEMS, INTERPRETATIONS, OF_NORMATIVE = 670, 277, 26, 2
# The register: documents issued in 2019, and older ones reviewed in the year's clean-up.
NORMATIVE_2019, NORMATIVE_OLDER, REPEALED_2019, AMENDED_2019 = 9, 24, 7, 3
# How the 125 were answered (every type at least once).
REPLY_PLAN = {
    "disclosed": 58,
    "already_public": 22,
    "partly_disclosed": 9,
    "not_disclosed": 6,
    "does_not_exist": 12,
    "not_this_office": 10,
    "repeated": 4,
    "not_government_information": 4,
}
CONTENT = {
    "already_public": {"where": "区政府门户网站政府信息公开专栏"},
    "disclosed": {"how": "以电子数据形式提供"},
    "partly_disclosed": {"how": "提供项目概况", "withheld": "涉及个人信息的部分", "ground": "third_party"},
    "not_disclosed": {"ground": "internal"},
    "not_this_office": {"right_office": "市规划和自然资源局"},
    "repeated": {"earlier": "前次申请"},
}
TOPICS = ["education", "housing", "planning", "environment", "social_assistance"]


def _offices() -> list[Office]:
    return list(Office.objects.filter(department__isnull=False).order_by("code")[:40])


def _requests(offices: list[Office], rng: random.Random) -> None:
    cal = get_calendar()
    office = offices[0]
    types = [t for t, n in REPLY_PLAN.items() for _ in range(n)]
    assert len(types) == REQUESTS and set(types) == set(REPLY_TYPES)
    rng.shuffle(types)
    tz = timezone.get_current_timezone()
    cases, extras = [], []
    for i in range(REQUESTS):
        received = cal.add_workdays(date(YEAR, 1, 2), rng.randrange(0, 200))
        replied = cal.add_workdays(received, rng.randrange(3, 19))
        foundation = i < FOUNDATION
        number = format_number(office_code=office.code, year=YEAR, seq=i + 1, kind=wf.KIND)
        cases.append(
            Case(
                number=number,
                kind=wf.KIND,
                status="replied",
                state_id=state_key(wf.KIND, "replied"),
                is_open=False,
                title=f"政府信息公开申请 {number}",
                channel=rng.choice(["online", "window", "post"]),
                owning_office=office,
                received_at=datetime.combine(received, time(10, 0), tz),
                accepted_on=received,
                decided_on=replied,
                due_date=cal.add_workdays(received, 20),
                closed_at=datetime.combine(replied, time(16, 0), tz),
                timeliness="early",
            )
        )
        name = "龙岗区启明教育基金会" if foundation else f"申请人{i:03d}"
        ident = "53440307MJL000001X" if foundation else f"4403071980{i:04d}0011"
        topic = rng.choice(TOPICS[:2]) if foundation else rng.choice(TOPICS)
        extras.append((name, ident, topic, received, replied, types[i], foundation))
    Case.objects.bulk_create(cases, batch_size=500)
    CaseParty.objects.bulk_create(
        [CaseParty(case=c, role="applicant", name=e[0]) for c, e in zip(cases, extras, strict=True)]
    )
    counts: dict[str, int] = {}
    rows = []
    for c, (name, ident, topic, received, replied, rtype, foundation) in zip(cases, extras, strict=True):
        key = identity_key(ident)
        counts[f"{key}{received:%Y%m}"] = n = counts.get(f"{key}{received:%Y%m}", 0) + 1
        rows.append(
            DisclosureRequest(
                case=c,
                applicant_type="organisation" if foundation else "person",
                applicant_name=name,
                applicant_key=key,
                id_masked=mask_id(ident),
                id_last4=ident[-4:],
                form="electronic",
                description=f"申请公开{topic}领域相关政府信息",
                topic=topic,
                submitted_at=c.received_at or timezone.now(),
                receipt_date=received,
                month_ordinal=n,
                reply_type=rtype,
                reply=CONTENT.get(rtype, {}),
                replied_on=replied,
            )
        )
    DisclosureRequest.objects.bulk_create(rows, batch_size=500)


def _memo_calendar() -> WorkCalendar:
    """A copy of the calendar whose day arithmetic is memoised (a year of bulk rows repeats few dates)."""
    cal = copy.copy(get_calendar())
    cal.add_workdays = functools.lru_cache(maxsize=8192)(cal.add_workdays)  # type: ignore[method-assign]
    return cal


def _publications(offices: list[Office], rng: random.Random) -> None:
    cal = _memo_calendar()
    today = date(YEAR, 12, 31)
    days = [date(YEAR, 1, 1) + timedelta(d) for d in range(365)]
    workdays = [d for d in days if cal.is_workday(d)]
    pubs: list[Publication] = []
    for i in range(LICENCES):
        decided = rng.choice(workdays)
        legal = i % 3 != 0
        row = publication_row(
            PublicationInput(
                kind="licence",
                source_key=f"demo-licence:{i}",
                decision_number=f"深龙许〔{YEAR}〕{i + 1}号",
                title=rng.choice(
                    ["食品经营许可", "公共场所卫生许可", "建设工程规划许可", "道路运输经营许可"]
                ),
                party_kind="legal" if legal else "natural",
                party_name=f"示范企业{i:05d}有限公司" if legal else f"许可人{i:05d}",
                office=offices[i % len(offices)],
                decided_on=decided,
                credit_code=f"91440307MA5{i:07d}" if legal else "",
                id_number="" if legal else f"44030719800101{i % 10000:04d}",
            ),
            today=today,
            cal=cal,
        )
        row.published_on = min(cal.add_workdays(decided, rng.randrange(0, 7)), row.publish_by)
        pubs.append(row)
    penalties = []
    for i in range(PENALTIES):
        decided = rng.choice(workdays)
        legal = i % 4 != 0
        penalties.append(
            PenaltyDecision(
                number=f"深龙罚〔{YEAR}〕{i + 1}号",
                party_kind="legal" if legal else "natural",
                party_name=f"受罚企业{i:05d}有限公司" if legal else f"当事人{i:05d}",
                credit_code=f"91440307MA6{i:07d}" if legal else "",
                facts="未按规定办理相关手续",
                basis="《中华人民共和国行政处罚法》",
                penalty="警告，罚款",
                amount_yuan=Decimal(rng.choice([500, 1000, 2000, 5000])),
                office=offices[i % len(offices)],
                decided_on=decided,
            )
        )
    PenaltyDecision.objects.bulk_create(penalties, batch_size=2000)
    for p in penalties:
        row = publication_row(
            PublicationInput(
                kind="penalty",
                source_key=f"penalty:{p.pk}",
                decision_number=p.number,
                title=p.penalty,
                party_kind=p.party_kind,
                party_name=p.party_name,
                office=p.office,
                decided_on=p.decided_on,
                credit_code=p.credit_code,
                content=p.facts,
                basis=p.basis,
            ),
            today=today,
            cal=cal,
        )
        row.published_on = min(cal.add_workdays(p.decided_on, rng.randrange(0, 7)), row.publish_by)
        pubs.append(row)
    Publication.objects.bulk_create(pubs, batch_size=2000)


KEY_TITLES = {
    "fiscal": "{y}年部门预算公开",
    "construction": "重大建设项目批准和实施信息（第{n}批）",
    "resources": "公共资源交易结果公示（第{n}期）",
    "environment": "环境监测信息（第{n}期）",
    "housing": "保障性住房分配结果公示（第{n}批）",
    "safety": "安全生产执法检查情况（第{n}期）",
    "assistance": "社会救助对象公示（第{n}期）",
}
FIVE_TITLES = {
    "decision": "重大行政决策事项目录（第{n}号）",
    "execution": "重点工作推进情况（第{n}期）",
    "management": "行政管理事项公告（第{n}号）",
    "service": "办事服务指南更新（第{n}期）",
    "result": "重点工作落实结果（第{n}期）",
}


def _proactive_items(offices: list[Office], rng: random.Random, workdays: list[date]) -> None:
    """670 key-area and 277 five-disclosure items of 2019, each public within its 20 working days."""
    cal = _memo_calendar()
    days = int(config("item_publish_days"))
    items = []
    plan = [(list(KEY_AREAS)[i % len(KEY_AREAS)], KEY_TITLES) for i in range(KEY_AREA_ITEMS)]
    plan += [(list(FIVE_DISCLOSURES)[i % len(FIVE_DISCLOSURES)], FIVE_TITLES) for i in range(FIVE_ITEMS)]
    for n, (column, titles) in enumerate(plan):
        formed = rng.choice(workdays[:-25])
        published = cal.add_workdays(formed, rng.randrange(1, days + 1))
        title = titles[column].format(y=YEAR, n=n // 7 + 1)
        body = f"<p>{title}。</p><p>根据《中华人民共和国政府信息公开条例》第二十条予以主动公开。</p>"
        items.append(
            DisclosureItem(
                column=column,
                title=title,
                body=body,
                public_title=title,
                public_body=body,
                office=offices[n % len(offices)],
                formed_on=formed,
                publish_by=cal.add_workdays(formed, days),
                pending=False,
                first_published_on=published,
                published_on=published,
            )
        )
    DisclosureItem.objects.bulk_create(items, batch_size=1000)


def _normative(offices: list[Office], rng: random.Random) -> list[NormativeDocument]:
    """The register: 9 documents issued in 2019, and 24 older ones of which the 2019 clean-up repealed 7 and
    amended 3 (the numbers taken from each office's counter, so a later registration follows on)."""
    abbr = str(config("normative_abbreviation"))
    taken: dict[tuple[int, int], int] = {}
    docs = []
    years = [YEAR] * NORMATIVE_2019 + [2015 + i % 4 for i in range(NORMATIVE_OLDER)]
    for n, year in enumerate(years):
        office = offices[n % min(len(offices), 6)]
        seq = taken[(office.pk, year)] = taken.get((office.pk, year), 0) + 1
        issued = date(year, 1 + n % 12, 1 + n % 27)
        docs.append(
            NormativeDocument(
                office=office,
                year=year,
                number=f"{office.document_code or office.code}{abbr}〔{year}〕{seq}号",
                title=f"{office.name}关于规范{rng.choice(['行政审批', '政务服务', '市场监管', '社会救助'])}工作的若干规定",
                body="第一条 为规范相关工作，制定本规定。\n第二条 本规定自印发之日起施行。",
                issued_on=issued,
                effective_on=issued,
            )
        )
    older = [d for d in docs if d.year < YEAR]
    for d in older[:REPEALED_2019]:
        d.status, d.status_on, d.status_note = (
            "repealed",
            date(YEAR, 11, 30),
            "2019年规范性文件清理，决定废止",
        )
    for d in older[REPEALED_2019 : REPEALED_2019 + AMENDED_2019]:
        d.status, d.status_on, d.status_note = "amended", date(YEAR, 11, 30), "2019年规范性文件清理，决定修改"
    NormativeDocument.objects.bulk_create(docs)
    CaseNumberCounter.objects.bulk_create(
        [
            CaseNumberCounter(kind="doc:normative", office_id=office_id, year=year, last=last)
            for (office_id, year), last in taken.items()
        ],
        ignore_conflicts=True,
    )
    return docs


def _interpretations(offices: list[Office], docs: list[NormativeDocument], workdays: list[date]) -> None:
    """26 interpretations of 2019: 2 of normative documents issued that year, the rest of other policies."""
    of_2019 = [d for d in docs if d.year == YEAR][:OF_NORMATIVE]
    forms = ["text", "graphic", "video"]
    rows = []
    for n in range(INTERPRETATIONS):
        doc = of_2019[n] if n < OF_NORMATIVE else None
        form = forms[n % 3]
        rows.append(
            Interpretation(
                title=f"《{doc.title if doc else f'龙岗区支持企业发展若干措施（第{n}项）'}》政策解读",
                form=form,
                body="" if form == "video" else "一、制定背景；二、主要内容；三、适用对象；四、办理方式。",
                link="https://www.lg.gov.cn/" if form == "video" else "",
                document=doc,
                policy_title="" if doc else f"龙岗区支持企业发展若干措施（第{n}项）",
                office=doc.office if doc else offices[n % len(offices)],
                published_on=max(doc.issued_on, workdays[n * 9]) if doc else workdays[n * 9],
            )
        )
    Interpretation.objects.bulk_create(rows)


def load(ctx: DemoContext) -> None:
    if DisclosureRequest.objects.filter(receipt_date__year=YEAR).exists():
        return
    offices = _offices()
    if not offices:
        return
    rng = random.Random(2019)
    with transaction.atomic():
        _requests(offices, rng)
        _publications(offices, rng)
        cal = _memo_calendar()
        workdays = [d for d in (date(YEAR, 1, 1) + timedelta(n) for n in range(365)) if cal.is_workday(d)]
        _proactive_items(offices, rng, workdays)
        _interpretations(offices, _normative(offices, rng), workdays)
    ctx.count("disclosure requests", REQUESTS)
    ctx.count("proactive disclosure items", KEY_AREA_ITEMS + FIVE_ITEMS)
    ctx.count("normative documents", NORMATIVE_2019 + NORMATIVE_OLDER)
    ctx.count("policy interpretations", INTERPRETATIONS)
    ctx.count("双公示 publications", LICENCES + PENALTIES)
