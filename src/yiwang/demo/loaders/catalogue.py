"""The demo district's catalogue (idempotent): 598 published items with exactly the seeds' figures.

Figures (CAPABILITIES.md C1, C3–C5, C14, C20): 598 items across the 24 departments and the streets and
communities; 509 serve enterprises; 187 are 不见面; 100 are district-wide 通办; 206 allow 容缺 with 531 容缺
materials; committed limits on average ≥ 50% below legal limits; 19 medical-insurance items in the district
and street halls; 65 social-insurance items in the district hall and the 吉华, 园山 and 宝龙 street halls;
items of the seven utilities; each park platform offers a subset of 200 items. The hand-written items in
``demo_items.py`` are real items; the rest are generated from ``demo_vocab.py`` and marked as sample data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from yiwang.catalogue.models import Item, Synonym
from yiwang.demo.context import DemoContext

from .catalogue_items import HANDWRITTEN
from .catalogue_vocab import DEPT_PLAN, HANDLING_NAMES, VARIANT_SUFFIXES

TARGETS = {
    "total": 598,
    "enterprise": 509,
    "no_visit": 187,
    "tongban_district": 100,
    "rongque_items": 206,
    "rongque_materials": 531,
    "medical_insurance": 19,
    "social_insurance": 65,
}
SOCIAL_INSURANCE_HALLS = ["H0001", "H1009", "H1010", "H1011"]  # district hall, 吉华, 园山, 宝龙
PARK_HALLS = [f"H3{i:03d}" for i in range(1, 10)]
PARK_SUBSET = 200
ENTERPRISE = {"2", "3", "4", "5", "9"}

SYNONYMS = [
    ("社保", "社会保险"), ("医保", "医疗保险"), ("医保", "医疗保障"), ("执照", "营业执照"), ("个体户", "个体工商户"),
    ("低保", "最低生活保障"), ("老人证", "敬老优待证"), ("狗证", "养犬登记"), ("犬证", "养犬登记"),
    ("出生证", "出生医学证明"), ("准生证", "生育登记"), ("残疾证", "残疾人证"), ("户口", "户籍"), ("落户", "户口迁入"),
    ("开公司", "公司设立登记"), ("注册公司", "有限责任公司设立登记"), ("施工证", "施工许可"), ("排水证", "排水管网许可"),
    ("卫生证", "卫生许可"), ("高龄津贴", "高龄老人津贴"), ("领证", "结婚登记"), ("环评", "环境影响"),
    ("公租房", "公共租赁住房"), ("失业金", "失业保险金"), ("退休", "养老保险待遇"), ("房产证", "不动产权证书"),
    ("驾照", "驾驶证"), ("身份证", "居民身份证"), ("食品许可", "食品经营许可"), ("社保卡", "社会保障卡"),
]  # fmt: skip

DISTRICT_PLACE = "龙岗区政务服务中心（深圳市龙岗区龙城街道龙福路3号）"
DISTRICT_HOURS = "周一至周五 9:00–12:00、14:00–18:00；周六 9:00–12:00、14:00–17:00（法定节假日除外）"
STREET_PLACE = "各街道党群服务中心（政务服务大厅）"
STREET_HOURS = "周一至周五 9:00–12:00、14:00–18:00（法定节假日除外）"
COMMUNITY_PLACE = "各社区党群服务中心"

# (legal, committed) pairs for generated promised items: each compresses by at least half.
LIMIT_PAIRS = [(20, 10), (20, 5), (15, 5), (30, 10), (10, 5), (20, 8), (60, 20), (45, 15), (5, 2), (30, 15),
               (20, 3), (15, 7), (10, 4), (7, 3)]  # fmt: skip


def _digest(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)  # noqa: S324 - ordering only


def parse_material(spec: str, position: int, committed: int) -> dict[str, Any]:
    parts = spec.split("|")
    m: dict[str, Any] = {
        "position": position, "name": parts[0], "kind": "required", "condition": "", "originals": 1, "copies": 0,
        "medium": "either", "blank_form": "", "filled_sample": "", "source": "applicant", "source_note": "",
        "rongque_allowed": False, "rongque_max_days": 0, "notes": "",
    }  # fmt: skip
    for p in parts[1:]:
        if p.startswith("?"):
            m["kind"], m["condition"] = "conditional", p[1:]
        elif p.startswith("c") and p[1:].isdigit():
            m["copies"], m["originals"] = int(p[1:]), 0
        elif p.startswith("o") and p[1:].isdigit():
            m["originals"] = int(p[1:])
        elif p.startswith("E:"):
            m["source"], m["source_note"] = "elicence", p[2:]
        elif p.startswith("S:"):
            m["source"], m["source_note"] = "shared", p[2:]
        elif p.startswith("R") and p[1:].isdigit():
            if committed >= 1:
                m["rongque_allowed"], m["rongque_max_days"] = True, min(int(p[1:]), committed)
        elif p == "form":
            m["blank_form"] = m["filled_sample"] = "form"
        elif p == "e":
            m["medium"], m["originals"] = "electronic", 0
    if m["source"] != "applicant":
        m["originals"] = m["copies"] = 0
        m["medium"] = "electronic"
    return m


def steps_for(item_type: str, committed: int, office: str) -> list[dict[str, Any]]:
    if item_type == "01":
        names = ["受理", "审查", "决定", "办结送达"]
    elif item_type == "05":
        names = ["受理", "审核", "审批", "发放"]
    else:
        names = ["受理", "审核", "办结"]
    days = [0] * len(names)
    if committed >= 4:
        days[0] = 1
    if committed >= 3:
        days[-1] = 1
    if committed >= 5 and len(names) == 4:
        days[2] = 1
    days[1] = committed - sum(days)
    descriptions = {
        "受理": "综合窗口或网上受理，一次性告知",
        "审查": "审查申请材料，必要时现场核查",
        "审核": "审核申请材料",
        "决定": "作出准予或不予许可的决定",
        "审批": "审批决定",
        "办结送达": "制发结果，邮寄或窗口领取",
        "办结": "办结并告知结果",
        "发放": "发放待遇或补贴",
    }
    return [
        {
            "position": i,
            "name": n,
            "office": "" if n == "受理" else office,
            "days": d,
            "description": descriptions.get(n, ""),
        }
        for i, (n, d) in enumerate(zip(names, days, strict=True), 1)
    ]


def _base_item(
    dept: dict[str, Any],
    name: str,
    *,
    code: str,
    main_code: str,
    main_name: str,
    ht: str,
    item_type: str,
    objects: str,
    levels: str,
    legal: int,
    committed: int,
    office_suffix: str,
    themes: str,
) -> dict[str, Any]:
    district_level = "d" in levels
    return {
        "code": code, "main_code": main_code, "main_name": main_name, "sub_code": "", "sub_name": "",
        "handling_type": ht, "name": name, "name_en": "", "item_type": item_type,
        "handling_kind": "1" if committed == 0 else "2", "service_objects": objects,
        "power_source": "1", "implementing_body": dept["name"] if district_level else "各街道办事处",
        "body_nature": "2" if dept["kind"] == "utility" else "1", "level_district": district_level,
        "level_street": "s" in levels, "level_community": "c" in levels, "department": dept["code"],
        "office": f"{dept['code']}{office_suffix}", "co_offices": [], "intermediary_services": "",
        "legal_basis": "", "conditions": "", "legal_limit_days": legal, "committed_limit_days": committed,
        "quantity_limit": "无数量限制", "has_fee": False, "fee_standard": "", "fee_basis": "", "result_name": "",
        "result_is_certificate": False, "result_sample": "", "result_elicence": False, "visits": 1,
        "visit_reason": "核验原件并领取结果", "online_depth": "3", "no_visit": False, "postal_application": False,
        "tongban": "none", "listed_halls": [], "listed_halls_only": False, "appointment_required": False,
        "express_delivery": False, "online_payment": False, "online_url": "",
        "place": DISTRICT_PLACE if district_level else (STREET_PLACE if "s" in levels else COMMUNITY_PLACE),
        "hours": DISTRICT_HOURS if district_level else STREET_HOURS, "phone": "0755-12345",
        "faq": [], "themes": themes, "keywords": "", "is_sample": False, "materials": [], "steps": [],
    }  # fmt: skip


def handwritten_items(depts: dict[str, dict[str, Any]], numbers: dict[str, int]) -> list[dict[str, Any]]:
    items = []
    mains: dict[tuple[str, str], str] = {}
    for h in HANDWRITTEN:
        dept = depts[h["dept"]]
        key = (h["dept"], h["main_name"])
        if key not in mains:
            numbers[h["dept"]] += 1
            mains[key] = f"{h['dept']}{numbers[h['dept']]:03d}"
        main_code = mains[key]
        d = _base_item(
            dept,
            h["name"],
            code=f"{main_code}-00-{h['handling_type']}",
            main_code=main_code,
            main_name=h["main_name"],
            ht=h["handling_type"],
            item_type=h["item_type"],
            objects=h["service_objects"],
            levels=h["levels"],
            legal=h["legal"],
            committed=h["committed"],
            office_suffix=h["office"],
            themes=h["themes"],
        )
        d.update({
            "name_en": h["name_en"], "legal_basis": h["legal_basis"], "conditions": h["conditions"],
            "result_name": h["result_name"], "result_is_certificate": h["result_is_certificate"],
            "result_elicence": h["result_elicence"], "visits": h["visits"], "visit_reason": h["visit_reason"],
            "online_depth": h["online_depth"], "no_visit": h["no_visit"] or h["visits"] == 0,
            "tongban": "district" if h["tongban"] else "none", "keywords": h["keywords"], "faq": h["faq"],
            "appointment_required": h["appointment_required"], "online_payment": h["online_payment"],
        })  # fmt: skip
        if h["fee"]:
            d["has_fee"], d["fee_standard"], d["fee_basis"] = True, h["fee"][0], h["fee"][1]
        d["materials"] = [parse_material(s, i, h["committed"]) for i, s in enumerate(h["materials"], 1)]
        d["steps"] = steps_for(h["item_type"], h["committed"], d["office"])
        items.append(d)
    return items


def _generated_type(name: str) -> str:
    if any(
        w in name
        for w in (
            "补贴",
            "资助",
            "津贴",
            "补助",
            "抚恤",
            "救助",
            "贴息",
            "褒扬",
            "优待金",
            "待遇",
            "报销",
            "扶持",
            "奖励",
            "保障金",
            "一次性支付",
            "申领",
        )
    ):
        return "05"
    if any(w in name for w in ("认定", "确认", "登记", "鉴定", "评定", "审核")):
        return "07"
    if "备案" in name:
        return "10"
    if any(w in name for w in ("许可", "审批", "核准", "核发", "审查", "资质", "验收")):
        return "01"
    return "20"


def _generated_result(base: str, item_type: str, ht: str) -> tuple[str, bool]:
    if ht == "04":
        return "准予注销决定书", False
    if item_type == "01" and (base.endswith("许可") or base.endswith("资质") or base.endswith("核发")):
        return (base[:-2] + "证" if base.endswith("核发") else base + "证"), True
    if item_type == "01":
        return "准予" + base + "决定书", False
    if item_type == "07":
        return base + "结果通知", False
    if item_type == "10":
        return "备案回执", False
    return base + "办理结果", False


def generated_items(
    depts: dict[str, dict[str, Any]], numbers: dict[str, int], have: dict[str, int]
) -> list[dict[str, Any]]:
    items = []
    for dcode, (total, theme, bases) in DEPT_PLAN.items():
        dept = depts[dcode]
        need = total - have.get(dcode, 0)
        made = 0
        rounds = 0
        while made < need:
            suffix = VARIANT_SUFFIXES[rounds - 1] if rounds else ""
            for base in bases:
                if made >= need:
                    break
                street_only = base.startswith("^")
                single = street_only or base.startswith("!")
                base_name = base.lstrip("!^") + suffix
                numbers[dcode] += 1
                main_code = f"{dcode}{numbers[dcode]:03d}"
                kinds = [("00", "")] if single else HANDLING_NAMES
                for ht, label in kinds:
                    if made >= need:
                        break
                    name = f"{base_name}（{label}）" if label else base_name
                    item_type = "01" if not single else _generated_type(base_name)
                    seed = _digest(f"{dcode}{name}")
                    if any(w in name for w in ("查询", "打印", "开具", "激活", "预约")) or (
                        item_type == "10" and seed % 3 == 0
                    ):
                        legal, committed = (5, 0)
                    else:
                        legal, committed = LIMIT_PAIRS[seed % len(LIMIT_PAIRS)]
                    if dcode in ("UT07", "LG22"):
                        levels = "ds"
                    elif street_only:
                        levels = "sc" if seed % 2 else "s"
                    elif dcode == "UT05":
                        levels = "dsc"
                    else:
                        levels = "d"
                    person_depts = (
                        "LG06",
                        "LG17",
                        "LG24",
                        "LG05",
                        "LG16",
                        "LG22",
                        "UT01",
                        "UT02",
                        "UT03",
                        "UT04",
                        "UT07",
                    )
                    objects = (
                        "1"
                        if (street_only or dcode in person_depts) and seed % 4
                        else ("1,2" if seed % 2 else "2,5")
                    )
                    office_suffix = "01" if item_type == "01" else "02"
                    code = f"{main_code}-00-{ht}"
                    d = _base_item(
                        dept,
                        name,
                        code=code,
                        main_code=main_code,
                        main_name=base_name,
                        ht=ht,
                        item_type=item_type,
                        objects=objects,
                        levels=levels,
                        legal=legal,
                        committed=committed,
                        office_suffix=office_suffix,
                        themes=theme,
                    )
                    result, cert = _generated_result(base_name, item_type, ht)
                    d.update({
                        "is_sample": True, "result_name": result, "result_is_certificate": cert,
                        "result_elicence": cert, "legal_basis": _generated_basis(dept, base_name),
                        "conditions": f"符合{base_name}相关法律法规规定条件的申请人。",
                        "power_source": "2" if seed % 7 == 0 else "1",
                    })  # fmt: skip
                    d["materials"] = _generated_materials(objects, name, seed, committed)
                    d["steps"] = steps_for(item_type, committed, d["office"])
                    items.append(d)
                    made += 1
            rounds += 1
    return items


def _generated_basis(dept: dict[str, Any], base: str) -> str:
    return f"《{base}管理办法》（示例数据）；《中华人民共和国行政许可法》第二十九条、第四十二条"


def _generated_materials(objects: str, name: str, seed: int, committed: int) -> list[dict[str, Any]]:
    org = bool(set(objects.split(",")) & ENTERPRISE)
    specs = [
        "营业执照|E:营业执照电子证照" if org else "申请人居民身份证|E:居民身份证电子证照",
        f"{name.split('（')[0]}申请表",
        "经办人身份证明|?委托他人办理的",
        "相关证明材料",
    ]
    extras = ["场所使用证明", "法定代表人身份证明", "情况说明", "相关图纸资料"]
    specs += extras[: seed % 3]
    return [parse_material(s, i, committed) for i, s in enumerate(specs, 1)]


def _pick(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: _digest(key + d["code"]))


def apply_figures(items: list[dict[str, Any]]) -> None:
    """Adjust the generated items so the catalogue matches the seeds' figures exactly."""
    gen = [d for d in items if d["is_sample"]]

    def enterprise(d: dict[str, Any]) -> bool:
        return bool(set(d["service_objects"].split(",")) & ENTERPRISE)

    # 509 items serve enterprises.
    diff = TARGETS["enterprise"] - sum(1 for d in items if enterprise(d))
    for d in _pick(gen, "ent"):
        if diff > 0 and not enterprise(d):
            d["service_objects"] = "1,2"
            diff -= 1
        elif diff < 0 and enterprise(d):
            d["service_objects"] = "1"
            diff += 1
    assert diff == 0, "cannot reach the enterprise figure"

    # 187 不见面 (no visit at all). Every item needs at most one visit.
    for d in items:
        if d["visits"] == 0 and not d["no_visit"]:
            d["no_visit"] = True
    diff = TARGETS["no_visit"] - sum(1 for d in items if d["no_visit"])
    for d in _pick(gen, "nv"):
        if diff <= 0:
            break
        if not d["no_visit"]:
            d.update(
                {
                    "no_visit": True,
                    "visits": 0,
                    "visit_reason": "",
                    "online_depth": "4",
                    "express_delivery": True,
                }
            )
            diff -= 1
    assert diff == 0, "cannot reach the no-visit figure"
    for d in items:
        if d["visits"] == 0:
            d["express_delivery"] = True
            if d["online_depth"] != "4":
                d["postal_application"] = True
        if d["no_visit"] and d["online_depth"] in ("1", "2"):
            d["online_depth"] = "3"

    # 100 district-wide 通办 (not the utilities' counters, which stay where they are).
    diff = TARGETS["tongban_district"] - sum(1 for d in items if d["tongban"] == "district")
    candidates = [d for d in _pick(gen, "tb") if not d["department"].startswith("UT")]
    candidates.sort(key=lambda d: 0 if (d["level_street"] or d["level_community"]) else 1)
    for d in candidates:
        if diff <= 0:
            break
        if d["tongban"] == "none":
            d["tongban"] = "district"
            diff -= 1
    assert diff == 0

    # 206 items allow 容缺, with 531 容缺 materials in all.
    def rq(d: dict[str, Any]) -> int:
        return sum(1 for m in d["materials"] if m["rongque_allowed"])

    have_items = sum(1 for d in items if rq(d))
    have_materials = sum(rq(d) for d in items)
    need_items = TARGETS["rongque_items"] - have_items
    need_materials = TARGETS["rongque_materials"] - have_materials
    chosen = [d for d in _pick(gen, "rq") if d["committed_limit_days"] >= 1 and not rq(d)][:need_items]
    assert len(chosen) == need_items and need_items > 0
    per, extra = divmod(need_materials, need_items)
    for i, d in enumerate(chosen):
        k = per + (1 if i < extra else 0)
        eligible = [m for m in d["materials"][1:] if m["kind"] == "required" or True]
        while len(eligible) < k:
            pos = len(d["materials"]) + 1
            d["materials"].append(
                parse_material(
                    ["现场照片", "其他补充材料", "承诺书"][pos % 3], pos, d["committed_limit_days"]
                )
            )
            eligible = d["materials"][1:]
        for m in eligible[:k]:
            m["rongque_allowed"] = True
            m["rongque_max_days"] = min(5, d["committed_limit_days"])
    assert sum(rq(d) for d in items) == TARGETS["rongque_materials"]
    assert sum(1 for d in items if rq(d)) == TARGETS["rongque_items"]

    # Social-insurance counters: the district hall and three street halls only.
    for d in items:
        if d["department"] == "UT07":
            d["listed_halls"] = list(SOCIAL_INSURANCE_HALLS)
            d["listed_halls_only"] = True
        if d["result_is_certificate"]:
            d["result_sample"] = f"catalogue/samples/{d['code']}.pdf"
        for m in d["materials"]:
            if m["blank_form"] == "form":
                m["blank_form"] = f"catalogue/forms/{d['code']}-M{m['position']:02d}-blank.pdf"
                m["filled_sample"] = f"catalogue/forms/{d['code']}-M{m['position']:02d}-sample.pdf"

    # Park platforms: each offers 200 items for enterprises (its configured subset).
    ent_items = [
        d for d in items if enterprise(d) and d["level_district"] and not d["department"].startswith("UT")
    ]
    for i, hall in enumerate(PARK_HALLS):
        for d in _pick(ent_items, f"park{i}")[:PARK_SUBSET]:
            d["listed_halls"] = sorted({*d["listed_halls"], hall})


