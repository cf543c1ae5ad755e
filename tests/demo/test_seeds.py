"""The demo district true to the seeds, loaded once for this module (organisations, the catalogue through its
Excel importer, the halls' queues — not the history): the seven utilities and the organisations stationed in
the district hall, with their items bookable in its public-service queue; where the medical- and
social-insurance items are served (booking, queue, reception, API); every documented filter of the list
operations, counted on the demo catalogue."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tests.factories import make_applicant
from yiwang.accounts.models import Department, Hall, User
from yiwang.applications.selectors import reception_items
from yiwang.audit.models import AuditEvent
from yiwang.catalogue import services as catalogue_services
from yiwang.catalogue.models import Item
from yiwang.catalogue.selectors import items_for_hall, published_items
from yiwang.halls import engine, selectors, services
from yiwang.halls.models import HallConfig

from .helpers import demo_context

if TYPE_CHECKING:
    from collections.abc import Iterator

SEVEN_UTILITIES = ["供水", "供电", "燃气", "电信", "移动", "联通", "邮政"]
SOCIAL_STREETS = {"吉华街道", "园山街道", "宝龙街道"}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from yiwang.demo.loaders import accounts, catalogue, halls

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = demo_context()
        accounts.load(ctx)
        catalogue.load(ctx)
        halls.load(ctx)
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.usefixtures("demo"), pytest.mark.django_db]


def hall(code: str) -> Hall:
    return Hall.objects.select_related("street").get(code=code)


def street_hall(street: str) -> Hall:
    return Hall.objects.select_related("street").get(kind="street", street__name=street)


def codes_of(department: str) -> set[str]:
    return set(Item.objects.filter(department__code=department).values_list("code", flat=True))


def future_slot(h: Hall) -> tuple[Any, Any]:
    """The first slot of the first bookable day after today."""
    cfg = selectors.hall_config(h)
    today = timezone.localdate()
    day = next(d for d in selectors.bookable_days(h) if d > today)
    start, _end = engine.slot_times(selectors.hall_hours_on(h, day), cfg.slot_minutes, cfg.buffer_minutes)[0]
    return day, start


def applicant(username: str) -> User:
    """A new applicant with no appointment yet (the demo's own applicants have some)."""
    return make_applicant(username, "预约人")


# --- 1. the seven utilities, and the organisations stationed in the district hall ------------------------


def test_the_seven_utilities_are_the_seeds_and_their_own_kind_of_organisation() -> None:
    utilities = Department.objects.filter(kind="utility").order_by("code")
    assert [d.short_name for d in utilities] == SEVEN_UTILITIES
    assert [d.name for d in utilities if d.short_name in ("移动", "联通")] == [
        "中国移动深圳龙岗分公司",
        "中国联通深圳龙岗分公司",
    ]
    stationed = Department.objects.filter(kind="stationed").order_by("code")
    assert [d.short_name for d in stationed] == ["社保", "数字证书", "中国银行"]
    assert Department.objects.filter(kind="government").count() == 24
    assert not Department.objects.filter(name__contains="建设银行").exists()
    # each has items in the catalogue, in the district hall
    district = hall("H0001")
    for org in [*utilities, *stationed]:
        assert items_for_hall(district).filter(department=org).exists(), org.short_name


def test_utility_items_go_to_the_public_service_queue_and_are_bookable() -> None:
    district = hall("H0001")
    cats = {c.letter: c for c in selectors.hall_categories(district)}
    assert set(cats) == {"A", "B", "C", "D"}
    public = cats["B"]
    assert public.bookable and selectors.category_windows(public)
    assert selectors.category_capacity(public, selectors.hall_config(district)) > 0
    assert HallConfig.objects.get(hall=district).bookable
    routed = {
        i.code: i.category.letter if i.category else None
        for i in selectors.hall_items(district, list(cats.values()))
    }
    public_codes = (
        set(Item.objects.filter(department__kind="utility").values_list("code", flat=True))
        | codes_of("JZ02")
        | codes_of("JZ03")
    )
    assert public_codes and {routed[c] for c in public_codes} == {"B"}
    assert {routed[c] for c in codes_of("JZ01") | codes_of("LG22")} == {"D"}
    assert {routed[c] for c in codes_of("LG19")} == {"C"}
    # one window per utility and stationed organisation serves the public-service queue
    assert sorted(w.department.short_name for w in selectors.category_windows(public)) == sorted(
        [*SEVEN_UTILITIES, "数字证书", "中国银行"]
    )
    # a China Mobile item booked online lands in the public-service queue
    mobile = Item.objects.filter(department__short_name="移动").order_by("code").first()
    assert mobile is not None
    day, start = future_slot(district)
    appt = services.appointment_book(
        actor=applicant("booker-b"), hall=district, item_code=mobile.code, date=day, start=start
    )
    assert (appt.category.letter, appt.item_code) == ("B", mobile.code)


# --- 2. where medical and social insurance are served ---------------------------------------------------


def test_medical_insurance_at_the_district_and_every_street_hall() -> None:
    assert len(codes_of("LG22")) == 19
    halls = [hall("H0001"), *Hall.objects.filter(kind="street").order_by("code")]
    assert len(halls) == 12
    for h in halls:
        assert items_for_hall(h).filter(department__code="LG22").count() == 19, h.name
        assert set(
            reception_items(h).filter(department__code="LG22").values_list("code", flat=True)
        ) == codes_of("LG22")
    # a community station: only those of them that are district-wide 通办 (ADR 0021)
    station = Hall.objects.filter(kind="community").first()
    tongban = set(
        Item.objects.filter(department__code="LG22", tongban="district").values_list("code", flat=True)
    )
    assert (
        set(items_for_hall(station).filter(department__code="LG22").values_list("code", flat=True)) == tongban
    )
    assert len(tongban) < 19
    # booked and queued at a street hall without an insurance counter: its general queue
    pinghu = street_hall("平湖街道")
    medical = sorted(codes_of("LG22"))
    day, start = future_slot(pinghu)
    appt = services.appointment_book(
        actor=applicant("booker-lg22"), hall=pinghu, item_code=medical[0], date=day, start=start
    )
    assert appt.category.letter == "A"
    clerk = User.objects.filter(hall=pinghu, role_grants__role="clerk").first()
    ten = timezone.make_aware(datetime.combine(day, time(10, 0)), timezone.get_current_timezone())
    assert services.ticket_take(actor=clerk, hall=pinghu, item_code=medical[1], now=ten).number.startswith(
        "A"
    )


def test_social_insurance_at_the_district_hall_and_three_street_halls_only() -> None:
    assert len(codes_of("JZ01")) == 65
    offering = {
        h.code
        for h in Hall.objects.order_by("code")
        if items_for_hall(h).filter(department__code="JZ01").exists()
    }
    expected = {"H0001"} | {street_hall(s).code for s in SOCIAL_STREETS}
    assert offering == expected
    for code in expected:
        assert items_for_hall(hall(code)).filter(department__code="JZ01").count() == 65


@pytest.mark.parametrize("street", sorted(SOCIAL_STREETS))
def test_booking_queue_and_reception_offer_social_insurance_at_the_street_hall(street: str) -> None:
    h = street_hall(street)
    social = sorted(codes_of("JZ01"))
    items = {i.code: i for i in selectors.hall_items(h)}
    assert set(social) <= set(items)
    assert {items[c].category.letter for c in social if items[c].category} == {"D"}
    # booking
    day, start = future_slot(h)
    appt = services.appointment_book(
        actor=applicant(f"booker-{h.code}"), hall=h, item_code=social[0], date=day, start=start
    )
    assert appt.category.letter == "D"
    # the queue: a walk-in number for a social-insurance item, called at the social-insurance counter
    clerk = User.objects.filter(hall=h, role_grants__role="clerk").first()
    noon = timezone.make_aware(datetime.combine(day, time(10, 0)), timezone.get_current_timezone())
    ticket = services.ticket_take(actor=clerk, hall=h, item_code=social[1], now=noon)
    assert ticket.number.startswith("D")
    counter = selectors.category_windows(ticket.category)
    assert [w.department.short_name for w in counter] == ["社保"]
    called = services.ticket_call_next(actor=clerk, window=counter[0], now=noon + timedelta(minutes=1))
    assert called.pk == ticket.pk
    # reception at the hall's windows offers every one of them
    assert set(social) <= set(reception_items(h).values_list("code", flat=True))


def test_a_street_hall_without_the_counter_does_not_offer_social_insurance(client: Any) -> None:
    pinghu = street_hall("平湖街道")
    assert not items_for_hall(pinghu).filter(department__code="JZ01").exists()
    assert [c.letter for c in selectors.hall_categories(pinghu)] == ["A"]
    body = client.get(f"/api/halls/{pinghu.code}").json()
    assert not [i for i in body["items"] if i["code"] in codes_of("JZ01")]


def test_the_api_and_the_hall_page_show_social_insurance_at_jihua(client: Any) -> None:
    jihua = street_hall("吉华街道")
    body = client.get(f"/api/halls/{jihua.code}").json()
    social = [i for i in body["items"] if i["code"] in codes_of("JZ01")]
    assert len(social) == 65 and {i["category"] for i in social} == {"D"}
    assert [c["letter"] for c in body["categories"]] == ["A", "D"]
    first = Item.objects.filter(department__code="JZ01").order_by("code").first()
    assert first is not None
    page = client.get(f"/halls/{jihua.code}/")
    assert page.status_code == 200 and first.name in page.content.decode()
    found = client.get("/api/halls/", {"item": first.code}).json()
    assert sorted(h["code"] for h in found) == sorted(
        {"H0001"} | {street_hall(s).code for s in SOCIAL_STREETS}
    )


def test_an_administrator_changes_where_social_insurance_is_offered(client: Any) -> None:
    """The halls come from the catalogue's configuration: the system administrator adds 平湖 to the 65 items'
    listed halls in the admin (one audit event), and 平湖's reception offers them at once."""
    pinghu = street_hall("平湖街道")
    admin = User.objects.get(username="sysadmin")
    client.force_login(admin)
    social = list(Item.objects.filter(department__code="JZ01").order_by("code"))
    before = AuditEvent.objects.count()
    r = client.post(
        "/admin/catalogue/item/",
        {
            "action": "offer_at_halls",
            "_selected_action": [i.pk for i in social],
            "apply": "1",
            "halls": [pinghu.pk],
            "mode": "add",
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "catalogue.item.halls_add"
    assert items_for_hall(pinghu).filter(department__code="JZ01").count() == 65
    assert reception_items(pinghu).filter(department__code="JZ01").count() == 65
    # and back again, through the same service
    catalogue_services.items_offer_at_halls(actor=admin, items=social, halls=[pinghu], remove=True)
    assert not items_for_hall(pinghu).filter(department__code="JZ01").exists()


def test_a_department_administrator_cannot_move_another_departments_items() -> None:
    deptadmin = User.objects.get(username="deptadmin")
    social = list(Item.objects.filter(department__code="JZ01")[:1])
    with pytest.raises(PermissionDenied):
        catalogue_services.items_offer_at_halls(
            actor=deptadmin, items=social, halls=[street_hall("平湖街道")]
        )
    assert not items_for_hall(street_hall("平湖街道")).filter(department__code="JZ01").exists()


# --- 3. every documented filter of the list operations filters ------------------------------------------


def api_count(client: Any, url: str, **params: Any) -> int:
    r = client.get(url, params)
    assert r.status_code == 200, r.content.decode()[:300]
    body = r.json()
    return int(body["count"]) if isinstance(body, dict) else len(body)


ITEMS = "/api/catalogue/items"


def test_items_tongban_and_no_visit_are_the_seeds_figures(client: Any) -> None:
    assert api_count(client, ITEMS) == 598
    assert api_count(client, ITEMS, tongban="true") == 100
    assert api_count(client, ITEMS, no_visit="true") == 187
    assert api_count(client, ITEMS, tongban="1") == 100  # the page's spelling too
    assert api_count(client, ITEMS, tongban="false") == 598


@pytest.mark.parametrize(
    ("params", "expected", "orm"),
    [
        ({"online": "true"}, 181, {"online_depth": "4"}),
        ({"level": "district"}, None, {"level_district": True}),
        ({"level": "street"}, None, {"level_street": True}),
        ({"level": "community"}, 30, {"level_community": True}),
        ({"item_type": "05"}, 84, {"item_type": "05"}),
        ({"department": "LG22"}, 19, {"department__code": "LG22"}),
        ({"department": "JZ01"}, 65, {"department__code": "JZ01"}),
        ({"department": "UT05"}, 2, {"department__code": "UT05"}),
        ({"theme": "health"}, 47, None),
    ],
)
def test_each_item_filter_counts_on_the_demo_catalogue(
    client: Any, params: dict[str, str], expected: int | None, orm: dict[str, Any] | None
) -> None:
    n = api_count(client, ITEMS, **params)
    if orm is not None:
        assert n == published_items().filter(**orm).count()
    if expected is not None:
        assert n == expected
    assert 0 < n < 598


def test_audience_filters(client: Any) -> None:
    business = api_count(client, ITEMS, audience="business")
    person = api_count(client, ITEMS, audience="person")
    assert business == 509
    assert person == published_items().filter(service_objects__contains="1").count()
    assert 0 < person < 598


def test_search_and_filters_combine(client: Any) -> None:
    social = api_count(client, ITEMS, q="社保")
    assert social >= 65
    assert api_count(client, ITEMS, q="社保", department="JZ01") == 65
    both = api_count(client, ITEMS, tongban="true", no_visit="true")
    assert both == published_items().filter(tongban="district", no_visit=True).count()
    assert 0 < both < 100


def test_limit_and_offset_page_the_list(client: Any) -> None:
    first = client.get(ITEMS, {"tongban": "true", "limit": 30}).json()
    rest = client.get(ITEMS, {"tongban": "true", "limit": 100, "offset": 30}).json()
    assert (first["count"], len(first["items"]), len(rest["items"])) == (100, 30, 70)
    codes = [i["code"] for i in first["items"] + rest["items"]]
    assert len(set(codes)) == 100
    assert {i["tongban"] for i in first["items"] + rest["items"]} == {"district"}


def test_the_catalogue_page_and_the_api_agree(client: Any) -> None:
    page = client.get("/catalogue/", {"tongban": "1"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 100
    page = client.get("/catalogue/", {"no_visit": "1"})
    assert page.context["page"].paginator.count == 187


def test_a_halls_items_are_paged(client: Any) -> None:
    jihua = street_hall("吉华街道")
    total = items_for_hall(jihua).count()
    url = f"/api/catalogue/halls/{jihua.code}/items"
    first = client.get(url, {"limit": 10}).json()
    rest = client.get(url, {"limit": 200, "offset": 10}).json()
    assert first["count"] == total and len(first["items"]) == 10
    assert len(first["items"]) + len(rest["items"]) == total
    park = client.get("/api/catalogue/halls/H3001/items", {"limit": 1}).json()
    assert park["count"] == 200


@pytest.mark.parametrize(("kind", "n"), [("district", 1), ("street", 11), ("community", 111), ("park", 9)])
def test_halls_lists_filter_by_kind(client: Any, kind: str, n: int) -> None:
    assert api_count(client, "/api/halls/", kind=kind) == n
    assert api_count(client, "/api/org/halls", kind=kind) == n
    assert {h["kind"] for h in client.get("/api/org/halls", {"kind": kind}).json()} == {kind}


def test_halls_lists_refuse_an_unknown_kind(client: Any) -> None:
    assert client.get("/api/halls/", {"kind": "moon"}).status_code in (400, 422)
    assert client.get("/api/org/halls", {"kind": "moon"}).status_code in (400, 422)


def test_halls_list_filters_by_item_and_sorts_by_distance(client: Any) -> None:
    assert api_count(client, "/api/halls/") == 132
    park_item = Item.objects.filter(listed_halls__code="H3001").order_by("code").first()
    assert park_item is not None
    with_item = client.get("/api/halls/", {"item": "JZ01001-00-00"}).json()
    assert len(with_item) == 4
    jihua = street_hall("吉华街道")
    near = client.get("/api/halls/", {"item": "JZ01001-00-00", "lat": jihua.lat, "lng": jihua.lng}).json()
    assert near[0]["code"] == jihua.code
    distances = [h["distance_km"] for h in near]
    assert distances == sorted(distances)


def test_halls_list_open_now(client: Any) -> None:
    cal = selectors.work_calendar()
    day = cal.add_workdays(timezone.localdate(), 1)
    morning = timezone.make_aware(datetime.combine(day, time(10, 0)), timezone.get_current_timezone())
    with time_machine.travel(morning, tick=False):
        assert api_count(client, "/api/halls/", open_now="true") == 132
    with time_machine.travel(morning.replace(hour=22), tick=False):
        assert api_count(client, "/api/halls/", open_now="true") == 0
        assert api_count(client, "/api/halls/", open_now="false") == 132


@pytest.mark.parametrize(("kind", "n"), [("government", 24), ("utility", 7), ("stationed", 3)])
def test_organisations_filter_by_kind(client: Any, kind: str, n: int) -> None:
    rows = client.get("/api/org/departments", {"kind": kind}).json()
    assert len(rows) == n and {r["kind"] for r in rows} == {kind}
    assert api_count(client, "/api/org/departments") == 34


def test_the_booking_and_reception_pages_at_jihua_offer_social_insurance(client: Any) -> None:
    jihua = street_hall("吉华街道")
    first = Item.objects.filter(department__code="JZ01").order_by("code").first()
    assert first is not None
    client.force_login(applicant("booker-page"))
    book = client.get(f"/halls/{jihua.code}/book/")
    assert book.status_code == 200 and first.code in book.content.decode()
    clerk = User.objects.filter(hall=jihua, role_grants__role="clerk").first()
    assert clerk is not None
    client.force_login(clerk)
    reception = client.get("/applications/reception/", {"item_q": first.name})
    assert reception.status_code == 200
    assert first.code in reception.content.decode()  # offered in the list of items to receive
    pinghu_clerk = User.objects.filter(
        hall__code=street_hall("平湖街道").code, role_grants__role="clerk"
    ).first()
    client.force_login(pinghu_clerk)
    assert first.code not in client.get("/applications/reception/", {"item_q": first.name}).content.decode()


def test_the_busy_halls_history_looks_like_a_real_hall() -> None:
    """Days differ (Mondays busiest), each window has one clerk a day, and the clerks take turns."""
    from django.db.models import Count

    from yiwang.halls.models import Ticket

    per_day = list(Ticket.objects.values("hall", "date").annotate(n=Count("id")).values_list("n", flat=True))
    assert len(per_day) >= 5 and len(set(per_day)) > 1
    seats = Ticket.objects.values("window", "date").annotate(clerks=Count("clerk", distinct=True))
    assert seats and all(s["clerks"] <= 1 for s in seats)
    hall_clerks = Ticket.objects.values("hall").annotate(clerks=Count("clerk", distinct=True))
    assert any(h["clerks"] > 1 for h in hall_clerks)
