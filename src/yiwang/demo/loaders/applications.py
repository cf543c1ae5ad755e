"""Demo applications (idempotent): a few thousand realistic cases in every status over the demo catalogue,
bulk-created, plus a handful made through the real services for the demo logins' own journeys."""

from __future__ import annotations

import contextlib
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.applications.workflow import KIND
from yiwang.demo.context import DemoContext

TARGET = 3000


def _infos() -> tuple[list[Any], list[Any]]:
    from yiwang.accounts.models import Hall, RoleGrant
    from yiwang.applications.generate import HallInfo, ItemInfo
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


def _people(ctx: DemoContext, n: int = 400) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    from yiwang.accounts.models import Enterprise, Person

    from .accounts import resident_id

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
    existing = set(Person.objects.filter(id_number__startswith="440307").values_list("id_number", flat=True))
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


def _bulk(rows: list[Any], cal: Any, today: Any) -> int:
    from yiwang.applications.models import Application, ApplicationMaterial, ApprovalRequest
    from yiwang.cases.models import Case, CaseEvent, CaseNotice
    from yiwang.workdays.models import Clock

    now = timezone.now()
    clocks = []
    for r in rows:
        start = datetime.combine(
            r.accepted_on or r.received_at.date(), time(9, 0), tzinfo=r.received_at.tzinfo
        )
        stopped = None
        if r.decided_on:
            stopped = datetime.combine(r.decided_on, time(15, 0), tzinfo=r.received_at.tzinfo)
        elif r.closed_at:
            stopped = r.closed_at
        state = "stopped" if stopped else ("paused" if r.status in {"correction", "suspended"} else "running")
        remaining = 0
        if r.due_date and not stopped:
            remaining = (
                cal.workdays_between(today, r.due_date)
                if r.due_date >= today
                else -cal.workdays_between(r.due_date, today)
            )
            if state == "running" and remaining < 0:
                state = "overdue"
            elif state == "running" and remaining <= 3:
                state = "due_soon"
        limit = r.item.committed if r.accepted_on else 5
        clocks.append(
            Clock(
                label="decision (committed limit)" if r.accepted_on else "acceptance (Art. 32)",
                subject=f"{r.number} {r.title}"[:200],
                started_at=start,
                limit_kind="working_days",
                limit_value=limit,
                max_extensions=1,
                office_id=r.office_id,
                stopped_at=stopped,
                due_date=r.due_date,
                state=state,
                remaining=remaining,
                computed_at=now,
                due_at=datetime.combine(r.due_date, time(23, 59), tzinfo=r.received_at.tzinfo)
                if r.due_date
                else None,
            )
        )
    Clock.objects.bulk_create(clocks, batch_size=1000)
    cases = [
        Case(
            number=r.number,
            kind=KIND,
            status=r.status,
            version=1,
            title=r.title,
            channel=r.channel,
            applicant_person_id=r.person_id,
            applicant_enterprise_id=r.enterprise_id,
            owning_office_id=r.office_id,
            receiving_hall_id=r.receiving_hall_id,
            return_hall_id=r.return_hall_id,
            received_by_id=r.received_by_id,
            clock_id=c.pk,
            due_date=r.due_date,
            received_at=r.received_at,
            accepted_on=r.accepted_on,
            decided_on=r.decided_on,
            closed_at=r.closed_at,
            timeliness=r.timeliness,
        )
        for r, c in zip(rows, clocks, strict=True)
    ]
    Case.objects.bulk_create(cases, batch_size=1000)
    apps_ = [
        Application(
            case_id=c.pk,
            item_id=r.item.item_id,
            item_version_id=r.item.version_id,
            department_id=r.item.department_id,
            instant=r.item.instant,
            no_visit=r.item.no_visit,
            committed_days=r.item.committed,
            legal_days=r.item.legal,
            received_on=r.received_at.date(),
            acceptance_window_ends=cal.add_workdays(r.received_at.date(), 5),
            correction_given=r.correction_given,
            deemed_accepted=r.deemed_accepted,
            rongque=r.rongque,
            rongque_promise_days=r.rongque_promise_days,
            rongque_deadline=r.rongque_deadline,
            rongque_materials=r.rongque_materials,
            rongque_supplied_on=r.rongque_supplied_on,
            extended=r.extended,
            decision_reason=r.decision_reason,
            guidance="请按告知内容补齐条件后重新申请。" if r.decision_reason else "",
            delivery_method=r.delivery_method,
            tracking_number=r.tracking_number,
            public_token=r.public_token,
            pause_kind="expert_review" if r.status == "suspended" else "",
            delivered_at=r.closed_at if r.status in {"delivered", "closed"} else None,
        )
        for r, c in zip(rows, cases, strict=True)
    ]
    Application.objects.bulk_create(apps_, batch_size=1000)
    from yiwang.catalogue.models import ItemVersion

    snaps = {v.pk: v.snapshot for v in ItemVersion.objects.filter(pk__in={r.item.version_id for r in rows})}
    mats: list[ApplicationMaterial] = []
    events: list[CaseEvent] = []
    notices: list[CaseNotice] = []
    requests: list[ApprovalRequest] = []
    for r, c in zip(rows, cases, strict=True):
        promised = r.rongque_materials if r.rongque and not r.rongque_supplied_on else 0
        for m in snaps[r.item.version_id].get("materials", []):
            if m.get("source", "applicant") != "applicant":
                continue
            state = "provided" if m["kind"] == "required" else "n/a"
            if state == "provided" and promised and m.get("rongque_allowed"):
                state, promised = "promised", promised - 1
            if (
                state == "provided"
                and r.status == "correction"
                and not any(x.state == "to_correct" for x in mats[-5:] if x.application_id == c.pk)
            ):
                state = "to_correct"
            mats.append(
                ApplicationMaterial(
                    application_id=c.pk,
                    code=m["code"],
                    position=m["position"],
                    name=m["name"][:200],
                    required=m["kind"] == "required",
                    condition=m.get("condition", "")[:300],
                    rongque_allowed=bool(m.get("rongque_allowed")),
                    rongque_max_days=m.get("rongque_max_days", 0),
                    state=state,
                    problem="签字缺失，请重新提交" if state == "to_correct" else "",
                )
            )
        at = r.received_at
        steps = [
            (
                "submit" if r.channel == "online" else "receive",
                "submitted" if r.channel == "online" else "received",
                at,
            )
        ]
        if r.status == "correction":
            steps.append(("request_correction", "correction", at + timedelta(hours=2)))
        if r.accepted_on:
            accept_at = datetime.combine(r.accepted_on, time(10, 0), tzinfo=at.tzinfo)
            steps.append(
                (
                    "deem_accept" if r.deemed_accepted else ("accept_rongque" if r.rongque else "accept"),
                    "accepted",
                    max(accept_at, at),
                )
            )
            notices.append(
                CaseNotice(
                    case_id=c.pk,
                    kind="acceptance",
                    title="受理通知书",
                    data={
                        "date": r.accepted_on.isoformat(),
                        "due_days": r.item.committed,
                        "deemed": r.deemed_accepted,
                    },
                )
            )
            if r.status not in {"accepted", "withdrawn", "terminated"}:
                steps.append(("start_review", "under_review", max(accept_at + timedelta(hours=3), at)))
        if r.status == "suspended":
            steps.append(("suspend", "suspended", steps[-1][2] + timedelta(days=1)))
        if r.decided_on:
            dec_at = datetime.combine(r.decided_on, time(15, 0), tzinfo=at.tzinfo)
            if r.status == "not_accepted":
                steps.append(("approve_not_accept", "not_accepted", max(dec_at, at)))
            else:
                steps.append(
                    (
                        "approve_rejection" if r.decision_reason else "approve",
                        "rejected" if r.decision_reason else "approved",
                        max(dec_at, at),
                    )
                )
                if r.status in {"result_ready", "delivered", "closed"}:
                    steps.append(("issue_result", "result_ready", max(dec_at, at) + timedelta(minutes=30)))
                if r.status in {"delivered", "closed"}:
                    steps.append(("deliver", "delivered", max(dec_at, at) + timedelta(hours=20)))
        if r.status in {"closed", "withdrawn", "terminated"}:
            action = {"closed": "close", "withdrawn": "withdraw", "terminated": "terminate"}[r.status]
            steps.append((action, r.status, r.closed_at or steps[-1][2] + timedelta(hours=1)))
        prev = ""
        for action, to, when in steps:
            events.append(
                CaseEvent(
                    case_id=c.pk,
                    actor_label="demo",
                    action=action,
                    from_status=prev,
                    to_status=to,
                    data={"demo": True},
                )
            )
            events[-1].at = when  # auto_now_add is applied by bulk_create; set below
            prev = to
        if r.pending_request:
            requests.append(
                ApprovalRequest(
                    case_id=c.pk,
                    kind=r.pending_request,
                    requested_by_id=r.received_by_id or 1,
                    reason_code=r.decision_reason or "conditions_unmet",
                    reason="演示数据",
                    guidance="请补齐材料后重新申请。" if r.pending_request != "extension" else "",
                    prior_status="pre_review" if r.pending_request == "not_accept" else "under_review",
                )
            )
        elif r.status == "not_accepted" and r.received_by_id:
            requests.append(
                ApprovalRequest(
                    case_id=c.pk,
                    kind="not_accept",
                    state="approved",
                    requested_by_id=r.received_by_id,
                    reason_code=r.decision_reason,
                    reason="演示数据",
                    guidance="请补齐材料后重新申请。",
                    prior_status="received",
                    decided_at=r.closed_at,
                )
            )
    ApplicationMaterial.objects.bulk_create(mats, batch_size=2000)
    times = [e.at for e in events]
    CaseEvent.objects.bulk_create(events, batch_size=2000)
    # auto_now_add overrides ``at`` on insert: restore the history's real times.
    for e, when in zip(events, times, strict=True):
        e.at = when
    CaseEvent.objects.bulk_update(events, ["at"], batch_size=2000)
    CaseNotice.objects.bulk_create(notices, batch_size=2000)
    from yiwang.accounts.models import User

    valid_users = set(User.objects.values_list("pk", flat=True))
    ApprovalRequest.objects.bulk_create(
        [q for q in requests if q.requested_by_id in valid_users], batch_size=1000
    )
    return len(cases)


