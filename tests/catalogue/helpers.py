"""Builders for catalogue tests: a valid item snapshot for the test world's department."""

from __future__ import annotations

import copy
from typing import Any

from yiwang.catalogue.models import Item
from yiwang.catalogue.services import item_publish, item_save

VALID: dict[str, Any] = {
    "code": "D01001-00-01", "main_code": "D01001", "main_name": "食品经营许可", "sub_code": "", "sub_name": "",
    "handling_type": "01", "name": "食品经营许可（新办）", "name_en": "Food Business Licence (new)",
    "item_type": "01", "handling_kind": "2", "service_objects": "2,5", "power_source": "1",
    "implementing_body": "市场监管局", "body_nature": "1", "level_district": True, "level_street": False,
    "level_community": False, "department": "D01", "office": "D0101", "co_offices": [], "intermediary_services": "",
    "legal_basis": "《中华人民共和国食品安全法》第三十五条", "conditions": "具有与经营的食品品种相适应的经营场所。",
    "legal_limit_days": 20, "committed_limit_days": 5, "quantity_limit": "无数量限制", "has_fee": False,
    "fee_standard": "", "fee_basis": "", "result_name": "食品经营许可证", "result_is_certificate": True,
    "result_sample": "catalogue/samples/D01001-00-01.pdf", "result_elicence": True, "visits": 1,
    "visit_reason": "现场核查经营场所", "online_depth": "3", "no_visit": False, "postal_application": False,
    "tongban": "none", "listed_halls": [], "listed_halls_only": False, "appointment_required": False,
    "express_delivery": True, "online_payment": False, "online_url": "", "place": "区政务服务中心",
    "hours": "周一至周五", "phone": "0755-12345", "faq": [{"q": "要多久？", "a": "5个工作日。"}],
    "themes": "operating,start", "keywords": "食品许可", "is_sample": False,
    "materials": [
        {"position": 1, "name": "食品经营许可申请书", "kind": "required", "condition": "", "originals": 1, "copies": 0,
         "medium": "either", "blank_form": "", "filled_sample": "", "source": "applicant", "source_note": "",
         "rongque_allowed": False, "rongque_max_days": 0, "notes": ""},
        {"position": 2, "name": "营业执照", "kind": "required", "condition": "", "originals": 0, "copies": 0,
         "medium": "electronic", "blank_form": "", "filled_sample": "", "source": "elicence",
         "source_note": "营业执照电子证照", "rongque_allowed": False, "rongque_max_days": 0, "notes": ""},
        {"position": 3, "name": "食品安全管理制度", "kind": "required", "condition": "", "originals": 1, "copies": 0,
         "medium": "either", "blank_form": "", "filled_sample": "", "source": "applicant", "source_note": "",
         "rongque_allowed": True, "rongque_max_days": 5, "notes": ""},
    ],
    "steps": [
        {"position": 1, "name": "受理", "office": "", "days": 1, "description": ""},
        {"position": 2, "name": "审查", "office": "D0101", "days": 2, "description": ""},
        {"position": 3, "name": "决定", "office": "D0101", "days": 1, "description": ""},
        {"position": 4, "name": "办结送达", "office": "D0101", "days": 1, "description": ""},
    ],
}  # fmt: skip


def item_data(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data.update(overrides)
    return data


def make_item(*, publish: bool = True, actor: Any = None, **overrides: Any) -> Item:
    item = item_save(actor=actor, data=item_data(**overrides))
    if publish:
        item_publish(actor=actor, item=item, note="first")
    return Item.objects.get(pk=item.pk)
