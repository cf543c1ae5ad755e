"""The default pause kinds, in code, so they hold even in an empty table; the ``PauseKind`` table
(seeded with the same rows, editable in the admin) renames, deactivates or adds kinds."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from .models import PauseKind


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    name_en: str
    legal_basis: str = ""
    active: bool = True

    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


DEFAULTS = [
    Kind("correction", "补正材料", "Correction of materials (补正)", "行政许可法第三十二条"),
    Kind(
        "third_party",
        "征求第三方意见",
        "Third-party consultation",
        "政府信息公开条例第三十二条；行政许可法第三十六条",
    ),
    Kind("expert_review", "专家评审", "Expert review", "行政许可法第四十五条"),
    Kind("hearing", "听证", "Hearing", "行政许可法第四十五条、第四十七条"),
    Kind("testing", "检验、检测、检疫", "Testing, inspection or quarantine", "行政许可法第四十五条"),
    Kind("site_survey", "现场勘查", "Site survey", "行政许可法第三十四条、第四十五条"),
    Kind("fee_unpaid", "信息处理费未缴", "Disclosure fee unpaid", "国办函〔2020〕109号"),
]


def pause_kinds(*, include_inactive: bool = False) -> list[Kind]:
    """The defaults overlaid by the table, in the table's order then the defaults' order."""
    merged = {k.code: k for k in DEFAULTS}
    order = {k.code: (1000 + i) for i, k in enumerate(DEFAULTS)}
    for row in PauseKind.objects.all():
        merged[row.code] = Kind(row.code, row.name, row.name_en, row.legal_basis, row.active)
        order[row.code] = row.order
    kinds = sorted(merged.values(), key=lambda k: (order[k.code], k.code))
    return kinds if include_inactive else [k for k in kinds if k.active]
