"""The default eligibility rule sets of the two pilot benefits, as engine documents. Ages and conditions are
data: a policy officer changes them by publishing a new version. Defaults and their sources:

- 敬老优待证 (senior preferential card): 65 or older, household registration in the district, living here, not
  holding the card, no open application. Source: 《深圳市老年人优待办法》 as applied by the district's civil
  affairs bureau (free public transport and the preferential card from 65); the province issues the card
  from 60 (《广东省老年人优待办法》) — lower the age to 60 to follow it.
- 高龄津贴 (old-age allowance): 80 or older, Shenzhen household registration (code 4403…), living here, not
  receiving it, no open application. Source: 《深圳市高龄老人津贴发放办法》 (80–89: 200 yuan a month, 90–99:
  300, 100+: 500)."""

from __future__ import annotations

from typing import Any


def _common(code: str, district: str, *, hukou_prefix: bool) -> list[dict[str, Any]]:
    hukou = (
        {
            "id": "hukou",
            "label": "深圳市户籍",
            "left": {"fact": "hukou"},
            "op": "prefix",
            "value": [district[:4]],
        }
        if hukou_prefix
        else {"id": "hukou", "label": "本区户籍", "left": {"fact": "hukou"}, "op": "==", "value": district}
    )
    return [
        hukou,
        {"id": "living", "label": "在本区居住", "left": {"fact": "status"}, "op": "==", "value": "active"},
        {
            "id": "not_holding",
            "label": "尚未享受",
            "left": {"fact": f"holds_{code}"},
            "op": "==",
            "value": False,
        },
        {
            "id": "not_applying",
            "label": "没有在办的申请",
            "left": {"fact": f"applying_{code}"},
            "op": "==",
            "value": False,
        },
        {
            "id": "not_listed",
            "label": "不在待走访名单中",
            "left": {"fact": f"listed_{code}"},
            "op": "==",
            "value": False,
        },
    ]


def senior_card(district: str, age: int = 65) -> dict[str, Any]:
    return {
        "conditions": [
            {"id": "age", "label": f"年满{age}周岁", "left": {"fact": "age"}, "op": ">=", "value": age},
            *_common("senior_card", district, hukou_prefix=False),
        ]
    }


def old_age_allowance(district: str, age: int = 80) -> dict[str, Any]:
    return {
        "conditions": [
            {"id": "age", "label": f"年满{age}周岁", "left": {"fact": "age"}, "op": ">=", "value": age},
            *_common("old_age_allowance", district, hukou_prefix=True),
        ]
    }


DEFAULTS = {"senior_card": senior_card, "old_age_allowance": old_age_allowance}
