"""Demo application histories, walked through the real workflow (docs/adr/0061-demo-package.md).

A seeded planner draws each case's life — the item, where and how it was filed, who filed it, and what
happened to it: accepted at once or after a correction (补正), with missing materials (容缺), deemed accepted,
refused, paused, extended, decided early, on time or late, rejected, withdrawn, delivered, closed — as a
list of steps, each an action of ``yiwang.applications.services`` by a member of staff (or the applicant,
or the periodic sweeps) at a moment in the past. Every case's path runs from its receipt until today;
steps that would lie in the future are not taken, so recent cases are still open in whatever status the
workflow had reached (the open-case mix comes from how long each stage lasts, not from a table).

The steps of all cases run in time order, each "as of" its moment (time-machine), so case numbers,
clocks, events, notices, notifications and the audit chain are what the platform would have written
then. No row is written here: only the services write. A step a service refuses (it should not happen)
ends that case where it is, and is reported. Then the periodic jobs run once as of now (clocks, the
5-working-day rule, lapsed 容缺 promises), the demo logins' own journeys are made, and the figures rollup
is rebuilt.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yiwang.applications import services as s
from yiwang.applications.figures import figures_rebuild
from yiwang.applications.models import Application
from yiwang.catalogue import selectors as catalogue
from yiwang.core.errors import ServiceError
from yiwang.core.periodic import periodic_jobs
from yiwang.demo.context import HISTORY_DAYS, DemoContext, data_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from yiwang.accounts.models import User
    from yiwang.catalogue.models import Item

SPEC = "applications.json"
DAY_START, DAY_END = time(9, 0), time(17, 30)


# --- what the planner knows about the district ----------------------------------------------------


@dataclass(frozen=True)
class ItemFacts:
    item: Any
    committed: int
    instant: bool
    no_visit: bool
    for_persons: bool
    for_enterprises: bool
    required: tuple[str, ...]  # codes of the required materials the applicant brings
    rongque: tuple[tuple[str, int], ...]  # (code, longest delay) of those that may come later
    halls: tuple[Any, ...]  # halls that accept the item


@dataclass
class District:
    items: list[ItemFacts]
    clerks: dict[int, list[Any]]  # hall → clerks
    reviewers: dict[int, Any]  # office → reviewer
    supervisors: dict[int, Any]  # office → supervisor
    persons: list[Any]
    online: list[Any]  # applicant accounts (their person files online)
    enterprises: list[tuple[Any, Any | None]]  # (enterprise, an agent account that files online for it)
    hall_weights: dict[str, float]


def _district(spec: dict[str, Any]) -> District | None:
    from yiwang.accounts.models import AgentAuthorization, Enterprise, Hall, Person, RoleGrant, User

    halls = list(Hall.objects.order_by("code"))
    accepting: dict[int, list[Any]] = {}
    for hall in halls:
        for pk in catalogue.items_for_hall(hall).values_list("pk", flat=True):
            accepting.setdefault(pk, []).append(hall)
    items = []
    qs = (
        catalogue.published_items().select_related("office", "department", "current_version").order_by("code")
    )
    for item in qs:
        version = catalogue.item_published_version(item)
        if version.form:  # the drawn history does not invent form answers: ``_form_journey`` shows a form
            continue
        mats = [m for m in catalogue.item_materials(version) if m.applicant_brings and m.required]
        committed = catalogue.version_committed_limit(version)
        items.append(
            ItemFacts(
                item=item,
                committed=committed,
                instant=version.is_instant,
                no_visit=item.no_visit,
                for_persons="1" in item.service_object_codes,
                for_enterprises=item.serves_enterprises,
                required=tuple(m.code for m in mats),
                rongque=tuple(
                    (m.code, min(m.rongque_max_days or committed, committed))
                    for m in mats
                    if m.rongque_allowed
                ),
                halls=tuple(accepting.get(item.pk, ())),
            )
        )
    if not items:
        return None
    staff = {u.pk: u for u in User.objects.filter(kind=User.Kind.STAFF, is_active=True)}
    clerks: dict[int, list[Any]] = {}
    reviewers: dict[int, Any] = {}
    supervisors: dict[int, Any] = {}
    for user_id, role in (
        RoleGrant.objects.filter(user__in=list(staff))
        .order_by("user__username")
        .values_list("user_id", "role")
    ):
        user = staff[user_id]
        if role == "clerk" and user.hall_id:
            clerks.setdefault(user.hall_id, []).append(user)
        elif role == "reviewer" and user.office_id:
            reviewers.setdefault(user.office_id, user)
        elif role == "supervisor" and user.office_id:
            supervisors.setdefault(user.office_id, user)
    logins = {u.pk for u in User.objects.filter(kind=User.Kind.APPLICANT) if u.has_usable_password()}
    # Ordered by the (decrypted) ID number in Python: the stored ciphertexts have no meaningful order.
    persons = sorted(
        (p for p in Person.objects.select_related("user") if p.user_id not in logins),
        key=lambda p: p.id_number,
    )
    online = [p.user for p in persons if p.user_id is not None]
    agents: dict[int, Any] = {}
    for auth in AgentAuthorization.objects.filter(
        revoked=False, kind=AgentAuthorization.Kind.AGENT
    ).select_related("person__user"):
        if auth.person.user_id and auth.person.user_id not in logins:
            agents.setdefault(auth.enterprise_id, auth.person.user)
    enterprises = [(e, agents.get(e.pk)) for e in Enterprise.objects.order_by("credit_code")]
    return District(
        items=items,
        clerks=clerks,
        reviewers=reviewers,
        supervisors=supervisors,
        persons=persons,
        online=online,
        enterprises=enterprises,
        hall_weights=spec["hall_weights"],
    )


# --- the plan -------------------------------------------------------------------------------------


@dataclass
class Step:
    when: datetime
    action: str  # a service of yiwang.applications.services without the ``application_`` prefix, or "cron"
    actor: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    status: str = ""  # the case's status after the step, as planned


# The status each action leads to (None: unchanged; decisions and the sweeps say theirs).
LEADS_TO: dict[str, str | None] = {
    "draft_create": "draft",
    "draft_update": None,
    "submit": "submitted",
    "receive": "received",
    "accept": "accepted",
    "accept_rongque": "accepted",
    "request_correction": "correction",
    "answer_correction": "pre_review",
    "request_not_accept": "refusal_pending",
    "start_review": "under_review",
    "suspend": "suspended",
    "resume": "under_review",
    "request_extension": None,
    "supply_promised": None,
    "request_rejection": "rejection_pending",
    "approve": "approved",
    "issue_result": "result_ready",
    "deliver": "delivered",
    "close": "closed",
    "withdraw": "withdrawn",
}


@dataclass
class Case:
    number: int
    steps: list[Step] = field(default_factory=list)
    case_id: int | None = None
    stopped: bool = False


class Planner:
    """Draws the life of each demo case as steps (writes nothing)."""

    def __init__(self, spec: dict[str, Any], district: District, cal: Any, now: datetime):
        self.spec = spec
        self.chance = spec["chances"]
        self.texts = spec["texts"]
        self.d = district
        self.cal = cal
        self.now = now
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.rng = random.Random(spec["seed"])
        self.cut = now - timedelta(minutes=5)  # steps after this have not happened yet
        codes = set(spec["today"]["offices"])
        self.today_items = [f for f in district.items if f.item.office.code in codes]
        self.today_halls = set(spec["today"]["halls"])

    # time -------------------------------------------------------------------------------------
    def _at(self, day: date, start: time = DAY_START, end: time = DAY_END) -> datetime:
        """A moment during the working hours of ``day`` (drawn between ``start`` and ``end``)."""
        lo = start.hour * 60 + start.minute
        hi = max(lo + 1, end.hour * 60 + end.minute)
        minute = self.rng.randrange(lo, hi)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.tz)

    def _work(self, t: datetime, minutes: tuple[int, int] = (5, 60)) -> datetime:
        """A working moment some minutes after ``t`` (the next working morning if that is after hours)."""
        u = t + timedelta(minutes=self.rng.randint(*minutes))
        local = timezone.localtime(u, self.tz)
        if self.cal.is_workday(local.date()) and DAY_START <= local.time() < DAY_END:
            return u
        if local.time() < DAY_START and self.cal.is_workday(local.date()):
            day = local.date()
        else:
            day = self.cal.next_workday(local.date() + timedelta(days=1))
        return self._at(day, DAY_START, time(10, 30))

    def _days(self, t: datetime, workdays: int) -> datetime:
        """A working moment ``workdays`` working days after ``t``'s day (later that day if 0)."""
        if workdays <= 0:
            return self._work(t, (10, 120))
        day = self.cal.add_workdays(timezone.localtime(t, self.tz).date(), workdays)
        return self._at(day)

    def _day(self, t: datetime) -> date:
        return timezone.localtime(t, self.tz).date()

    # parties ----------------------------------------------------------------------------------
    def _choice(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _hall(self, facts: ItemFacts, prefer: set[str] | None = None) -> Any:
        halls = [h for h in facts.halls if self.d.clerks.get(h.pk)]
        if prefer and any(h.code in prefer for h in halls):  # the demo logins' halls, evenly
            return self.rng.choice([h for h in halls if h.code in prefer])
        if not halls:
            return None
        return self.rng.choices(halls, weights=[self.d.hall_weights.get(h.kind, 1) for h in halls])[0]

    # one case ---------------------------------------------------------------------------------
    def plan(self, number: int) -> Case:
        """A case received some day in the last months (recent days more often), its path up to today."""
        for attempt in range(100):
            self.rng = random.Random(f"{self.spec['seed']}:{number}:{attempt}")
            age = int(self.rng.triangular(0, HISTORY_DAYS, 0))
            case = self._try(number, self.today - timedelta(days=age))
            if case is not None and case.steps and case.steps[0].when < self.cut:
                return case
        return Case(number)

    def plan_today(self, number: int, status: str) -> Case:
        """A case that is in ``status`` today: its path is drawn with the events that lead there, placed so
        that it entered the status in the last few days, and stopped there (the work in progress the demo
        logins find in their inboxes)."""
        force = dict(self.spec["today"]["force"].get(status, {}))
        force.setdefault("withdraw", 0)
        force.setdefault("draft_abandoned", 0)
        case = Case(number)
        for attempt in range(100):
            seed = f"{self.spec['seed']}:today:{number}:{attempt}"
            self.rng = random.Random(seed)
            target, lag = self.today, self.rng.randint(1, 3)
            while lag:  # the lag-th working day before today
                target -= timedelta(days=1)
                lag -= self.cal.is_workday(target)
            start = self.today - timedelta(days=40)
            for _shift in range(6):
                self.rng = random.Random(seed)
                candidate = self._try(number, start, force=force, prefer=attempt < 50)
                entered = next(
                    (st for st in (candidate.steps if candidate else []) if st.status == status), None
                )
                if candidate is None or entered is None:
                    break
                if (
                    entered.when < self.cut
                    and self.cal.workdays_between(self._day(entered.when), self.today) <= 3
                ):
                    candidate.steps = candidate.steps[: candidate.steps.index(entered) + 1]
                    return candidate
                start += timedelta(days=(target - self._day(entered.when)).days or -1)
        return case

    def _try(
        self, number: int, day: date, force: dict[str, float] | None = None, prefer: bool = False
    ) -> Case | None:
        rng = self.rng
        ch = {**self.chance, **(force or {})}
        pool = self.d.items
        if prefer and self.today_items:  # the demo logins' offices, evenly
            office = rng.choice(sorted({f.item.office.code for f in self.today_items}))
            pool = [f for f in self.today_items if f.item.office.code == office]
        facts = pool[rng.randrange(len(pool))]
        enterprise = None
        if facts.for_enterprises and (not facts.for_persons or rng.random() < self.spec["enterprise_share"]):
            enterprise, agent_account = self.d.enterprises[rng.randrange(len(self.d.enterprises))]
        elif not facts.for_persons:
            return None
        else:
            agent_account = None
        online = (facts.no_visit or rng.random() < ch.get("online", self.spec["online_share"])) and (
            agent_account is not None if enterprise is not None else bool(self.d.online)
        )
        hall = None if online else self._hall(facts, self.today_halls if prefer else None)
        if not online and hall is None:
            return None
        office = catalogue.item_office_for_hall(facts.item, hall)
        reviewer = self.d.reviewers.get(office.pk)
        supervisor = self.d.supervisors.get(office.pk)
        if reviewer is None or supervisor is None:
            return None
        case = Case(number)
        steps = case.steps

        def add(when: datetime, action: str, actor: User | None, status: str = "", **params: Any) -> datetime:
            if steps and when <= steps[-1].when:
                when = steps[-1].when + timedelta(minutes=rng.randint(1, 9))
            status = status or LEADS_TO.get(action) or (steps[-1].status if steps else "")
            steps.append(Step(when, action, actor, params, status))
            return when

        # intake --------------------------------------------------------------------------------
        rongque_missing: list[tuple[str, int]] = []
        clerk: Any = None
        supplied = datetime.min.replace(tzinfo=self.tz)
        if online:
            applicant = (
                agent_account if enterprise is not None else self.d.online[rng.randrange(len(self.d.online))]
            )
            front = reviewer  # online submissions are pre-reviewed by the owning office
            method = self._choice(self.spec["online_delivery"])
            own = getattr(applicant, "person", None)
            address = (enterprise.address if enterprise is not None else getattr(own, "address", "")) or ""
            if method == "post" and len(address.strip()) < 6:  # the post needs a complete address
                method = "electronic"
            t = datetime.combine(day, time(rng.randint(8, 21), rng.randrange(60)), tzinfo=self.tz)
            add(
                t,
                "draft_create",
                applicant,
                item=facts.item,
                enterprise=enterprise,
                delivery_method=method,
                delivery_address=address if method == "post" else "",
            )
            t = add(
                t + timedelta(minutes=rng.randint(3, 20)), "draft_update", applicant, uploads=facts.required
            )
            if rng.random() < ch["draft_abandoned"]:
                return case
            t = add(t + timedelta(minutes=rng.randint(1, 10)), "submit", applicant)
            t = self._days(t, rng.choice([0, 1, 1, 2]))
        else:
            assert hall is not None
            if not self.cal.is_workday(day):
                day = self.cal.next_workday(day)
            clerk = self.d.clerks[hall.pk][rng.randrange(len(self.d.clerks[hall.pk]))]
            front = applicant = clerk  # at the window the clerk acts for the applicant too
            method = self._choice(self.spec["window_delivery"])
            if facts.no_visit and method == "pickup":
                method = "post"
            person = self.d.persons[rng.randrange(len(self.d.persons))]
            address = (enterprise.address if enterprise is not None else person.address) or ""
            if method == "post" and len(address.strip()) < 6:  # the post needs a complete address
                method = "electronic"
            provided = list(facts.required)
            if facts.rongque and facts.committed >= 2 and rng.random() < ch["rongque"]:
                k = min(len(facts.rongque), rng.choice([1, 1, 2]))
                rongque_missing = rng.sample(list(facts.rongque), k)
                provided = [c for c in provided if c not in {code for code, _d in rongque_missing}]
            t = add(
                self._at(day, DAY_START, time(16, 30)),
                "receive",
                clerk,
                item=facts.item,
                person=None if enterprise else person,
                enterprise=enterprise,
                agent=person if enterprise else None,
                provided=provided,
                hall=hall,
                delivery_method=method,
                return_hall=hall if method == "pickup" else None,
                delivery_address=address if method == "post" else "",
            )
            t = self._work(t, (3, 25))

        # acceptance ----------------------------------------------------------------------------
        deemed = not online and not rongque_missing and rng.random() < ch["deemed"]
        if deemed:  # nobody acts within 5 working days: the sweep deems it accepted on the day received
            ends = self.cal.add_workdays(day, 5)
            t = add(
                datetime.combine(ends + timedelta(days=1), time(1, 0), tzinfo=self.tz),
                "cron",
                None,
                "accepted",
            )
            t = self._days(t, 0)
        elif rongque_missing:
            max_days = min(d for _c, d in rongque_missing)
            promise = rng.randint(1, max(1, min(max_days, 10)))
            t = add(t, "accept_rongque", front, promise_days=promise, promise_signed=True)
            deadline = self.cal.add_workdays(self._day(t), promise)
            if rng.random() < ch["rongque_lapsed"]:
                # Never supplied: the sweep terminates the case after the deadline.
                t = add(self._work(t, (30, 240)), "start_review", reviewer)
                add(
                    datetime.combine(deadline + timedelta(days=1), time(1, 0), tzinfo=self.tz),
                    "cron",
                    None,
                    "terminated",
                )
                return case
            supplied = self._at(self.cal.add_workdays(self._day(t), rng.randint(1, promise)))
        else:
            if rng.random() < ch["correction"]:
                problem = rng.choice(self.texts["correction"])
                code = rng.choice(facts.required) if facts.required else None
                if code is not None:
                    t = add(t, "request_correction", front, items={code: problem})
                    if rng.random() < ch["correction_unanswered"]:
                        t = self._days(t, rng.randint(8, 15))
                        t = add(t, "withdraw", applicant, reason=self.texts["withdraw"])
                        return case
                    t = self._days(t, rng.randint(1, 6))
                    t = add(t, "draft_update", applicant, uploads=[code])
                    t = add(self._work(t, (1, 10)), "answer_correction", applicant)
                    t = self._days(t, rng.choice([0, 0, 1]))
            if rng.random() < ch["not_accept"]:
                t = add(
                    t,
                    "request_not_accept",
                    front,
                    reason_code=rng.choice(self.spec["reasons"]["not_accept"]),
                    guidance=rng.choice(self.texts["guidance"]),
                    reason=self.texts["refusal"],
                )
                t = self._days(t, rng.choice([0, 1, 1, 2]))
                if rng.random() >= ch["send_back"]:
                    add(t, "decide_request", supervisor, "not_accepted", approve=True)
                    return case
                before = steps[-2].status
                t = add(t, "decide_request", supervisor, before, approve=False, note=self.texts["send_back"])
                t = self._work(t, (10, 90))
            if rng.random() < ch["withdraw"] / 2:
                add(self._work(t, (5, 120)), "withdraw", applicant, reason=self.texts["withdraw"])
                return case
            t = add(t, "accept", front)
        accepted_on = self._day(t) if not deemed else day
        rongque_supply = [code for code, _d in rongque_missing]

        # review --------------------------------------------------------------------------------
        t = add(
            self._work(t, (20, 300)) if not facts.instant else self._work(t, (2, 10)),
            "start_review",
            reviewer,
        )
        due = self.cal.add_workdays(accepted_on, facts.committed) if facts.committed else accepted_on
        paused = 0
        if rongque_supply:
            t_supply = max(supplied, t + timedelta(minutes=5))
            t_supply = add(t_supply, "draft_update", clerk, uploads=rongque_supply)
            t = add(t_supply + timedelta(minutes=2), "supply_promised", clerk)
        if not facts.instant and rng.random() < ch["withdraw"] / 2:
            add(self._days(t, rng.randint(1, 3)), "withdraw", applicant, reason=self.texts["withdraw"])
            return case
        if not facts.instant and rng.random() < ch["suspend"]:
            kind = rng.choice(list(self.texts["pause"]))
            expected = rng.randint(5, 20)
            t = add(
                self._days(t, rng.randint(0, 2)),
                "suspend",
                reviewer,
                pause_kind=kind,
                reason=self.texts["pause"][kind],
                expected_days=expected,
            )
            back = self._at(self.cal.next_workday(self._day(t) + timedelta(days=expected - 1)))
            paused = self.cal.workdays_between(self._day(t), self._day(back))
            t = add(back, "resume", reviewer)
            due = self.cal.add_workdays(due, paused)
        if not facts.instant and rng.random() < ch["extension"]:
            t = add(
                self._days(t, rng.randint(1, 3)),
                "request_extension",
                reviewer,
                reason=self.texts["extension"],
            )
            t = add(self._days(t, rng.choice([0, 1])), "decide_request", supervisor, "", approve=True)
            due = self.cal.add_workdays(due, 10)
        # the decision: early, on the due day, or late
        start = self._day(t)
        if facts.instant:
            decide = t + timedelta(minutes=rng.randint(5, 40))
        else:
            r = rng.random()
            if r < ch["late"]:
                decide_day = self.cal.add_workdays(max(due, start), rng.randint(1, 3))
            elif r < ch["late"] + ch["early"] and due > start:
                span = self.cal.workdays_between(start, due)
                decide_day = self.cal.add_workdays(start, rng.randint(0, max(0, span - 1)))
            else:
                decide_day = max(due, start)
            decide = self._at(decide_day) if decide_day > start else self._work(t, (30, 180))
        if rng.random() < ch["rejection"]:
            t = add(
                decide,
                "request_rejection",
                reviewer,
                reason_code=rng.choice(self.spec["reasons"]["rejection"]),
                guidance=rng.choice(self.texts["guidance"]),
                reason=self.texts["rejection"],
            )
            t = self._work(t, (30, 240))
            if rng.random() < ch["send_back"]:
                t = add(
                    t,
                    "decide_request",
                    supervisor,
                    "under_review",
                    approve=False,
                    note=self.texts["send_back"],
                )
                t = add(self._work(t, (30, 240)), "approve", reviewer)
            else:
                t = add(t, "decide_request", supervisor, "rejected", approve=True)
        else:
            t = add(decide, "approve", reviewer)

        # the result ----------------------------------------------------------------------------
        t = add(self._work(t, (10, 60)), "issue_result", reviewer)
        if method == "pickup":
            t = add(self._days(t, rng.randint(1, 5)), "deliver", clerk)
        else:
            tracking = f"SF{rng.randrange(10**11, 10**12)}" if method == "post" else ""
            t = add(self._work(t, (20, 240)), "deliver", reviewer, tracking_number=tracking)
        if rng.random() >= ch["never_closed"]:
            add(self._days(t, rng.randint(1, 3)), "close", clerk if method == "pickup" else reviewer)
        return case


# --- walking the plan -----------------------------------------------------------------------------


def _scan() -> bytes:
    """The file every demo upload carries: a one-page PDF saying it is a sample (a few hundred bytes: the
    demo stores one per uploaded material)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    page.setTitle("Yiwang demo upload")
    page.setFont("Helvetica", 28)
    page.drawCentredString(A4[0] / 2, A4[1] / 2, "SAMPLE - Yiwang demo data")
    page.showPage()
    page.save()
    return buf.getvalue()


class Walker:
    """Runs the steps of every case in time order, each as of its moment, through the services."""

    def __init__(self, ctx: DemoContext, cases: list[Case]):
        self.ctx = ctx
        self.cases = {c.number: c for c in cases}
        self.scan = _scan()
        self.refused: list[str] = []
        self.jobs = periodic_jobs()

    def cron(self) -> None:
        for job in self.jobs:
            job.run()

    def _call(self, case: Case, step: Step) -> None:
        p = dict(step.params)
        if step.action == "cron":
            self.cron()
            return
        if "uploads" in p:
            p["uploads"] = [s.Upload(code=c, data=self.scan, name=f"{c}.pdf") for c in p["uploads"]]
        fn: Callable[..., Any] = getattr(s, f"application_{step.action}")
        if step.action in ("receive", "draft_create"):
            case.case_id = fn(actor=step.actor, **p).pk
        else:
            fn(actor=step.actor, case_id=case.case_id, **p)

    def walk(self) -> int:
        order = sorted(
            (
                (step.when, case.number, i)
                for case in self.cases.values()
                for i, step in enumerate(case.steps)
            ),
        )
        task = self.ctx.progress.add_task("applications (history)", total=len(order))
        done = 0
        first = order[0][0] if order else timezone.now()
        with self.ctx.as_of(first, tick=False) as clock:
            for when, number, i in order:
                case = self.cases[number]
                step = case.steps[i]
                if case.stopped:
                    continue
                clock.move_to(when)
                try:
                    self._call(case, step)
                    done += 1
                except (ServiceError, PermissionDenied) as exc:
                    case.stopped = True
                    self.refused.append(f"case {number} {step.action} at {when:%Y-%m-%d %H:%M}: {exc}")
                self.ctx.progress.advance(task)
        return done


def _journeys(ctx: DemoContext) -> None:
    """A few cases of the demo logins, made through the real services today (with notices and clocks)."""
    from yiwang.accounts.models import Person, User
    from yiwang.cases.models import Case as CaseRow

    resident = User.objects.filter(username="resident").first()
    clerk = User.objects.filter(username="clerk").first()
    if resident is None or clerk is None or clerk.hall is None:
        return
    if CaseRow.objects.filter(applicant_person__user=resident, kind="application", status="draft").exists():
        return
    hall_items = [  # the demo resident applies only for items a natural person may apply for
        i
        for i in catalogue.items_for_hall(clerk.hall).filter(level_district=True).order_by("code")[:80]
        if "1" in i.service_object_codes and not catalogue.item_published_version(i).form
    ][:40]
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

    s.application_draft_create(actor=resident, item=hall_items[0])
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
        with contextlib.suppress(ServiceError):  # the demo carries on if the item's limits do not allow it
            s.application_accept_rongque(actor=clerk, case_id=case.pk, promise_days=1, promise_signed=True)
    _assisted_journey(ctx, person, hall_items, codes)
    _form_journey(ctx, clerk, person, codes)


FORM_ITEM = (
    "LG06003-00-00"  # 最低生活保障申请: its application form has a repeatable group of household members
)


def _form_journey(ctx: DemoContext, clerk: Any, person: Any, codes: Callable[..., list[str]]) -> None:
    """申请表: the window receives the demo resident's 最低生活保障 application with its form answered (the
    name and ID number prefilled from the resident's record, one household member) and accepts it."""
    from yiwang.accounts.models import Person
    from yiwang.applications import answerforms, answers
    from yiwang.catalogue.models import Item

    item = Item.objects.filter(code=FORM_ITEM).first()
    member = Person.objects.exclude(pk=person.pk).order_by("pk").first()
    streets = answerforms.street_choices()
    if item is None or member is None or not streets:
        return
    version = catalogue.item_published_version(item)
    given = {
        **answers.prefill(version.form, person=person, enterprise=None),
        "residence": {"street": streets[0][0], "detail": "龙城大道99号3栋1204"},
        "reason": "因病",
        "income": 1800,
        "members": [{"member": {"name": member.name, "id_number": member.id_number}, "relation": "配偶",
                     "member_income": 0}],
        "situation": "申请人患慢性病，家庭收入低于本市最低生活保障标准。",
    }  # fmt: skip
    bound = answerforms.check_json_answers(version.form, given, streets=streets, require=True)
    if not bound.is_valid():
        ctx.out(f"demo form journey skipped: {bound.refusal()['message']}")
        return
    try:
        case = s.application_receive(
            actor=clerk, item=item, person=person, provided=codes(item), answers=bound.answers()
        )
        s.application_accept(actor=clerk, case_id=case.pk)
    except (ServiceError, PermissionDenied) as exc:  # e.g. a hall that does not offer the item: say so
        ctx.out(f"demo form journey skipped ({FORM_ITEM}): {exc}")
        return
    ctx.count("applications with an application form (申请表)")


def _assisted_journey(
    ctx: DemoContext, person: Any, items: list[Item], codes: Callable[..., list[str]]
) -> None:
    """帮办代办: the demo grid worker applies for the demo resident of their community, who consented in
    person today; the result is picked up at the district hall (docs/adr/0057)."""
    from yiwang.accounts.models import User

    grid = User.objects.filter(username="grid").first()
    if grid is None or person.community_id is None or person.community_id != grid.community_id:
        return
    item = items[3 % len(items)]
    with contextlib.suppress(ServiceError, PermissionDenied):  # a catalogue without such an item: no case
        s.application_assist(
            actor=grid,
            person=person,
            item=item,
            consent=s.Consent(method="in_person", given_on=timezone.localdate()),
            provided=codes(item),
            delivery_method="pickup",
            return_hall=User.objects.get(username="clerk").hall,
        )
        ctx.count("assisted applications (帮办代办)")


def plan_cases(ctx: DemoContext) -> list[Case] | None:
    """The demo history's plan (deterministic for a given day and catalogue)."""
    from yiwang.workdays.calendar import get_calendar

    spec = data_json(SPEC)
    district = _district(spec)
    if district is None:
        return None
    planner = Planner(spec, district, get_calendar(), timezone.now())
    total = int(ctx.options.get("cases") or spec["cases"])
    today = [status for status, n in spec["today"]["cases"].items() for _ in range(n)]
    today = today[: total // 4]
    natural = total - len(today)
    cases = [planner.plan(i) for i in range(natural)]
    cases += [planner.plan_today(natural + k, status) for k, status in enumerate(today)]
    for case in cases:  # the future has not happened yet
        case.steps = [st for st in case.steps if st.when < planner.cut]
    return [c for c in cases if c.steps]


def load(ctx: DemoContext) -> None:
    if Application.objects.exists():  # a history is walked once, into a district without applications
        ctx.out("applications: demo history already present")
        return
    cases = plan_cases(ctx)
    if cases is None:
        ctx.out("applications: skipped, no published items")
        return
    walker = Walker(ctx, cases)
    steps = walker.walk()
    ctx.count("applications (history)", sum(1 for c in cases if c.case_id is not None))
    ctx.count("application steps (history)", steps)
    for line in walker.refused[:10]:
        ctx.out(f"applications: refused, case left where it was: {line}")
    walker.cron()  # the periodic jobs catch up to now: clocks, the 5-working-day rule, lapsed promises
    _journeys(ctx)
    figures_rebuild()
