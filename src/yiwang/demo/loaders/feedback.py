"""Demo satisfaction reviews, rectifications, appeals and complaints (docs/adr/0120): reviews for a share of
the demo's decided applications and served queue numbers — most of them written in bulk from the same values
the registry records, the bad ones given through the real service (checked against the data, each opening a
rectification) — a few rectified, rated and appealed; complaints on the post's log; the last week's and
month's reports issued. Idempotent: nothing is added when reviews exist."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from yiwang.accounts.models import Office, User
from yiwang.accounts.roles import Role
from yiwang.cases.models import Case
from yiwang.demo.context import DEMO_PASSWORD, DemoContext
from yiwang.demo.loaders.accounts import _background_staff, _both, _staff
from yiwang.feedback import reports
from yiwang.feedback import services as s
from yiwang.feedback.models import Complaint, Review
from yiwang.feedback.reviewables import APPLICATION_RESULT, HALL_VISIT
from yiwang.feedback.vocabulary import config
from yiwang.halls.models import Ticket

GOOD = ("fast", "friendly", "clear", "one_visit", "online")
SHARE, MAX_CASES, MAX_VISITS, BAD_GIVEN = 0.5, 600, 300, 14
DECIDED = ("approved", "rejected", "result_ready", "delivered", "closed")


def _level(rng: random.Random) -> int:
    return rng.choices([5, 4, 3], weights=[70, 22, 8])[0]


def _post(ctx: DemoContext) -> Office | None:
    office = Office.objects.filter(code=config("post_office")).first()
    if office is None:
        centre = Office.objects.filter(code="LG12345").select_related("department").first()
        if centre is None:
            return None
        office = Office.objects.create(
            code=config("post_office"),
            name="微笑办一次办投诉岗",
            name_en="Complaints post",
            department=centre.department,
        )
        ctx.count("offices")
        _background_staff(ctx)  # as every office has (a second load of the accounts demo would add them)
    _staff(
        ctx,
        username="quality",
        full_name="服务质量督查员 林芳",
        roles=[Role.SERVICE_SUPERVISOR],
        password=DEMO_PASSWORD,
        posting={"office": office},
        what="staff",
    )
    where = f"{office.department.name}·{office.name}" if office.department else office.name
    ctx.logins.append((_both(Role.SERVICE_SUPERVISOR.label), "quality", where))
    return office


def _moment(case: Case, rng: random.Random) -> datetime:
    day = case.decided_on or timezone.localdate()
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone()) + timedelta(
        minutes=rng.randint(0, 420)
    )


def _bulk_cases(cases: list[Case], rng: random.Random, editable: timedelta) -> list[Review]:
    rows = []
    for case in cases:
        app = case.application
        hall = app.receiving_hall
        at = _moment(case, rng)
        level = _level(rng)
        tags = rng.sample(GOOD, k=rng.randint(0, 2)) if level >= 4 else []
        rows.append(
            Review(
                service=APPLICATION_RESULT,
                subject_id=case.pk,
                subject_ref=case.number or str(case.pk),
                level=level,
                tags=tags,
                tag_text="," + ",".join(tags) + "," if tags else "",
                channel=rng.choice(["window", "portal", "mobile"]),
                reviewer_person=case.applicant_person,
                real_name=case.applicant_person_id is not None,
                case=case,
                office=case.owning_office,
                department=case.owning_office.department,
                hall=hall,
                street=hall.street if hall else case.owning_office.street,
                clerk=case.received_by,
                item_code=app.item.code,
                item_name=app.item.name,
                given_at=at,
                editable_until=at + editable,
            )
        )
    return rows


def _bulk_visits(
    tickets: list[Ticket], rng: random.Random, editable: timedelta, post: Office
) -> list[Review]:
    rows = []
    for t in tickets:
        at = t.finished_at or timezone.now()
        rows.append(
            Review(
                service=HALL_VISIT,
                subject_id=t.pk,
                subject_ref=f"{t.hall.code}-{t.date:%Y%m%d}-{t.number}",
                level=_level(rng),
                channel="window",
                reviewer_person=t.person,
                real_name=t.person_id is not None,
                office=post,
                department=post.department,
                hall=t.hall,
                street=t.hall.street,
                clerk=t.clerk,
                window=t.window,
                item_code=t.item_code,
                item_name=t.category.name,
                given_at=at,
                editable_until=at + editable,
            )
        )
    return rows


def _bad(ctx: DemoContext, cases: list[Case], rng: random.Random) -> list[Review]:
    given = []
    tags = [("late",), ("materials",), ("attitude",), ("visit_again",), ("late", "attitude"), ("conditions",)]
    for i, case in enumerate(cases):
        token = case.application.public_token
        try:
            given.append(
                s.review_give(
                    actor=None,
                    service=APPLICATION_RESULT,
                    subject_id=case.pk,
                    data=s.ReviewInput(level=1 + i % 2, tags=tags[i % len(tags)], comment="办事体验不好"),
                    channel="mobile",
                    code=token,
                    now=_moment(case, rng),
                )
            )
        except Exception:  # noqa: S112 - a demo case that cannot be reviewed is skipped
            continue
    return given


def _follow_up(ctx: DemoContext, bad: list[Review]) -> None:
    supervisor = User.objects.filter(role_grants__role=Role.SERVICE_SUPERVISOR, username="quality").first()
    for i, review in enumerate(bad):
        rect = review.rectification.case
        handler = User.objects.filter(
            office=rect.owning_office, role_grants__role=Role.REVIEWER, is_active=True
        ).first()
        if handler is None:
            continue
        if i % 7 == 3 and supervisor is not None:
            s.rectification_appeal(
                actor=handler, case_id=rect.pk, kind="malicious", reason="评价人所述与办件记录不符"
            )
            s.appeal_decide(actor=supervisor, case_id=rect.pk, uphold=i % 2 == 1, reason="经核查")
            continue
        if i % 3 == 0:
            continue  # still to do
        if review.real_name:
            s.rectification_callback(actor=handler, case_id=rect.pk, note="已电话回访，申请人说明了情况")
        s.rectification_rectify(
            actor=handler, case_id=rect.pk, findings="经核查情况属实", actions="已约谈窗口人员并优化流程"
        )
        ctx.count("rectifications done")


def _complaints(ctx: DemoContext, supervisor: User | None) -> None:
    if supervisor is None:
        return
    texts = [
        ("phone", "取号后等候超过一小时"),
        ("in_person", "窗口人员态度生硬"),
        ("online", "网上申报系统无法上传材料"),
        ("phone", "要求提供指南以外的证明"),
        ("in_person", "同一事项跑了三次"),
    ]
    now = timezone.now()
    for i, (via, text) in enumerate(texts):
        case = s.complaint_log(
            actor=supervisor,
            data=s.ComplaintInput(via=via, description=text),
            received_at=now - timedelta(days=2 + i * 3),
        )
        if i % 2 == 0:
            s.complaint_reply(actor=supervisor, case_id=case.pk, reply="已核实并整改，感谢监督。")
        ctx.count("complaints")


def load(ctx: DemoContext) -> None:
    post = _post(ctx)
    if post is None or Review.objects.exists() or Complaint.objects.exists():
        return
    rng = random.Random(16)
    editable = timedelta(minutes=int(config("edit_minutes")))
    cases = list(
        Case.objects.filter(kind="application", status__in=DECIDED, decided_on__isnull=False)
        .select_related(
            "application__item",
            "application__receiving_hall__street",
            "owning_office__department",
            "owning_office__street",
            "received_by",
            "applicant_person",
        )
        .order_by("id")[: int(MAX_CASES / SHARE)]
    )
    chosen = [c for c in cases if rng.random() < SHARE][:MAX_CASES]
    bad_cases, good_cases = chosen[:BAD_GIVEN], chosen[BAD_GIVEN:]
    Review.objects.bulk_create(_bulk_cases(good_cases, rng, editable), batch_size=500)
    tickets = list(
        Ticket.objects.filter(status="done", window__isnull=False, case__isnull=True)
        .select_related("hall__street", "category", "window", "clerk", "person")
        .order_by("id")[: MAX_VISITS * 2]
    )
    visits = [t for t in tickets if rng.random() < SHARE][:MAX_VISITS]
    Review.objects.bulk_create(_bulk_visits(visits, rng, editable, post), batch_size=500)
    ctx.count("reviews", len(good_cases) + len(visits))
    bad = _bad(ctx, bad_cases, rng)
    ctx.count("bad reviews", len(bad))
    _follow_up(ctx, bad)
    _complaints(ctx, User.objects.filter(username="quality").first())
    today = timezone.localdate()
    for period, day in (
        ("weekly", today - timedelta(days=today.weekday() + 1)),
        ("monthly", today.replace(day=1) - timedelta(days=1)),
    ):
        reports.report_issue(actor=None, period=period, day=day)
        ctx.count("reports")
