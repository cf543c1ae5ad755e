"""The words of construction-project approval (深圳90, docs/rules.md §7): stages, project types, investment
kinds and the nature of the works. Plain data, no I/O."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The national four stages (国办发〔2019〕11号), in order. The 深圳90 budget runs over the first three
# (from project approval to the construction permit); 竣工验收 comes after it.
STAGES: dict[int, Any] = {
    1: pgettext_lazy(
        "construction stage", "Project approval, land use and planning permit (立项用地规划许可)"
    ),
    2: pgettext_lazy("construction stage", "Works planning permit (工程建设许可)"),
    3: pgettext_lazy("construction stage", "Construction permit (施工许可)"),
    4: pgettext_lazy("construction stage", "Completion acceptance (竣工验收)"),
}
STAGE_SHORT: dict[int, Any] = {
    1: pgettext_lazy("construction stage", "立项用地规划许可"),
    2: pgettext_lazy("construction stage", "工程建设许可"),
    3: pgettext_lazy("construction stage", "施工许可"),
    4: pgettext_lazy("construction stage", "竣工验收"),
}
BUDGET_STAGES = frozenset({1, 2, 3})

PROJECT_TYPES: dict[str, Any] = {
    "gov_building": _("Government investment, building (房建类)"),
    "gov_municipal": _("Government investment, municipal works (市政类)"),
    "social": _("Social investment (社会投资)"),
}
INVESTMENT_KINDS: dict[str, Any] = {
    "government": pgettext_lazy("investment kind", "Government investment"),
    "social": pgettext_lazy("investment kind", "Social investment"),
}
NATURES: dict[str, Any] = {
    "new": pgettext_lazy("works nature", "New construction (新建)"),
    "extension": pgettext_lazy("works nature", "Extension (扩建)"),
    "renovation": pgettext_lazy("works nature", "Renovation (改建)"),
}


def investment_kind_of(project_type: str) -> str:
    return "social" if project_type == "social" else "government"


def stage_label(n: int) -> str:
    return str(STAGES.get(n, n))


def type_label(code: str) -> str:
    return str(PROJECT_TYPES.get(code, code))


def nature_label(code: str) -> str:
    return str(NATURES.get(code, code))
