"""The district's default approval plans (深圳90, docs/rules.md §7, the seeds): municipal projects 7 items in
90 working days (before the reform 9 items, 118 days); building projects 6 items in 85 (before 7, 128);
projects under 50 million yuan skip the feasibility-study approval (new and extended building projects
excepted) and save 20 working days (70 / 65). The items are the demo catalogue's (发改, 规划, 住建); the
budgets of the items are the plan's own. Installed by ``services.plans_install_defaults``; an administrator
edits them as new versions."""

from __future__ import annotations

from typing import Any

FIFTY_MILLION = 50_000_000

PROPOSAL = {
    "key": "proposal",
    "name": "政府投资项目建议书审批",
    "item": "LG01005-00-00",
    "stage": 1,
    "days": 10,
    "after": [],
}
SITE = {
    "key": "site",
    "name": "建设项目用地预审与选址意见书",
    "item": "LG10007-00-00",
    "stage": 1,
    "days": 10,
    "after": [],
}
FEASIBILITY = {
    "key": "feasibility",
    "name": "政府投资项目可行性研究报告审批",
    "item": "LG01002-00-00",
    "stage": 1,
    "days": 20,
    "after": ["proposal"],
}
LAND = {
    "key": "land_planning",
    "name": "建设用地规划许可证核发",
    "item": "LG10002-00-00",
    "stage": 1,
    "days": 10,
    "after": ["feasibility", "site"],
}
DRAWINGS = {
    "key": "drawings",
    "name": "施工图设计文件审查",
    "item": "LG12010-00-00",
    "stage": 3,
    "days": 20,
    "after": [],
}
PERMIT = {
    "key": "permit",
    "name": "建筑工程施工许可证核发",
    "item": "LG12001-00-00",
    "stage": 3,
    "days": 10,
    "after": ["drawings"],
}
COMPLETION = {
    "key": "completion",
    "name": "建设工程竣工验收备案",
    "item": "LG12006-00-00",
    "stage": 4,
    "days": 15,
    "after": [],
}


def _works(days: int) -> dict[str, Any]:
    return {
        "key": "works_planning",
        "name": "建设工程规划许可证核发",
        "item": "LG10001-00-00",
        "stage": 2,
        "days": days,
        "after": [],
    }


SMALL_TEXT = "投资额5000万元以下的项目免除可行性研究报告审批，审批时间压缩20个工作日"
SMALL_BUILDING_TEXT = (
    "投资额5000万元以下的项目免除可行性研究报告审批（新、扩建房建类项目除外），审批时间压缩20个工作日"
)

DEFAULT_PLANS: list[dict[str, Any]] = [
    {
        "code": "gov_municipal",
        "name": "政府投资市政类项目（深圳90）",
        "name_en": "Government investment, municipal works (Shenzhen 90)",
        "project_type": "gov_municipal",
        "definition": {
            "budget_days": 90,
            "before": {"items": 9, "days": 118},
            "items": [PROPOSAL, SITE, FEASIBILITY, LAND, _works(20), DRAWINGS, PERMIT, COMPLETION],
            "rules": [
                {
                    "code": "under_50m",
                    "text": SMALL_TEXT,
                    "skip": ["feasibility"],
                    "saves_days": 20,
                    "when": {"investment_below": FIFTY_MILLION},
                }
            ],
        },
    },
    {
        "code": "gov_building",
        "name": "政府投资房建类项目（深圳90）",
        "name_en": "Government investment, building (Shenzhen 90)",
        "project_type": "gov_building",
        "definition": {
            "budget_days": 85,
            "before": {"items": 7, "days": 128},
            "items": [
                PROPOSAL,
                SITE,
                {**FEASIBILITY, "after": ["proposal"]},
                _works(25),
                DRAWINGS,
                PERMIT,
                COMPLETION,
            ],
            "rules": [
                {
                    "code": "under_50m",
                    "text": SMALL_BUILDING_TEXT,
                    "skip": ["feasibility"],
                    "saves_days": 20,
                    "when": {"investment_below": FIFTY_MILLION, "nature_not_in": ["new", "extension"]},
                }
            ],
        },
    },
    {
        "code": "social",
        "name": "社会投资项目",
        "name_en": "Social investment",
        "project_type": "social",
        "definition": {
            "budget_days": 50,
            "items": [
                {
                    "key": "filing",
                    "name": "企业投资项目备案",
                    "item": "LG01001-00-00",
                    "stage": 1,
                    "days": 5,
                    "after": [],
                },
                {**LAND, "after": ["filing"]},
                _works(15),
                {**DRAWINGS, "days": 10},
                PERMIT,
                COMPLETION,
            ],
            "rules": [],
        },
    },
]
