"""An instant item (即办件) reads 即时办结 wherever its time limit is shown, never "0 个工作日"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.applications.builders import make_item
from yiwang.core.text import time_limit

pytestmark = pytest.mark.django_db


def test_the_wording() -> None:
    assert (time_limit(0), time_limit(None), time_limit(5)) == ("即时办结", "即时办结", "5个工作日")
    with translation.override("en"):
        assert (time_limit(0), time_limit(1)) == ("On the spot", "1 working days")


def test_online_items_and_the_guide(world: Any) -> None:
    instant = make_item(world, name="即办证明", instant=True, no_visit=True)
    make_item(world, name="即办许可", committed=10)
    page = Client().get("/applications/items/").content.decode()
    assert "即办证明" in page and "即时办结" in page and "10个工作日" in page
    assert not re.search(r"(?<!\d)0 ?个工作日", page)
    page = Client().get(f"/catalogue/items/{instant.code}/").content.decode()
    assert "<strong>即时办结</strong>" in page
    assert not re.search(r"(?<!\d)0 ?个工作日", page)


def test_an_electronic_material_has_no_paper_to_count(world: Any) -> None:
    item = make_item(
        world,
        name="电子材料事项",
        materials=[
            {"name": "电子申请表", "kind": "required", "originals": 0, "copies": 0, "medium": "electronic"},
            {"name": "身份证", "kind": "required", "originals": 1, "copies": 1},
        ],
    )
    page = Client().get(f"/catalogue/items/{item.code}/").content.decode()
    assert "原件1份，复印件1份" in page
    assert "原件0份" not in page and "复印件0份" not in page
