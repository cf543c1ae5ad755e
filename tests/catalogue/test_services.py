"""Saving, publishing and versions: one audit event per service, nothing half-saved, immutable versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from yiwang.audit.models import AuditEvent
from yiwang.catalogue import selectors
from yiwang.catalogue.models import Item, ItemVersion, Material
from yiwang.catalogue.services import item_publish, item_save, item_withdraw
from yiwang.core.errors import Conflict, NotFound, ServiceError

from .helpers import item_data, make_item

pytestmark = pytest.mark.django_db


def test_save_and_publish_write_one_audit_event_each(world: Any) -> None:
    admin = world.users["dept_admin"]
    before = AuditEvent.objects.count()
    item = item_save(actor=admin, data=item_data())
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().action == "catalogue.item.create"
    version = item_publish(actor=admin, item=item, note="首次发布")
    assert AuditEvent.objects.count() == before + 2
    assert (version.number, version.published_by, version.committed_limit_days) == (1, admin, 5)
    assert selectors.item_published_version(item).pk == version.pk
    assert [m.code for m in selectors.item_materials(version)] == [
        "D01001-00-01-M01",
        "D01001-00-01-M02",
        "D01001-00-01-M03",
    ]
    assert [(m.name, m.rongque_max_days) for m in selectors.version_rongque_materials(version)] == [
        ("食品安全管理制度", 5)
    ]
    assert selectors.version_committed_limit(version) == 5


def test_a_violating_item_is_refused_whole_with_every_message(world: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        item_save(actor=None, data=item_data(committed_limit_days=25, visits=1, visit_reason=""))
    assert exc.value.fields == {
        "committed_limit_days": "承诺时限（25个工作日）超过法定时限（20个工作日）。",
        "visit_reason": "该事项需要到现场1次：请填写到现场的原因。",
    }
    assert Item.objects.count() == 0 and Material.objects.count() == 0


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"code": "D01001-1-01"}, "code", "事项编码“D01001-1-01”不符合“主项编码-子项-办理项”格式（如 LG19001-00-01）。"),
    ({"department": "X99"}, "department", "未知的部门“X99”。"),
    ({"office": "D0201"}, "office", "科室“D0201”不属于主管部门。"),
    ({"item_type": "11"}, "item_type", "“11”不是允许的取值（01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 20）。"),
])  # fmt: skip
def test_bad_codes_and_references(world: Any, overrides: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ServiceError) as exc:
        item_save(actor=None, data=item_data(**overrides))
    assert exc.value.fields[field] == message
    assert Item.objects.count() == 0


def test_the_database_refuses_committed_above_legal(world: Any) -> None:
    item = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(committed_limit_days=30)


def test_editing_the_draft_leaves_the_published_version_alone(world: Any) -> None:
    item = make_item()
    v1 = selectors.item_published_version(item)
    item_save(
        actor=None,
        data=item_data(
            committed_limit_days=3,
            steps=[
                {"position": 1, "name": "受理", "office": "", "days": 0, "description": ""},
                {"position": 2, "name": "审查", "office": "D0101", "days": 1, "description": ""},
                {"position": 3, "name": "决定", "office": "D0101", "days": 1, "description": ""},
                {"position": 4, "name": "办结送达", "office": "D0101", "days": 1, "description": ""},
            ],
            materials=item_data()["materials"][:2],
        ),
    )
    item.refresh_from_db()
    assert item.draft_changed is True
    assert selectors.item_published_version(item).committed_limit_days == 5
    v2 = item_publish(actor=None, item=item)
    assert (v2.number, v2.committed_limit_days, len(v2.materials)) == (2, 3, 2)
    v1.refresh_from_db()
    assert (v1.committed_limit_days, len(v1.materials)) == (5, 3)
    assert [v.number for v in selectors.item_versions(item)] == [2, 1]


def test_versions_are_immutable(world: Any) -> None:
    item = make_item()
    version = selectors.item_published_version(item)
    version.note = "changed"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    with pytest.raises(ValueError, match="immutable"):
        version.delete()
    assert ItemVersion.objects.get(pk=version.pk).note == "first"


@pytest.mark.postgres
def test_the_database_refuses_to_change_a_version(world: Any) -> None:
    assert connection.vendor == "postgresql"
    version = selectors.item_published_version(make_item())
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        ItemVersion.objects.filter(pk=version.pk).update(note="x")
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM catalogue_itemversion WHERE id = %s", [version.pk])


def test_publishing_a_violating_draft_is_refused(world: Any) -> None:
    item = make_item(publish=False)
    Item.objects.filter(pk=item.pk).update(visit_reason="")
    with pytest.raises(Conflict, match="D01001-00-01"):
        item_publish(actor=None, item=item)
    assert ItemVersion.objects.count() == 0


def test_withdrawn_items_leave_the_guides_but_keep_their_versions(world: Any) -> None:
    item = make_item()
    item_withdraw(actor=None, item=item, reason="事项取消")
    with pytest.raises(NotFound):
        selectors.item_published_version(Item.objects.get(pk=item.pk))
    assert ItemVersion.objects.filter(item=item).count() == 1
    assert selectors.item_get("D01001-00-01").status == "withdrawn"


def test_items_for_hall_follows_levels_tongban_and_listed_halls(world: Any) -> None:
    from yiwang.accounts.models import Hall

    district_item = make_item()
    street_item = make_item(
        code="D01002-00-00",
        main_code="D01002",
        handling_type="00",
        name="街道事项",
        item_type="20",
        level_district=False,
        level_street=True,
        result_is_certificate=False,
        result_sample="",
        steps=[],
    )
    tongban_item = make_item(
        code="D01003-00-00",
        main_code="D01003",
        handling_type="00",
        name="通办事项",
        item_type="20",
        tongban="district",
        result_is_certificate=False,
        result_sample="",
        steps=[],
    )
    park = Hall.objects.create(
        code="H3001", name="园区平台", kind="park", district=world.district, address="x", lat=0, lng=0
    )
    listed_item = make_item(
        code="D01004-00-00",
        main_code="D01004",
        handling_type="00",
        name="园区事项",
        item_type="20",
        listed_halls=["H3001"],
        result_is_certificate=False,
        result_sample="",
        steps=[],
    )
    assert set(selectors.items_for_hall(world.hall)) == {district_item, tongban_item, listed_item}
    assert set(selectors.items_for_hall(world.other_hall)) == {street_item, tongban_item}
    assert set(selectors.items_for_hall(park)) == {listed_item}
    assert selectors.item_office_for_hall(street_item, world.other_hall) == street_item.office


def test_the_common_synonyms_are_added_once_with_one_audit_event() -> None:
    from io import StringIO

    from django.core.management import call_command

    from yiwang.catalogue.models import Synonym
    from yiwang.catalogue.search import default_synonyms, synonyms_for
    from yiwang.catalogue.services import synonyms_add

    pairs = default_synonyms()
    assert ("社保", "社会保险") in pairs and len(pairs) == len(set(pairs)) == 30
    Synonym.objects.create(term="社保", expansion="社会保险")
    out = StringIO()
    call_command("catalogue", "synonyms", stdout=out)
    assert out.getvalue().strip() == "29 of 30 common synonym(s) added"
    assert Synonym.objects.count() == 30
    assert AuditEvent.objects.filter(action="catalogue.synonyms.add").count() == 1
    assert synonyms_add(actor=None, pairs=pairs) == 0
    assert AuditEvent.objects.filter(action="catalogue.synonyms.add").count() == 1
    assert "养犬登记" in synonyms_for("狗证")
