"""Feedback's test world: the complaints post's office, application cases at each stage, served queue numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from tests.applications.builders import code_of, make_item
from yiwang.accounts.models import Department, Office, Window
from yiwang.applications import services as apps
from yiwang.halls.models import BusinessCategory, Ticket
from yiwang.workdays.models import Clock

if TYPE_CHECKING:
    from tests.factories import World
    from yiwang.cases.models import Case


def setup(w: World) -> dict[str, Any]:
    """Idempotent per world (``w.extra['feedback']``)."""
    if "feedback" in w.extra:
        return w.extra["feedback"]  # type: ignore[no-any-return]
    bureau = Department.objects.create(district=w.district, code="D98", name="政务服务数据管理局督查科")
    post = Office.objects.create(code="LGDCK", name="投诉岗", department=bureau)
    item = make_item(w)
    category = BusinessCategory.objects.create(hall=w.hall, letter="A", name="综合", is_default=True)
    window = Window.objects.filter(hall=w.hall).first()
    w.extra["feedback"] = {"post": post, "item": item, "category": category, "window": window}
    return w.extra["feedback"]


def received(w: World, *, provided: tuple[int, ...] = (1, 2), person: Any = None, **kw: Any) -> Case:
    f = setup(w)
    return apps.application_receive(
        actor=w.users["clerk"],
        item=kw.pop("item", f["item"]),
        person=person or w.person,
        provided=[code_of(kw.get("of_item", f["item"]), p) for p in provided],
        **{k: v for k, v in kw.items() if k != "of_item"},
    )


def accepted(w: World, **kw: Any) -> Case:
    case = received(w, **kw)
    return apps.application_accept(actor=w.users["clerk"], case_id=case.pk)


def decided(w: World, *, late_by: int = 0, **kw: Any) -> Case:
    """Approved; ``late_by`` > 0 starts the decision clock that many weeks earlier (its 10 working days long
    past), so the decision is late."""
    case = accepted(w, **kw)
    apps.application_start_review(actor=w.users["reviewer"], case_id=case.pk)
    if late_by:
        clock = Clock.objects.get(pk=case.clock_id)
        Clock.objects.filter(pk=clock.pk).update(started_at=clock.started_at - timedelta(weeks=late_by))
    return apps.application_approve(actor=w.users["reviewer"], case_id=case.pk)


_seq = {"n": 0}


def served(
    w: World,
    *,
    person: Any = None,
    case: Case | None = None,
    waited: int = 5,
    day: date | None = None,
    item_code: str = "",
    clerk: Any = None,
) -> Ticket:
    """A queue number served at the hall's window ``waited`` minutes after it was taken."""
    f = setup(w)
    _seq["n"] += 1
    day = day or timezone.localdate()
    taken = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=9, minutes=_seq["n"]
    )
    return Ticket.objects.create(
        hall=w.hall,
        category=f["category"],
        date=day,
        seq=_seq["n"],
        number=f"A{_seq['n']:03d}",
        person=person if person is not None else w.person,
        item_code=item_code,
        status=Ticket.Status.DONE,
        window=f["window"],
        clerk=clerk or w.users["clerk"],
        case=case,
        taken_at=taken,
        queued_at=taken,
        called_at=taken + timedelta(minutes=waited),
        finished_at=taken + timedelta(minutes=waited + 10),
    )