def _journeys(ctx: DemoContext) -> None:
    """A few cases of the demo logins, made through the real services (with notices and clocks)."""
    from yiwang.accounts.models import Person, User
    from yiwang.applications import services as s
    from yiwang.catalogue.models import Item

    resident = User.objects.filter(username="resident").first()
    clerk = User.objects.filter(username="clerk").first()
    if resident is None or clerk is None or clerk.hall is None:
        return
    from yiwang.cases.models import Case

    if Case.objects.filter(applicant_person__user=resident, kind=KIND, status="draft").exists():
        return
    from yiwang.catalogue.selectors import items_for_hall

    hall_items = list(items_for_hall(clerk.hall).filter(level_district=True).order_by("code")[:40])
    with_rongque = [i for i in hall_items if i.materials.filter(rongque_allowed=True).exists()]
    if not hall_items:
        return
    person = Person.objects.get(user=resident)

    def codes(item: Item, *, skip_rongque: bool = False) -> list[str]:
        return [
            f"{item.code}-M{m.position:02d}"
            for m in item.materials.filter(kind="required", source="applicant")
            if not (skip_rongque and m.rongque_allowed)
        ]

    first = hall_items[0]
    draft = s.application_draft_create(actor=resident, item=first)
    ctx.count("demo journeys")
    case = s.application_receive(
        actor=clerk,
        item=hall_items[1 % len(hall_items)],
        person=person,
        provided=codes(hall_items[1 % len(hall_items)]),
    )
    s.application_accept(actor=clerk, case_id=case.pk)
    case = s.application_receive(
        actor=clerk,
        item=hall_items[2 % len(hall_items)],
        person=person,
        provided=codes(hall_items[2 % len(hall_items)])[1:],
    )
    missing = {c: "请补充原件扫描件" for c in codes(hall_items[2 % len(hall_items)])[:1]}
    if missing:
        s.application_request_correction(actor=clerk, case_id=case.pk, items=missing)
    if with_rongque:
        it = with_rongque[0]
        case = s.application_receive(
            actor=clerk, item=it, person=person, provided=codes(it, skip_rongque=True)
        )
        from yiwang.core.errors import ServiceError

        with contextlib.suppress(ServiceError):  # the demo carries on if the item's limits do not allow it
            s.application_accept_rongque(actor=clerk, case_id=case.pk, promise_days=1, promise_signed=True)
    del draft


