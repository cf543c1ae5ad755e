"""The portal's home as a government portal (entrances by service object, themes from the items' tags, hot
items from real application counts, the hotline, the footer's sponsor and filing numbers, the district in
the header) and the workbench's home with the user's own counts, each linking to its list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.applications.builders import code_of
from tests.applications.builders import make_item as make_app_item
from tests.catalogue.helpers import make_item
from yiwang.applications import services as s
from yiwang.cases.models import Case

pytestmark = pytest.mark.django_db


def test_home_has_entrances_themes_hot_items_hotline_and_footer(
    world: Any, client_for: Any, settings: Any
) -> None:
    settings.YIWANG_SITE = {
        "sponsor": "深圳市龙岗区政务服务和数据管理局",
        "contact": "0755-28949999",
        "icp": "粤ICP备12345678号",
        "psb": "粤公网安备44030702001234号",
        "hotline": "12345",
    }
    make_item()  # themes operating,start; service objects 2,5 (legal persons)
    hot = make_app_item(world, name="个体工商户登记")
    s.application_receive(actor=world.users["clerk"], item=hot, person=world.other_person)
    cache.clear()
    page = client_for("anonymous").get("/").content.decode()
    assert "深圳市龙岗区" in page.split("</header>")[0]
    assert "个人办事" in page and "法人办事" in page
    business = page.split('id="entrance-business"')[1].split("</section>")[0]
    assert "/catalogue/?audience=business&amp;theme=start" in business and "企业开办" in business
    person = page.split('id="entrance-person"')[1].split("</section>")[0]
    assert "theme=start" not in person  # no person item is tagged
    hot_block = page.split('id="hot-items"')[1].split("</section>")[0]
    assert "个体工商户登记" in hot_block and "食品经营许可" not in hot_block
    assert 'href="tel:12345"' in page.split('id="home-hotline"')[1].split("</p>")[0]
    foot = page.split('id="site-foot"')[1]
    for text in (
        "主办单位：深圳市龙岗区政务服务和数据管理局",
        "联系方式：0755-28949999",
        "粤ICP备12345678号",
        "粤公网安备44030702001234号",
    ):
        assert text in foot
    en = client_for("anonymous")
    en.cookies["django_language"] = "en"
    page_en = en.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Longgang" in page_en.split("</header>")[0] and "Sponsor: " in page_en


def test_home_without_applications_has_no_hot_items(world: Any, client_for: Any) -> None:
    make_item()
    cache.clear()
    assert 'id="hot-items"' not in client_for("anonymous").get("/").content.decode()


def _counts(page: str) -> dict[str, tuple[str, str]]:
    block = page.split('id="my-counts"')[1].split("</section>")[0]
    out = {}
    for part in block.split("<a ")[1:]:
        href = part.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        key = part.split('data-count="', 1)[1].split('"', 1)[0]
        out[key] = (part.split("<strong>", 1)[1].split("</strong>", 1)[0], href)
    return out


def test_workbench_home_shows_the_users_own_counts(world: Any, client_for: Any) -> None:
    item = make_app_item(world)
    clerk = world.users["clerk"]
    cases = [
        s.application_receive(actor=clerk, item=item, person=world.other_person, provided=[code_of(item, 1)])
        for _ in range(3)
    ]
    today = timezone.localdate()
    Case.objects.filter(pk=cases[0].pk).update(due_date=today - timedelta(days=3))
    Case.objects.filter(pk=cases[1].pk).update(due_date=today)
    Case.objects.filter(pk=cases[2].pk).update(due_date=today + timedelta(days=30))
    s.application_request_not_accept(
        actor=clerk, case_id=cases[2].pk, reason_code="prohibited", reason="禁止", guidance="不可办理"
    )
    page = client_for("clerk").get("/workbench/").content.decode()
    assert _counts(page) == {
        "todo": ("2", "/applications/inbox/"),
        "due_soon": ("1", "/applications/inbox/?when=due_soon"),
        "overdue": ("1", "/applications/inbox/?when=overdue"),
    }
    assert "待办" in page and "临期" in page and "超期" in page
    sup = client_for("supervisor").get("/workbench/").content.decode()
    assert _counts(sup)["approvals"] == ("1", "/applications/approvals/")
    assert "待审批" in sup
