"""The guide pages read their search, filters, page and ``?version=`` through query forms, and the page and
the API share one typed filter (``catalogue.browse``): a flag is on for 1, true or on, off for anything else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .helpers import make_item

if TYPE_CHECKING:
    from yiwang.catalogue.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world: Any) -> list[Item]:
    return [
        make_item(),
        make_item(
            code="D01002-00-01",
            main_code="D01002",
            name="食品经营许可（变更）",
            online_depth="4",
            no_visit=True,
            visits=0,
            visit_reason="",
        ),
    ]


def _count(page: str) -> str:
    """The number of items found; "" when no filter applies (the page then shows no count)."""
    return page.split("找到", 1)[1].split("个事项", 1)[0] if "找到" in page else ""


def test_the_api_flags_filter(items: list[Item], client: Any) -> None:
    for flag in ("online", "no_visit"):
        body = client.get("/api/catalogue/items", {flag: "true"}).json()
        assert [i["code"] for i in body["items"]] == ["D01002-00-01"], flag
    assert client.get("/api/catalogue/items", {"tongban": "true"}).json()["count"] == 0
    assert client.get("/api/catalogue/items").json()["count"] == 2


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"online": "1"}, "1"),
        ({"online": "on"}, "1"),
        ({"online": "true", "no_visit": "true"}, "1"),
        ({"online": "x"}, ""),  # not a flag's value: the filter is left out
        ({"online": "no"}, ""),
        ({"theme": "nope"}, ""),
        ({"department": "D" * 21}, ""),
        ({"q": "许可", "page": "0"}, "2"),
        ({"q": "许" * 61}, ""),  # a search longer than the API allows is left out too
    ],
)
def test_the_page_leaves_out_a_filter_it_cannot_read(
    items: list[Item], client: Any, query: dict[str, str], found: str
) -> None:
    r = client.get("/catalogue/", query)
    assert r.status_code == 200
    assert _count(r.content.decode()) == found


def test_a_version_that_is_not_a_number_reads_the_current_guide(items: list[Item], client: Any) -> None:
    url = "/catalogue/items/D01001-00-01/"
    assert "并非现行指南" not in client.get(url, {"version": "abc"}).content.decode()
    assert "并非现行指南" not in client.get(url, {"version": "1"}).content.decode()  # the current one
    assert client.get(url, {"version": "1"}).status_code == 200
    assert client.get(url, {"version": "2"}).status_code == 404
    assert client.get(url + "guide.pdf", {"version": str(2**64)}).status_code == 200
