"""Catalogue items for application tests: built with the catalogue's own models and published through its
service, so every case is filed under a real immutable ItemVersion."""

from __future__ import annotations

from typing import Any

from yiwang.catalogue.models import FormField, Item, MainItem, Material, ProcessStep
from yiwang.catalogue.services import item_publish

_n = {"i": 0}

STEPS = ["受理", "审查", "决定", "办结"]


def make_item(
    world: Any,
    *,
    name: str = "食品经营许可",
    levels: tuple[str, ...] = ("district",),
    office: Any = None,
    committed: int = 10,
    legal: int = 20,
    tongban: str = "none",
    no_visit: bool = False,
    materials: list[dict[str, Any]] | None = None,
    instant: bool = False,
    form: list[dict[str, Any]] | None = None,
) -> Item:
    _n["i"] += 1
    n = _n["i"]
    office = office or world.office
    dept = office.department
    main = MainItem.objects.create(code=f"LG{n:02d}{n:03d}", name=name, department=dept)
    committed = 0 if instant else committed
    item = Item.objects.create(
        code=f"{main.code}-00-01",
        main=main,
        name=name,
        name_en=f"Item {n}",
        item_type="01",
        handling_kind="1" if instant else "2",
        service_objects="1,2",
        implementing_body=dept.name,
        level_district="district" in levels,
        level_street="street" in levels,
        level_community="community" in levels,
        department=dept,
        office=office,
        legal_basis="《行政许可法》",
        conditions="符合条件",
        legal_limit_days=legal,
        committed_limit_days=committed,
        visits=0,
        online_depth="4",
        no_visit=no_visit,
        tongban=tongban,
        postal_application=True,
    )
    if materials is None and instant:
        materials = [{"name": "申请书", "kind": "required"}, {"name": "营业执照复印件", "kind": "required"}]
    if materials is None:
        materials = [
            {"name": "申请书", "kind": "required"},
            {"name": "营业执照复印件", "kind": "required", "rongque_allowed": True, "rongque_max_days": 5},
            {"name": "授权委托书", "kind": "conditional", "condition": "委托他人办理的"},
        ]
    for pos, m in enumerate(materials, start=1):
        Material.objects.create(item=item, position=pos, **m)
    for pos, step in enumerate(STEPS, start=1):
        ProcessStep.objects.create(
            item=item, position=pos, name=step, office=office, days=0 if instant else 1
        )
    for pos, field in enumerate(form or [], start=1):
        FormField.objects.create(item=item, position=pos, **field)
    item_publish(actor=None, item=item)
    item.refresh_from_db()
    return item


def code_of(item: Item, position: int) -> str:
    return f"{item.code}-M{position:02d}"


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


# An application form with one question of each kind: the applicant's prefilled name and ID, a choice, a
# number with limits, a date, an address, a person, and a repeatable group of family members.
FORM = [
    {"key": "name", "label": "申请人姓名", "label_en": "Applicant's name", "prefill": "person.name"},
    {"key": "id_number", "label": "身份证号码", "label_en": "ID number", "prefill": "person.id_number"},
    {"key": "reason", "label": "申请事由", "label_en": "Reason", "kind": "choice",
     "choices": "新办 | New\n补办 | Replacement"},
    {"key": "area", "label": "经营面积（平方米）", "label_en": "Floor area (m²)", "kind": "number",
     "min_value": 1, "max_value": 10000},
    {"key": "opening", "label": "开业日期", "label_en": "Opening date", "kind": "date", "required": False},
    {"key": "site", "label": "经营场所", "label_en": "Premises", "kind": "address"},
    {"key": "contact", "label": "紧急联系人", "label_en": "Emergency contact", "kind": "person", "required": False},
    {"key": "members", "label": "家庭成员", "label_en": "Family members", "kind": "group", "max_rows": 3},
    {"key": "member_name", "label": "姓名", "label_en": "Name", "group": "members"},
    {"key": "relation", "label": "关系", "label_en": "Relation", "group": "members", "kind": "choice",
     "choices": "配偶 | Spouse\n子女 | Child"},
]  # fmt: skip
