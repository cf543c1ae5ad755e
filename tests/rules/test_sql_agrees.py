"""The SQL compiler and the Python evaluator agree on every subject, for random rule documents and random
(partly unknown) facts: the predicate's TRUE/FALSE/NULL is the explanation's eligible/not eligible/unknown,
and the amounts are equal to the fen (PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.rules import evaluate as ev
from yiwang.rules import sqlcompile
from yiwang.rules.document import parse
from yiwang.rules.facts import INT, FactSpec

from .test_engine import SPECS

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NUM_FACTS = ["revenue", "rd_spend", "employees"]
consts = st.decimals(min_value=-1000, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(
    lambda d: {"const": str(d)}
)
leaves = st.one_of(st.sampled_from(NUM_FACTS).map(lambda f: {"fact": f}), consts)
exprs = st.recursive(
    leaves,
    lambda sub: st.builds(
        lambda op, a, b: {"op": op, "args": [a, b]},
        st.sampled_from(["+", "-", "*", "/", "min", "max"]),
        sub,
        sub,
    ),
    max_leaves=4,
)
thresholds = st.decimals(min_value=-(10**6), max_value=10**7, places=4, allow_nan=False, allow_infinity=False)
numeric_cond = st.builds(
    lambda left, op, v: {"left": left, "op": op, "value": str(v)},
    exprs,
    st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
    thresholds,
)
code_cond = st.one_of(
    st.builds(
        lambda v: {"left": {"fact": "industry"}, "op": "in", "value": v},
        st.lists(st.sampled_from(["C3911", "I6510"]), min_size=1),
    ),
    st.builds(
        lambda v: {"left": {"fact": "industry"}, "op": "prefix", "value": [v]},
        st.sampled_from(["C", "C39", "I"]),
    ),
    st.just({"left": {"fact": "high_tech"}, "op": "==", "value": True}),
)
conds = st.lists(
    st.one_of(
        numeric_cond, code_cond, st.lists(numeric_cond, min_size=2, max_size=3).map(lambda t: {"any": t})
    ),
    min_size=1,
    max_size=4,
)
docs = st.builds(
    lambda cs, formula, cap: {
        "conditions": [{"id": f"c{i}", "label": f"条件{i}", **c} for i, c in enumerate(cs)],
        "amount": {"formula": formula, "cap": cap},
    },
    conds,
    exprs,
    st.one_of(st.none(), st.just("100000")),
)
money = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
)
rows = st.lists(
    st.fixed_dictionaries(
        {
            "revenue": money,
            "rd_spend": money,
            "employees": st.one_of(st.none(), st.integers(0, 3000)),
            "high_tech": st.one_of(st.none(), st.booleans()),
            "industry": st.one_of(st.none(), st.sampled_from(["C3911", "I6510", "M7320"])),
        }
    ),
    min_size=1,
    max_size=8,
)


def _values_sql(rows: list[dict]) -> tuple[str, list]:
    one = "(CAST(%s AS integer), CAST(%s AS numeric), CAST(%s AS numeric), CAST(%s AS integer), CAST(%s AS boolean), CAST(%s AS text))"
    params: list = []
    for i, r in enumerate(rows):
        params += [i, r["revenue"], r["rd_spend"], r["employees"], r["high_tech"], r["industry"]]
    sql = f"SELECT * FROM (VALUES {', '.join([one] * len(rows))}) AS t(subject_id, revenue, rd_spend, employees, high_tech, industry)"  # noqa: S608
    return sql, params


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(docs, rows)
def test_sql_and_python_agree(raw: dict, facts_rows: list[dict]) -> None:
    try:
        doc = parse(raw, SPECS)
    except Exception:  # a generated constant divisor of 0 is refused by validation, as it should be
        return
    fsql, fparams = _values_sql(facts_rows)
    pred, pp = sqlcompile.predicate_sql(doc)
    amt, ap = sqlcompile.amount_sql(doc)
    with connection.cursor() as cur:
        cur.execute(f"SELECT f.subject_id, {pred}, {amt} FROM ({fsql}) f ORDER BY 1", [*pp, *ap, *fparams])  # noqa: S608
        got = cur.fetchall()
    for (i, passed, amount), facts in zip(got, facts_rows, strict=True):
        out = ev.evaluate(doc, facts, SPECS)
        expected = {True: ev.ELIGIBLE, False: ev.NOT_ELIGIBLE, None: ev.UNKNOWN}[passed]
        assert out.state == expected, (i, facts)
        if out.state == ev.ELIGIBLE:
            assert out.amount == (None if amount is None else Decimal(amount)), (facts, out.steps)


AGE = {"age": FactSpec("age", INT, "年龄", "岁", "户籍", years_since="birth")}


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    st.one_of(st.none(), st.dates(min_value=date(1880, 1, 1), max_value=date(2030, 12, 31))),
    st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
    st.integers(0, 120),
)
def test_age_as_a_date_range_is_the_same_truth(on: date, birth: date | None, op: str, n: int) -> None:
    doc = parse(
        {"conditions": [{"id": "age", "label": "年龄", "left": {"fact": "age"}, "op": op, "value": n}]}, AGE
    )
    pred, pp = sqlcompile.predicate_sql(doc, "f", AGE, on)
    age = None if birth is None else on.year - birth.year - ((birth.month, birth.day) > (on.month, on.day))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {pred} FROM (SELECT CAST(%s AS date) AS birth, CAST(%s AS integer) AS age) f",  # noqa: S608
            [*pp, birth, age],
        )
        [(got,)] = cur.fetchall()
    out = ev.evaluate(doc, {"age": age}, AGE)
    assert {True: ev.ELIGIBLE, False: ev.NOT_ELIGIBLE, None: ev.UNKNOWN}[got] == out.state, (on, birth, age)
