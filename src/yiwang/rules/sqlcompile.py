"""A parsed rule set as one SQL predicate and one amount expression over a fact query's columns
(PostgreSQL). The semantics are those of ``evaluate``: NULL is unknown and propagates through comparisons
and AND/OR exactly as Kleene logic does; a quotient is ROUND(a / NULLIF(b, 0), 10); min/max of an unknown
is unknown (LEAST/GREATEST would skip it, so they are guarded); every constant is a parameter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .document import Arith, Compare, Condition, Const, Expr, Fact, RuleDoc
from .facts import BOOL, CODE, FactSpec, years_cutoff

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

Sql = tuple[str, list[Any]]


def col(name: str, alias: str = "f") -> str:
    return f'{alias}."{name}"'


def expr_sql(e: Expr, alias: str = "f") -> Sql:
    if isinstance(e, Fact):
        return f"CAST({col(e.name, alias)} AS numeric)", []
    if isinstance(e, Const):
        return "CAST(%s AS numeric)", [str(e.value)]
    assert isinstance(e, Arith)
    a, pa = expr_sql(e.args[0], alias)
    b, pb = expr_sql(e.args[1], alias)
    if e.op in ("+", "-", "*"):
        return f"({a} {e.op} {b})", pa + pb
    if e.op == "/":
        return f"ROUND({a} / NULLIF({b}, 0), 10)", pa + pb
    fn = "LEAST" if e.op == "min" else "GREATEST"
    return f"(CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE {fn}({a}, {b}) END)", pa + pb + pa + pb


def _years_sql(t: Compare, spec: FactSpec, on: date, alias: str) -> Sql | None:
    """``age >= N`` as ``birth_date <= cutoff`` (and >, <, <=): the same truth, NULL included, but an index
    range instead of arithmetic on every row."""
    v: Decimal = t.value
    if t.op not in (">=", ">", "<", "<=") or v != v.to_integral_value() or not 0 <= v <= 150:
        return None
    n = int(v) + (1 if t.op in (">", "<=") else 0)  # age > N ⇔ age >= N+1; age <= N ⇔ not age >= N+1
    cut = years_cutoff(on, n)
    c = col(spec.years_since, alias)
    return (f"({c} <= %s)", [cut]) if t.op in (">=", ">") else (f"({c} > %s)", [cut])


def compare_sql(
    t: Compare, alias: str = "f", specs: dict[str, FactSpec] | None = None, on: date | None = None
) -> Sql:
    if specs and on and isinstance(t.left, Fact) and t.type == "decimal":
        spec = specs.get(t.left.name)
        if spec is not None and spec.years_since:
            fast = _years_sql(t, spec, on, alias)
            if fast is not None:
                return fast
    if t.type in (CODE, BOOL):
        assert isinstance(t.left, Fact)
        c = col(t.left.name, alias)
        if t.op in ("==", "!="):
            return f"({c} {'=' if t.op == '==' else '<>'} %s)", [t.value]
        if t.op in ("in", "not_in"):
            marks = ", ".join(["%s"] * len(t.value))
            return f"({c} {'IN' if t.op == 'in' else 'NOT IN'} ({marks}))", list(t.value)
        parts = [f"substr({c}, 1, {len(p)}) = %s" for p in t.value]
        return "(" + " OR ".join(parts) + ")", list(t.value)
    left, params = expr_sql(t.left, alias)
    op = {"==": "=", "!=": "<>"}.get(t.op, t.op)
    return f"({left} {op} CAST(%s AS numeric))", [*params, str(t.value)]


def condition_sql(
    c: Condition, alias: str = "f", specs: dict[str, FactSpec] | None = None, on: date | None = None
) -> Sql:
    parts = [compare_sql(t, alias, specs, on) for t in c.tests]
    sql = (" OR " if c.any else " AND ").join(p[0] for p in parts)
    return f"({sql})", [x for p in parts for x in p[1]]


def predicate_sql(
    doc: RuleDoc, alias: str = "f", specs: dict[str, FactSpec] | None = None, on: date | None = None
) -> Sql:
    """True for the eligible, false for the not eligible, NULL for the undecided."""
    parts = [condition_sql(c, alias, specs, on) for c in doc.conditions]
    return "(" + " AND ".join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]


def amount_sql(doc: RuleDoc, alias: str = "f") -> Sql:
    if doc.amount is None:
        return "CAST(NULL AS numeric)", []
    f, p = expr_sql(doc.amount.formula, alias)
    inner, params = f"GREATEST({f}, 0)", list(p)
    if doc.amount.cap is not None:
        inner, params = f"LEAST({inner}, CAST(%s AS numeric))", [*params, str(doc.amount.cap)]
    return f"(CASE WHEN {f} IS NULL THEN NULL ELSE ROUND({inner}, 2) END)", p + params


def eligible_select(
    doc: RuleDoc,
    facts_sql: str,
    facts_params: list[Any],
    carry: tuple[str, ...] = (),
    specs: dict[str, FactSpec] | None = None,
    on: date | None = None,
) -> Sql:
    """``SELECT subject_id, amount, *carry FROM (facts) f WHERE predicate`` — the eligible only: WHERE keeps
    TRUE and leaves out FALSE and NULL (the undecided). Not wrapped in ``IS TRUE``, so the planner sees each
    condition (its selectivity, an index range on a birth date)."""
    pred, pp = predicate_sql(doc, "f", specs, on)
    amt, ap = amount_sql(doc)
    extra = "".join(f", {col(c)}" for c in carry)
    sql = f"SELECT f.subject_id, {amt} AS amount{extra} FROM ({facts_sql}) f WHERE {pred}"  # noqa: S608 - compiled from a validated tree, values are parameters
    return sql, [*ap, *facts_params, *pp]