def build_catalogue(depts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    numbers = dict.fromkeys(depts, 0)
    hand = handwritten_items(depts, numbers)
    have: dict[str, int] = {}
    for d in hand:
        have[d["department"]] = have.get(d["department"], 0) + 1
    items = hand + generated_items(depts, numbers, have)
    assert len(items) == TARGETS["total"], len(items)
    apply_figures(items)
    return items


_GENERIC: dict[str, bytes] = {}


def _sample_pdf(title: str, subtitle: str) -> bytes:
    from yiwang.core.pdf import pdf_document

    return pdf_document(title, [("p", "样本 SAMPLE — 仅供参考，不作为正式文书使用。")], subtitle=subtitle)


def _generic(kind: str) -> bytes:
    if kind not in _GENERIC:
        _GENERIC[kind] = _sample_pdf(kind, "龙岗区政务服务示范数据")
    return _GENERIC[kind]


def _ensure_files(d: dict[str, Any]) -> None:
    """Result samples of hand-written items are named; forms and generated items share generic samples."""
    if d["result_sample"] and not default_storage.exists(d["result_sample"]):
        content = (
            _generic("证照样本") if d["is_sample"] else _sample_pdf(d["result_name"] + "（样本）", d["name"])
        )
        default_storage.save(d["result_sample"], ContentFile(content))
    for m in d["materials"]:
        for f, label in (("blank_form", "空白表格"), ("filled_sample", "填写样例")):
            if m[f] and not default_storage.exists(m[f]):
                default_storage.save(m[f], ContentFile(_generic(label)))


def _bulk_create(rows: list[tuple[dict[str, Any], dict[str, Any]]], now: Any) -> int:
    """Create and publish new items in bulk (the demo's fast path; same result as item_save + publish)."""
    from yiwang.catalogue.models import ItemVersion, MainItem, Material, ProcessStep
    from yiwang.catalogue.search import search_columns
    from yiwang.catalogue.snapshot import ITEM_FIELDS, material_code

    mains = {m.code: m for m in MainItem.objects.filter(code__in={d["main_code"] for d, _r in rows})}
    new_mains = []
    for d, refs in rows:
        if d["main_code"] not in mains:
            mains[d["main_code"]] = MainItem(
                code=d["main_code"], name=d["main_name"], department=refs["department"]
            )
            new_mains.append(mains[d["main_code"]])
    MainItem.objects.bulk_create(new_mains)
    mains = {m.code: m for m in MainItem.objects.filter(code__in={d["main_code"] for d, _r in rows})}
    skip = {
        "code",
        "main_code",
        "main_name",
        "sub_code",
        "sub_name",
        "department",
        "office",
        "co_offices",
        "listed_halls",
        "result_sample",
    }
    objs = []
    for d, refs in rows:
        item = Item(
            code=d["code"],
            main=mains[d["main_code"]],
            department=refs["department"],
            office=refs["office"],
            **{f: d[f] for f in ITEM_FIELDS if f not in skip},
        )
        item.result_sample.name = d["result_sample"]
        columns = search_columns(
            d["name"],
            d["keywords"],
            d["result_name"],
            d["main_name"],
            refs["department"].short_name,
            d["code"],
            d["name_en"],
        )
        for field, value in columns.items():
            setattr(item, field, value)
        item.status, item.draft_changed = Item.Status.PUBLISHED, False
        objs.append(item)
    Item.objects.bulk_create(objs, batch_size=200)
    by_code = {i.code: i for i in Item.objects.filter(code__in=[d["code"] for d, _r in rows])}
    halls_through = Item.listed_halls.through
    links, materials, steps = [], [], []
    for d, refs in rows:
        item = by_code[d["code"]]
        links += [halls_through(item_id=item.pk, hall_id=h.pk) for h in refs["listed_halls"]]
        for m in d["materials"]:
            row = Material(
                item=item, **{k: v for k, v in m.items() if k not in ("blank_form", "filled_sample")}
            )
            row.blank_form.name, row.filled_sample.name = m["blank_form"], m["filled_sample"]
            materials.append(row)
        steps += [
            ProcessStep(
                item=item,
                position=s["position"],
                name=s["name"],
                office=o,
                days=s["days"],
                description=s["description"],
            )
            for s, o in zip(d["steps"], refs["step_offices"], strict=True)
        ]
    halls_through.objects.bulk_create(links, batch_size=500)
    Material.objects.bulk_create(materials, batch_size=500)
    ProcessStep.objects.bulk_create(steps, batch_size=500)
    ids = {(m.item_id, m.position): m.pk for m in Material.objects.filter(item__in=list(by_code.values()))}
    versions = []
    for d, _refs in rows:
        item = by_code[d["code"]]
        snapshot = {k: v for k, v in d.items() if k not in ("materials", "steps")}
        snapshot["materials"] = [
            {"id": ids[(item.pk, m["position"])], "code": material_code(item.code, m["position"]), **m}
            for m in d["materials"]
        ]
        snapshot["steps"] = d["steps"]
        versions.append(
            ItemVersion(
                item=item,
                number=1,
                code=item.code,
                name=item.name,
                handling_kind=item.handling_kind,
                legal_limit_days=item.legal_limit_days,
                committed_limit_days=item.committed_limit_days,
                snapshot=snapshot,
                note="示范数据首次发布",
                published_by=None,
                published_at=now,
            )
        )
    ItemVersion.objects.bulk_create(versions, batch_size=200)
    for v in ItemVersion.objects.filter(item__in=list(by_code.values()), number=1).values("pk", "item_id"):
        Item.objects.filter(pk=v["item_id"]).update(current_version_id=v["pk"])
    return len(rows)


def load(ctx: DemoContext) -> None:
    from django.utils import timezone

    from yiwang.accounts.models import Department
    from yiwang.catalogue.services import item_problems

    depts = {d.code: {"code": d.code, "name": d.name, "kind": d.kind} for d in Department.objects.all()}
    missing = [c for c in DEPT_PLAN if c not in depts]
    if missing:
        ctx.out(f"catalogue: skipped, departments missing: {', '.join(missing)}")
        return
    items = build_catalogue(depts)
    task = ctx.progress.add_task("catalogue", total=len(items) + 2)
    for term, expansion in SYNONYMS:
        _obj, created = Synonym.objects.get_or_create(term=term, expansion=expansion)
        ctx.count("search synonyms", int(created))
    cache.delete("catalogue:synonyms")
    ctx.progress.advance(task)
    existing = set(Item.objects.values_list("code", flat=True))
    ref_cache: dict[str, Any] = {}
    rows = []
    for d in items:
        if d["code"] not in existing:
            problems, refs = item_problems(d, ref_cache)
            if problems:
                raise RuntimeError(f"demo item {d['code']} {d['name']}: {problems.items}")
            _ensure_files(d)
            rows.append((d, refs))
        ctx.progress.advance(task)
    with transaction.atomic():  # the demo loader writes the one audit event for the whole load
        made = _bulk_create(rows, timezone.now()) if rows else 0
    ctx.count("service items", made)
    ctx.count("published item versions", made)
    ctx.progress.advance(task)
