"""The engine, without the database: validation naming the condition, explanations, "why not" margins, and
properties (hypothesis) — every condition is explained; the single and batch evaluators agree; a boundary
value passes and the one just below fails with the right shortfall."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.rules import evaluate as ev
from yiwang.rules.document import RuleInvalid, parse
from yiwang.rules.facts import BOOL, CODE, DECIMAL, INT, FactSpec
from yiwang.rules.formula import FormulaError, parse_formula, to_text

SPECS = {
    "revenue": FactSpec("revenue", DECIMAL, "营业收入", "元", "企业申报"),
    "rd_spend": FactSpec("rd_spend", DECIMAL, "研发投入", "元", "企业申报"),
    "employees": FactSpec("employees", INT, "从业人数", "人", "企业申报"),
    "high_tech": FactSpec("high_tech", BOOL, "高新技术企业", "", "认定名单"),
    "industry": FactSpec("industry", CODE, "行业代码", "", "登记"),
}

RD = {
    "conditions": [
        {
            "id": "rd_ratio",
            "label": "研发投入占营业收入比例不低于3%",
            "left": {"op": "/", "args": [{"fact": "rd_spend"}, {"fact": "revenue"}]},
            "op": ">=",
            "value": "0.03",
            "display": "percent",
        },
        {
            "id": "staff",
            "label": "从业人数不少于10人",
            "left": {"fact": "employees"},
            "op": ">=",
            "value": 10,
        },
        {"id": "ht", "label": "国家高新技术企业", "left": {"fact": "high_tech"}, "op": "==", "value": True},
        {"id": "sector", "label": "制造业", "left": {"fact": "industry"}, "op": "prefix", "value": ["C"]},
    ],
    "amount": {
        "formula": {"op": "*", "args": [{"fact": "rd_spend"}, {"const": "0.1"}]},
        "cap": "500000",
    },
}


def test_why_not_names_the_margin() -> None:
    doc = parse(RD, SPECS)
    facts = {
        "revenue": Decimal(10_000_000),
        "rd_spend": Decimal(210_000),
        "employees": 20,
        "high_tech": True,
        "industry": "C3911",
    }
    out = ev.evaluate(doc, facts, SPECS)
    assert out.state == ev.NOT_ELIGIBLE
    [failed] = out.failed
    assert failed.id == "rd_ratio"
    assert failed.why == "研发投入 / 营业收入 is 2.1%; ≥ 3% is required (short by 0.9%)."
    assert [f.value for f in failed.facts] == [Decimal(210_000), Decimal(10_000_000)]
    assert failed.facts[0].source == "企业申报"
    assert out.amount is None


def test_amount_step_by_step_with_cap() -> None:
    doc = parse(RD, SPECS)
    facts = {
        "revenue": Decimal(100_000_000),
        "rd_spend": Decimal(6_000_000),
        "employees": 20,
        "high_tech": True,
        "industry": "C3911",
    }
    out = ev.evaluate(doc, facts, SPECS)
    assert out.state == ev.ELIGIBLE
    assert out.amount == Decimal("500000.00")
    assert [s.text for s in out.steps] == ["研发投入 (6,000,000) × 0.1 = 600,000", "capped at 500,000"]


def test_unknown_fact_says_what_is_needed() -> None:
    doc = parse(RD, SPECS)
    out = ev.evaluate(
        doc,
        {
            "revenue": Decimal(1),
            "rd_spend": Decimal(1),
            "employees": None,
            "high_tech": True,
            "industry": "C1",
        },
        SPECS,
    )
    assert out.state == ev.UNKNOWN
    assert out.missing == ["从业人数"]
    assert out.conditions[1].why == "We need 从业人数 to decide."


def test_a_failed_condition_beats_an_unknown_one() -> None:
    doc = parse(RD, SPECS)
    out = ev.evaluate(
        doc, {"revenue": None, "rd_spend": None, "employees": 3, "high_tech": True, "industry": "C1"}, SPECS
    )
    assert out.state == ev.NOT_ELIGIBLE


def test_division_by_a_zero_fact_is_unknown() -> None:
    doc = parse(RD, SPECS)
    out = ev.evaluate(
        doc,
        {"revenue": Decimal(0), "rd_spend": Decimal(5), "employees": 30, "high_tech": True, "industry": "C1"},
        SPECS,
    )
    assert out.conditions[0].state == ev.UNKNOWN
    assert "divisor is 0" in out.conditions[0].why


@pytest.mark.parametrize(
    ("change", "where", "needle"),
    [
        ({"left": {"fact": "profit"}}, "rd_ratio", "Unknown fact “profit”"),
        ({"left": {"fact": "industry"}, "op": ">="}, "rd_ratio", "cannot be used with “industry”"),
        (
            {"left": {"op": "/", "args": [{"fact": "rd_spend"}, {"const": "0"}]}},
            "rd_ratio",
            "Division by zero",
        ),
        ({"left": {"op": "*", "args": [{"fact": "high_tech"}, {"const": "2"}]}}, "rd_ratio", "needs numbers"),
        ({"value": "abc"}, "rd_ratio", "is not"),
        ({"label": ""}, "rd_ratio", "label"),
    ],
)
def test_invalid_rules_name_the_condition(change: dict, where: str, needle: str) -> None:
    doc = {**RD, "conditions": [{**RD["conditions"][0], **change}, *RD["conditions"][1:]]}
    with pytest.raises(RuleInvalid) as e:
        parse(doc, SPECS)
    assert [w for w, _m in e.value.errors] == [where]
    assert needle in e.value.errors[0][1]


def test_every_error_is_reported_at_once() -> None:
    doc = {
        "conditions": [
            {"id": "a", "label": "x", "left": {"fact": "nope"}, "op": ">=", "value": 1},
            {"id": "b", "label": "y", "left": {"fact": "employees"}, "op": "in", "value": 1},
        ],
        "amount": {"formula": {"op": "/", "args": [{"fact": "revenue"}, {"const": "0"}]}},
    }
    with pytest.raises(RuleInvalid) as e:
        parse(doc, SPECS)
    assert [w for w, _m in e.value.errors] == ["a", "b", "amount"]


def test_formula_text_round_trip() -> None:
    tree = parse_formula("min(rd_spend * 0.1, 500000) + (revenue - rd_spend) / 2")
    assert to_text(tree) == "min(rd_spend * 0.1, 500000) + (revenue - rd_spend) / 2"
    assert parse_formula(to_text(tree)) == tree
    with pytest.raises(FormulaError):
        parse_formula("rd_spend * ")
    with pytest.raises(FormulaError):
        parse_formula("__import__('os')")


money = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
)
facts_st = st.fixed_dictionaries(
    {
        "revenue": money,
        "rd_spend": money,
        "employees": st.one_of(st.none(), st.integers(0, 5000)),
        "high_tech": st.one_of(st.none(), st.booleans()),
        "industry": st.one_of(st.none(), st.sampled_from(["C3911", "I6510", "M7320", "C2710"])),
    }
)


@settings(max_examples=300, deadline=None)
@given(facts_st)
def test_explanations_name_every_condition_and_agree_with_the_batch_path(facts: dict) -> None:
    doc = parse(RD, SPECS)
    out = ev.evaluate(doc, facts, SPECS)
    assert [c.id for c in out.conditions] == ["rd_ratio", "staff", "ht", "sector"]
    assert all(c.why for c in out.conditions)
    state, amount = ev.batch_value(doc, facts)
    assert state == out.state
    assert amount == out.amount
    if out.state == ev.UNKNOWN:
        assert out.missing or any("divisor" in c.why for c in out.conditions)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.integers(-3, 3))
def test_why_not_at_the_boundary(threshold: int, delta: int) -> None:
    doc = parse(
        {
            "conditions": [
                {
                    "id": "staff",
                    "label": "人数",
                    "left": {"fact": "employees"},
                    "op": ">=",
                    "value": threshold,
                }
            ]
        },
        SPECS,
    )
    value = max(threshold + delta, 0)
    [c] = ev.evaluate(doc, {"employees": value}, SPECS).conditions
    if value >= threshold:
        assert c.state == ev.MET and c.shortfall is None
    else:
        assert c.state == ev.NOT_MET
        assert c.shortfall == threshold - value
        assert f"short by {threshold - value:,}" in c.why
