"""Each consistency rule (docs/rules.md §8, §2, §3): one failing and one passing case, with its exact message."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.catalogue.rules import check_item

from .helpers import item_data


def rules(data: dict[str, Any]) -> list[str]:
    return [v.rule for v in check_item(data)]


def test_the_valid_item_passes_every_rule() -> None:
    assert check_item(item_data()) == []


@pytest.mark.parametrize(("overrides", "rule"), [
    # 即办 ⇔ committed 0
    ({"handling_kind": "1"}, "instant"),
    ({"committed_limit_days": 0, "item_type": "20", "steps": [], "materials": []}, "instant"),
    # committed ≤ legal
    ({"committed_limit_days": 25, "legal_limit_days": 20}, "committed_le_legal"),
    # visits > 0 ⇒ reason
    ({"visits": 1, "visit_reason": "  "}, "visit_reason"),
    # 0 visits and not fully online ⇒ postal application
    ({"visits": 0, "visit_reason": "", "online_depth": "3", "postal_application": False}, "postal"),
    # depth IV ⇒ 0 visits
    ({"online_depth": "4", "visits": 1}, "depth_iv_visits"),
    # 不见面 ⇒ 0 visits
    ({"no_visit": True, "visits": 1}, "no_visit"),
    # fee ⇒ basis and items
    ({"has_fee": True, "fee_standard": "每件80元", "fee_basis": ""}, "fee_basis"),
    # certificate ⇒ sample
    ({"result_is_certificate": True, "result_sample": ""}, "result_sample"),
    # licensing ⇒ 受理, 审查, 决定, 办结/送达
    ({"steps": [{"position": 1, "name": "受理", "office": "", "days": 1},
                {"position": 2, "name": "审查", "office": "D0101", "days": 2}]}, "licensing_steps"),
    # steps ≤ committed
    ({"committed_limit_days": 4, "materials": []}, "steps_sum"),
    # at least one level
    ({"level_district": False}, "level"),
])  # fmt: skip
def test_each_rule_fails_alone(overrides: dict[str, Any], rule: str) -> None:
    assert rules(item_data(**overrides)) == [rule]


@pytest.mark.parametrize("overrides", [
    {"handling_kind": "1", "committed_limit_days": 0, "steps": [
        {"position": i, "name": n, "office": "", "days": 0} for i, n in enumerate(["受理", "审查", "决定", "办结"], 1)],
     "materials": []},
    {"committed_limit_days": 20, "legal_limit_days": 20},
    {"visits": 0, "visit_reason": "", "online_depth": "3", "postal_application": True},
    {"online_depth": "4", "visits": 0, "visit_reason": "", "no_visit": True},
    {"has_fee": True, "fee_standard": "每件80元", "fee_basis": "财税〔2016〕79号"},
    {"result_is_certificate": False, "result_sample": ""},
    {"item_type": "20", "steps": [{"position": 1, "name": "受理", "office": "", "days": 0}]},
    {"level_district": False, "level_community": True},
])  # fmt: skip
def test_each_rule_passes_when_satisfied(overrides: dict[str, Any]) -> None:
    assert check_item(item_data(**overrides)) == []


def test_messages_are_specific() -> None:
    messages = [
        v.message
        for v in check_item(
            item_data(committed_limit_days=25, legal_limit_days=20, visits=2, visit_reason="")
        )
    ]
    assert "承诺时限（25个工作日）超过法定时限（20个工作日）。" in messages
    assert "该事项需要到现场2次：请填写到现场的原因。" in messages


def test_rongque_delay_must_fit_in_the_committed_limit() -> None:
    data = item_data()
    data["materials"][2]["rongque_max_days"] = 6
    assert rules(data) == ["rongque_days"]
    data["materials"][2]["rongque_max_days"] = 5
    assert rules(data) == []


def test_conditional_material_needs_its_condition_and_shared_material_its_source() -> None:
    data = item_data()
    data["materials"][0].update({"kind": "conditional", "condition": ""})
    data["materials"][1].update({"source_note": ""})
    assert rules(data) == ["material_condition", "material_source"]