def load(ctx: DemoContext) -> None:
    from yiwang.applications.figures import figures_rebuild
    from yiwang.applications.generate import synthesize
    from yiwang.applications.models import Application
    from yiwang.workdays.calendar import get_calendar

    if Application.objects.count() >= TARGET:
        ctx.out("applications: demo cases already present")
        return
    items, halls = _infos()
    if not items:
        ctx.out("applications: skipped, no published items")
        return
    task = ctx.progress.add_task("applications", total=5)
    persons, enterprises = _people(ctx)
    ctx.progress.advance(task)
    from yiwang.cases.models import CaseNumberCounter

    counters = {(c.office.code, c.year): c.last for c in CaseNumberCounter.objects.select_related("office")}
    cal = get_calendar()
    today = timezone.localdate()
    rows = list(
        synthesize(
            n=TARGET,
            items=items,
            halls=halls,
            persons=persons,
            enterprises=enterprises,
            cal=cal,
            today=today,
            days_back=330,
            counters=counters,
        )
    )
    ctx.progress.advance(task)
    from yiwang.accounts.models import Office
    from yiwang.audit.services import audit_record

    with transaction.atomic():
        n = _bulk(rows, cal, today)
        offices = dict(Office.objects.values_list("code", "pk"))
        for (code, year), last in counters.items():
            CaseNumberCounter.objects.update_or_create(
                office_id=offices[code], year=year, defaults={"last": last}
            )
        audit_record(actor=None, action="application.demo_load", object_type="cases.case", data={"cases": n})
    ctx.count("applications", n)
    ctx.progress.advance(task)
    _journeys(ctx)
    ctx.progress.advance(task)
    figures_rebuild()
    ctx.progress.advance(task)
