"""Builders for halls tests: published catalogue items, a configured hall, applicants, times."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from tests.factories import make_applicant
from yiwang.accounts.models import Hall, Window
from yiwang.catalogue.models import Item, ItemVersion, MainItem
from yiwang.catalogue.search import item_search_columns
from yiwang.halls.calendar import work_calendar
from yiwang.halls.models import BookingPolicy, BusinessCategory, HallConfig

_n = {"i": 0}


def make_item(
    world: Any,
    code: str,
    *,
    name: str = "测试事项",
    name_en: str = "Test item",
    district: bool = True,
    street: bool = False,
    community: bool = False,
    tongban: str = "none",
    listed: list[Hall] | None = None,
) -> Item:
    """A published item (draft row + its first immutable version), found by the catalogue's search."""
    _n["i"] += 1
    main = MainItem.objects.create(code=f"M{_n['i']:05d}{code[-6:]}"[:20], name=name, department=world.dept)
    item = Item.objects.create(
        code=code,
        main=main,
        name=name,
        name_en=name_en,
        item_type="01",
        handling_kind="2",
        service_objects="1",
        implementing_body="市场监管局",
        level_district=district,
        level_street=street,
        level_community=community,
        department=world.dept,
        office=world.office,
        legal_limit_days=20,
        committed_limit_days=5,
        tongban=tongban,
        status=Item.Status.PUBLISHED,
    )
    if listed:
        item.listed_halls.set(listed)
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        code=code,
        name=name,
        handling_kind="2",
        legal_limit_days=20,
        committed_limit_days=5,
        snapshot={"materials": []},
        published_at=timezone.now(),
    )
    Item.objects.filter(pk=item.pk).update(current_version=version, **item_search_columns(item))
    return item


def setup_hall(
    hall: Hall, *, letters: str = "AB", capacity: int | None = None, **config: Any
) -> list[BusinessCategory]:
    """Every day 08:00–20:00 (so tests do not depend on the hour they run), 30-minute slots, categories
    A (default, windows 01..) and B (items listed in B), each served by its own window."""
    hall.opening_hours = {str(d): [["08:00", "20:00"]] for d in range(1, 8)}
    hall.save(update_fields=["opening_hours"])
    HallConfig.objects.update_or_create(hall=hall, defaults=config)
    BookingPolicy.objects.get_or_create(pk=1)
    cats = []
    for i, letter in enumerate(letters):
        window, _ = Window.objects.get_or_create(
            hall=hall, number=f"{i + 1:02d}", defaults={"name": f"窗口{i + 1}"}
        )
        cat = BusinessCategory.objects.create(
            hall=hall,
            letter=letter,
            name=f"业务{letter}",
            name_en=f"Business {letter}",
            is_default=(i == 0),
            capacity_override=capacity,
            item_codes=[] if i == 0 else [f"ITEM-{letter}"],
        )
        cat.windows.add(window)
        cats.append(cat)
    return cats


def next_workday(after: date | None = None) -> date:
    """The first working day strictly after ``after`` (default today)."""
    return work_calendar().add_workdays(after or timezone.localdate(), 1)


def at(d: date, hhmm: str) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.fromisoformat(hhmm)), timezone.get_current_timezone())


def applicants(n: int, prefix: str = "ap") -> list[Any]:
    return [make_applicant(f"{prefix}{i:04d}", f"申请人{i}") for i in range(n)]
