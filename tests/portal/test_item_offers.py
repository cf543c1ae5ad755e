"""The guide is not a dead end: every guide and search result offers what the item allows (apply online,
book a visit at a hall that accepts it, ask or complain through 12345, the PDF), decided in one place."""

from __future__ import annotations

from typing import Any

import pytest

from tests.catalogue.helpers import make_item
from tests.halls.helpers import setup_hall

pytestmark = pytest.mark.django_db

CODE = "D01001-00-01"


def _offers(html: str, code: str) -> dict[str, str]:
    """data-offer → href inside the actions of ``code``."""
    start = html.index(f'data-item="{code}"')
    block = html[start : html.index("</p>", start)]
    out = {}
    for part in block.split("<a ")[1:]:
        href = part.split('href="', 1)[1].split('"', 1)[0]
        out[part.split('data-offer="', 1)[1].split('"', 1)[0]] = href.replace("&amp;", "&")
    return out


def test_guide_and_search_result_offer_apply_book_ask_and_pdf(world: Any, client_for: Any) -> None:
    make_item()  # district level, online depth III
    setup_hall(world.hall, letters="A")  # the district hall books its one queue
    c = client_for("anonymous")
    expected = {
        "apply": f"/applications/apply/{CODE}/",
        "book": f"/halls/H0001/book/?item={CODE}",
        "enquire": "/hotline/file/",
        "pdf": f"/catalogue/items/{CODE}/guide.pdf",
    }
    guide = c.get(f"/catalogue/items/{CODE}/").content.decode()
    assert _offers(guide, CODE) == {**expected, "phone": "tel:0755-12345"}
    assert "在线办理" in guide and "预约办理" in guide and "咨询 / 投诉" in guide
    results = c.get("/catalogue/", {"q": "spjyxk"}).content.decode()
    assert _offers(results, CODE) == expected


def test_information_only_item_is_not_applied_online_and_several_halls_book_through_the_map(
    world: Any, client_for: Any
) -> None:
    make_item(online_depth="1", level_street=True, phone="0755-28900000")
    setup_hall(world.hall, letters="A")
    setup_hall(world.other_hall, letters="A")
    c = client_for("anonymous")
    guide = c.get(f"/catalogue/items/{CODE}/").content.decode()
    assert _offers(guide, CODE) == {
        "book": f"/halls/?item={CODE}",
        "enquire": "/hotline/file/",
        "pdf": f"/catalogue/items/{CODE}/guide.pdf",
        "phone": "tel:0755-28900000",
    }


def test_no_booking_where_no_hall_takes_bookings(world: Any, client_for: Any) -> None:
    make_item()
    setup_hall(world.hall, letters="A", bookable=False)
    page = client_for("anonymous").get(f"/catalogue/items/{CODE}/").content.decode()
    assert set(_offers(page, CODE)) == {"apply", "enquire", "pdf", "phone"}
