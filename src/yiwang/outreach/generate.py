"""Synthetic residents: a realistic age pyramid (Longgang's 2020 census shape: young working-age bulge, 6% aged
65+, 1% aged 80+) and a street/community distribution; household registration local for about a third. Used
by the demo (a few thousand, through the ORM: IDs encrypted) and, as SQL, by the bench (millions)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from stdnum.cn import ric

from yiwang.core.masking import mask_id

from .models import Resident, ResidentBenefit

if TYPE_CHECKING:
    from collections.abc import Sequence

# (lowest age, highest age, share) — the pyramid, by band.
PYRAMID = [
    (0, 14, 0.17),
    (15, 24, 0.12),
    (25, 34, 0.25),
    (35, 44, 0.18),
    (45, 54, 0.12),
    (55, 64, 0.10),
    (65, 79, 0.05),
    (80, 99, 0.01),
]
LOCAL_HUKOU = 0.35
SHENZHEN_OTHER = 0.10
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"


def age_of(rng: random.Random) -> int:
    x = rng.random()
    acc = 0.0
    for lo, hi, share in PYRAMID:
        acc += share
        if x <= acc:
            return rng.randint(lo, hi)
    return rng.randint(0, 99)


def residents(
    communities: Sequence[Any], n: int, *, today: date, seed: int = 7, district: str = "440307"
) -> list[Resident]:
    rng = random.Random(seed)
    weights = [rng.uniform(0.5, 1.5) for _ in communities]
    out = []
    seen: set[tuple[str, date, int]] = set()
    for i in range(n):
        c = rng.choices(communities, weights)[0]
        age = age_of(rng)
        birth = today - timedelta(days=age * 365 + rng.randint(0, 364))
        x = rng.random()
        hukou = (
            district
            if x < LOCAL_HUKOU
            else "440303"
            if x < LOCAL_HUKOU + SHENZHEN_OTHER
            else rng.choice(["430521", "441622", "360732", "450881"])
        )
        seq = i % 1000
        while (hukou, birth, seq) in seen:  # one ID per area, birth date and sequence number
            seq = (seq + 1) % 1000
        seen.add((hukou, birth, seq))
        body = f"{hukou}{birth:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")
        out.append(
            Resident(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                id_number=number,
                id_masked=mask_id(number),
                sex="M" if int(number[16]) % 2 else "F",
                birth_date=birth,
                hukou=hukou,
                street_id=c.street_id,
                community_id=c.pk,
                disability=rng.choice("1234") if rng.random() < 0.02 else "",
            )
        )
    return out


def benefits_held(rs: Sequence[Resident], *, today: date, seed: int = 8) -> list[ResidentBenefit]:
    """About 70% of those eligible already hold each benefit: screening finds the rest."""
    rng = random.Random(seed)
    out = []
    for r in rs:
        age = (today - r.birth_date).days // 365
        if age >= 65 and r.hukou == "440307" and rng.random() < 0.7:
            out.append(ResidentBenefit(resident=r, benefit="senior_card", since=today - timedelta(days=400)))
        if age >= 80 and r.hukou.startswith("4403") and rng.random() < 0.7:
            out.append(
                ResidentBenefit(resident=r, benefit="old_age_allowance", since=today - timedelta(days=300))
            )
    return out
