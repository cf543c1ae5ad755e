"""The demo district's catalogue (loaded once for this module) and search over it: exact figures, every rule
passes, search in Chinese (also 1–2 characters), pinyin, initials and synonyms, exact name first; on SQLite and
on PostgreSQL (pg_trgm)."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from yiwang.catalogue.models import Item, ItemVersion, Material
from yiwang.catalogue.search import search_items
from yiwang.catalogue.selectors import catalogue_stats, items_for_hall

from .helpers import load_demo

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo")


def names(query: str, n: int = 5) -> list[str]:
    return [i.name for i in search_items(query)[:n]]


@pytest.mark.django_db
def test_the_figures_are_exactly_the_seeds() -> None:
    s = catalogue_stats()
    assert s["total"] == 598
    assert s["enterprise"] == 509
    assert s["no_visit"] == 187
    assert s["tongban_district"] == 100
    assert (s["rongque_items"], s["rongque_materials"]) == (206, 531)
    assert s["average_compression"] >= 0.5
    assert len(s["by_department"]) == 34
    assert s["by_organisation_kind"] == {"government": 498, "stationed": 71, "utility": 29}
    assert Item.objects.filter(department__code="LG22").count() == 19
    assert Item.objects.filter(department__code="JZ01").count() == 65
    assert Item.objects.filter(is_sample=False).count() >= 80
    assert ItemVersion.objects.count() == 598
    assert (
        Item.objects.filter(level_street=True).exists() and Item.objects.filter(level_community=True).exists()
    )


@pytest.mark.django_db
def test_every_demo_item_passes_the_catalogue_check() -> None:
    out = StringIO()
    call_command("catalogue", "check", stdout=out)
    assert out.getvalue().strip() == "598 item(s) checked: no violations"


@pytest.mark.django_db
def test_loading_again_changes_nothing() -> None:
    before = (Item.objects.count(), Material.objects.count(), ItemVersion.objects.count())
    load_demo()
    assert (Item.objects.count(), Material.objects.count(), ItemVersion.objects.count()) == before


@pytest.mark.django_db
def test_halls_accept_their_items() -> None:
    from yiwang.accounts.models import Hall

    jihua, pinghu = Hall.objects.get(code="H1009"), Hall.objects.get(code="H1001")
    social = Item.objects.filter(department__code="JZ01")
    assert items_for_hall(jihua).filter(department__code="JZ01").count() == 65
    assert items_for_hall(pinghu).filter(department__code="JZ01").count() == 0
    assert items_for_hall(pinghu).filter(department__code="LG22").count() == 19
    assert items_for_hall(Hall.objects.get(code="H3001")).count() == 200
    assert social.filter(tongban="district").count() == 0
    station = Hall.objects.filter(kind="community").first()
    assert station is not None
    assert items_for_hall(station).filter(tongban="district").count() == 100


@pytest.mark.django_db
def test_search_two_character_chinese() -> None:
    social = search_items("社保")
    assert social.count() >= 65
    assert social.filter(department__code="JZ01").count() == 65
    assert [i.name for i in social[:2]] == [i.name for i in list(social)[:2]]
    assert "个体工商户设立登记" in [i.name for i in search_items("执照")]


@pytest.mark.django_db
def test_search_pinyin_and_initials() -> None:
    assert names("jlyd") == ["敬老优待证办理"]
    assert names("jinglaoyoudai") == ["敬老优待证办理"]
    assert names("jing lao you dai") == ["敬老优待证办理"]
    assert names("gtgshsldj")[0] == "个体工商户设立登记"


@pytest.mark.django_db
def test_search_synonyms() -> None:
    assert names("狗证") == ["养犬登记"]
    assert names("老人证")[0] == "敬老优待证办理"
    assert names("个体户设立登记")[0] == "个体工商户设立登记"
    assert "最低生活保障申请" in names("低保")


@pytest.mark.django_db
def test_exact_name_ranks_first() -> None:
    assert names("结婚登记")[0] == "结婚登记"
    assert names("养犬登记")[:1] == ["养犬登记"]
    assert names("食品经营许可")[0].startswith("食品经营许可")


@pytest.mark.django_db
def test_search_finds_nothing_for_nonsense() -> None:
    assert names("zzzzqqq") == []
    assert names("   ") == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_uses_trigram_indexes() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'catalogue_item' AND indexname LIKE '%trgm'"
        )
        assert sorted(r[0] for r in cur.fetchall()) == [
            "catalogue_item_search_grams_trgm",
            "catalogue_item_search_initials_trgm",
            "catalogue_item_search_pinyin_trgm",
            "catalogue_item_search_text_trgm",
        ]
    assert names("jlyd") == ["敬老优待证办理"]
