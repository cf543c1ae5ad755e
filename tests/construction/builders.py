"""The construction tests' world: the plans' catalogue items (built with the catalogue's own models and
published through its service), the default plans, an owner and a registered project."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yiwang.catalogue.models import Item, MainItem, Material, ProcessStep
from yiwang.catalogue.services import item_publish
from yiwang.construction import services as s
from yiwang.construction.defaults import DEFAULT_PLANS

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Items of the planning bureau go to the world's other office, the rest to its office.
PLANNING = {"LG10007-00-00", "LG10002-00-00", "LG10001-00-00"}


def plan_items() -> dict[str, str]:
    out: dict[str, str] = {}
    for spec in DEFAULT_PLANS:
        for i in spec["definition"]["items"]:
            out[i["item"]] = i["name"]
    return out


def make_catalogue(w: Any) -> dict[str, Item]:
    made = {}
    for code, name in plan_items().items():
        office = w.other_office if code in PLANNING else w.office
        dept = office.department
        main = MainItem.objects.create(code=code.split("-")[0], name=name, department=dept)
        item = Item.objects.create(
            code=code,
            main=main,
            name=name,
            name_en=code,
            item_type="01",
            handling_kind="2",
            service_objects="2,3,6",
            implementing_body=dept.name,
            level_district=True,
            department=dept,
            office=office,
            legal_basis="《行政许可法》",
            conditions="符合条件",
            legal_limit_days=20,
            committed_limit_days=10,
            visits=0,
            online_depth="4",
            no_visit=True,
            postal_application=True,
        )
        Material.objects.create(item=item, position=1, name="申请表", kind="required")
        for pos, step in enumerate(["受理", "审查", "决定", "办结"], start=1):
            ProcessStep.objects.create(item=item, position=pos, name=step, office=office, days=1)
        item_publish(actor=None, item=item)
        made[code] = item
    return made


def setup(w: Any) -> dict[str, Any]:
    if "construction" in w.extra:
        return w.extra["construction"]  # type: ignore[no-any-return]
    items = make_catalogue(w)
    s.plans_install_defaults()
    w.extra["construction"] = {"items": items}
    return w.extra["construction"]  # type: ignore[no-any-return]


def register(
    w: Any,
    *,
    project_type: str = "gov_building",
    investment: str = "120000000",
    nature: str = "new",
    title: str = "龙岗区示范学校新建工程",
) -> Any:
    setup(w)
    return s.project_register(
        actor=w.users["agent"],
        enterprise=w.enterprise,
        data=s.ProjectInput(
            title=title,
            project_type=project_type,
            investment=Decimal(investment),
            nature=nature,
            location="龙岗区龙城街道",
        ),
    )


def submit(w: Any, case: Any, stage: int) -> Any:
    return s.project_submit_stage(
        actor=w.users["agent"],
        case_id=case.pk,
        data=s.StageInput(
            stage=stage, fields={"contact": "李四", "scale": "建筑面积 12000 平方米"}, dossier=PDF
        ),
    )
