"""Residents and outreach settings for the tests: the world's street is the pilot street and the benefits
file under items made for the test."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import override_settings
from stdnum.cn import ric

from tests.applications.builders import make_item
from yiwang.core.masking import mask_id
from yiwang.outreach.models import Resident, ResidentBenefit

_n = {"i": 0}


def rid(birth: date, district: str = "440307") -> str:
    _n["i"] += 1
    body = f"{district}{birth:%Y%m%d}{_n['i'] % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def resident(
    world: Any,
    birth: date,
    *,
    hukou: str = "440307",
    community: Any = None,
    status: str = "active",
    holds: tuple[str, ...] = (),
) -> Resident:
    community = community or world.community
    number = rid(birth, hukou)
    r = Resident.objects.create(
        name=f"居民{_n['i']}",
        id_number=number,
        id_masked=mask_id(number),
        sex="M",
        birth_date=birth,
        hukou=hukou,
        street=community.street,
        community=community,
        status=status,
    )
    for b in holds:
        ResidentBenefit.objects.create(resident=r, benefit=b, since=date(2024, 1, 1))
    return r


def outreach_settings(world: Any) -> Any:
    card = make_item(world, name="敬老优待证办理")
    allowance = make_item(world, name="高龄老人津贴申领")
    return override_settings(
        OUTREACH={
            "pilot_streets": [world.street.code],
            "district_hukou": "440307",
            "benefits": {
                "senior_card": {"label": "敬老优待证", "rule_set": "outreach.senior_card", "item": card.code},
                "old_age_allowance": {
                    "label": "高龄津贴",
                    "rule_set": "outreach.old_age_allowance",
                    "item": allowance.code,
                },
            },
            "schedule_days": 30,
        }
    )
