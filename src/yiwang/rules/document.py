"""The rule-set document: a small typed condition tree, stored as JSON and validated before it is saved.

    {"conditions": [
        {"id": "rd_ratio", "label": "研发投入占营业收入 ≥ 3%",
         "left": {"op": "/", "args": [{"fact": "rd_spend"}, {"fact": "revenue"}]},
         "op": ">=", "value": "0.03", "display": "percent"},
        {"id": "where", "label": "注册在龙岗", "any": [{"left": {"fact": "street"}, "op": "in", "value": [...]}]}],
     "amount": {"formula": {"op": "*", "args": [{"fact": "rd_spend"}, {"const": "0.1"}]}, "cap": "1000000"}}

Every condition is named; all of them must hold. A condition compares one side (a fact, or a small
arithmetic tree over numeric facts: + − × ÷ min max) with a constant, or is ``any`` of such comparisons.
No code is ever executed: the document is data, and both evaluators (Python for one subject, SQL for all)
are generated from the same parsed tree (docs/adr/0100)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Union

from django.utils.translation import gettext as _

from .facts import BOOL, CODE, NUMERIC

if TYPE_CHECKING:
    from .facts import FactSpec

NUMERIC_OPS = ("<", "<=", ">", ">=", "==", "!=")
CODE_OPS = ("==", "!=", "in", "not_in", "prefix")
BOOL_OPS = ("==",)
ARITH_OPS = ("+", "-", "*", "/", "min", "max")
DISPLAYS = ("", "percent", "money")
ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MAX_NODES = 64
MAX_CONDITIONS = 40


@dataclass(frozen=True)
class Fact:
    name: str


@dataclass(frozen=True)
class Const:
    value: Decimal


@dataclass(frozen=True)
class Arith:
    op: str
    args: tuple[Expr, ...]


Expr = Union[Fact, Const, Arith]  # noqa: UP007 - a runtime alias (X | Y of classes needs 3.10 types)


@dataclass(frozen=True)
class Compare:
    left: Expr
    op: str
    value: Any  # Decimal | str | bool | tuple[str, ...]
    type: str  # the left side's type


@dataclass(frozen=True)
class Condition:
    id: str
    label: str
    tests: tuple[Compare, ...]  # one, or several for "any"
    any: bool = False
    display: str = ""


@dataclass(frozen=True)
class Amount:
    formula: Expr
    cap: Decimal | None
    label: str = ""


@dataclass(frozen=True)
class RuleDoc:
    conditions: tuple[Condition, ...]
    amount: Amount | None = None

    def facts(self) -> list[str]:
        """Every fact the document reads, in order of first use."""
        out: list[str] = []
        for c in self.conditions:
            for t in c.tests:
                _collect(t.left, out)
        if self.amount:
            _collect(self.amount.formula, out)
        return out


def _collect(e: Expr, out: list[str]) -> None:
    if isinstance(e, Fact):
        if e.name not in out:
            out.append(e.name)
    elif isinstance(e, Arith):
        for a in e.args:
            _collect(a, out)


class RuleInvalid(Exception):
    """Every problem found, each naming where it is (a condition's id, or ``amount``)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{w}: {m}" for w, m in errors))

    def as_fields(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for where, msg in self.errors:
            out[where] = f"{out[where]} {msg}" if where in out else msg
        return out


@dataclass
class _Ctx:
    facts: dict[str, FactSpec]
    where: str
    errors: list[tuple[str, str]] = field(default_factory=list)
    nodes: int = 0

    def err(self, msg: str) -> None:
        self.errors.append((self.where, msg))


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        d = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() and abs(d) < Decimal("1e15") else None


def _expr(raw: Any, ctx: _Ctx) -> tuple[Expr | None, str]:  # noqa: C901 - one branch per node kind
    """Parse an expression; returns it with its type (int/decimal → "decimal" once arithmetic is applied)."""
    ctx.nodes += 1
    if ctx.nodes > MAX_NODES:
        ctx.err(_("The expression is too large (at most %(n)d parts).") % {"n": MAX_NODES})
        return None, ""
    if not isinstance(raw, dict):
        ctx.err(_("An expression must be a fact, a constant or an operation."))
        return None, ""
    if "fact" in raw:
        name = raw["fact"]
        spec = ctx.facts.get(name) if isinstance(name, str) else None
        if spec is None:
            ctx.err(_("Unknown fact “%(name)s”.") % {"name": name})
            return None, ""
        return Fact(name), spec.type
    if "const" in raw:
        d = _decimal(raw["const"])
        if d is None:
            ctx.err(_("“%(v)s” is not a number.") % {"v": raw["const"]})
            return None, ""
        return Const(d), "decimal"
    op = raw.get("op")
    if op not in ARITH_OPS:
        ctx.err(_("Unknown operation “%(op)s”.") % {"op": op})
        return None, ""
    args_raw = raw.get("args")
    if not isinstance(args_raw, list) or len(args_raw) != 2:
        ctx.err(_("The operation “%(op)s” takes two arguments.") % {"op": op})
        return None, ""
    args: list[Expr] = []
    for a in args_raw:
        e, t = _expr(a, ctx)
        if e is None:
            return None, ""
        if t not in NUMERIC and t != "decimal":
            ctx.err(_("“%(op)s” needs numbers; “%(fact)s” is not a number.") % {"op": op, "fact": _name(e)})
            return None, ""
        args.append(e)
    if op == "/" and isinstance(args[1], Const) and args[1].value == 0:
        ctx.err(_("Division by zero."))
        return None, ""
    return Arith(op, tuple(args)), "decimal"


def _name(e: Expr) -> str:
    return e.name if isinstance(e, Fact) else str(e.value) if isinstance(e, Const) else e.op


def _compare(raw: Any, ctx: _Ctx) -> Compare | None:  # noqa: C901 - one branch per type
    if not isinstance(raw, dict) or "left" not in raw:
        ctx.err(_("A condition compares a fact or a formula (left) with a value."))
        return None
    left, typ = _expr(raw["left"], ctx)
    if left is None:
        return None
    op, value = str(raw.get("op")), raw.get("value")
    numeric = typ in NUMERIC or typ == "decimal"
    allowed = NUMERIC_OPS if numeric else CODE_OPS if typ == CODE else BOOL_OPS
    if op not in allowed:
        ctx.err(
            _("The comparison “%(op)s” cannot be used with “%(fact)s” (allowed: %(allowed)s).")
            % {"op": op, "fact": _name(left), "allowed": " ".join(allowed)}
        )
        return None
    if numeric:
        d = _decimal(value)
        if d is None:
            ctx.err(_("“%(fact)s” is a number; “%(v)s” is not.") % {"fact": _name(left), "v": value})
            return None
        return Compare(left, op, d, "decimal")
    if typ == BOOL:
        if not isinstance(value, bool):
            ctx.err(_("“%(fact)s” is yes or no; “%(v)s” is neither.") % {"fact": _name(left), "v": value})
            return None
        return Compare(left, op, value, BOOL)
    if op in ("in", "not_in", "prefix"):
        values = value if isinstance(value, list) else None
        if not values or not all(isinstance(v, str) and CODE_RE.match(v) for v in values):
            ctx.err(_("“%(op)s” needs a list of codes (letters and digits).") % {"op": op})
            return None
        return Compare(left, op, tuple(values), CODE)
    if not isinstance(value, str) or not CODE_RE.match(value):
        ctx.err(_("“%(v)s” is not a code (letters and digits).") % {"v": value})
        return None
    return Compare(left, op, value, CODE)


def parse(raw: Any, facts: dict[str, FactSpec]) -> RuleDoc:  # noqa: C901 - every check, every error
    """Validate a document against the subject kind's facts; raise ``RuleInvalid`` with every error."""
    ctx = _Ctx(facts, where="document")
    if not isinstance(raw, dict) or not isinstance(raw.get("conditions"), list):
        raise RuleInvalid([("document", _("A rule set is a list of conditions."))])
    conds: list[Condition] = []
    seen: set[str] = set()
    if not raw["conditions"]:
        ctx.err(_("A rule set needs at least one condition."))
    if len(raw["conditions"]) > MAX_CONDITIONS:
        ctx.err(_("At most %(n)d conditions.") % {"n": MAX_CONDITIONS})
    for i, c in enumerate(raw["conditions"][:MAX_CONDITIONS], start=1):
        cid = c.get("id") if isinstance(c, dict) else None
        ctx.where = cid if isinstance(cid, str) and cid else f"condition {i}"
        if not isinstance(c, dict):
            ctx.err(_("A condition must be an object."))
            continue
        if not isinstance(cid, str) or not ID_RE.match(cid):
            ctx.err(_("A condition needs an id of lower-case letters, digits and _ (for example rd_ratio)."))
            continue
        if cid in seen:
            ctx.err(_("Two conditions have the id “%(id)s”.") % {"id": cid})
            continue
        seen.add(cid)
        label = str(c.get("label") or "").strip()
        if not label:
            ctx.err(_("Describe the condition in words (label)."))
        display = c.get("display", "") or ""
        if display not in DISPLAYS:
            ctx.err(_("Unknown display “%(d)s”.") % {"d": display})
            display = ""
        ctx.nodes = 0
        is_any = "any" in c
        raws = c["any"] if is_any else [c]
        if is_any and (not isinstance(raws, list) or not raws):
            ctx.err(_("“any” needs a list of comparisons."))
            continue
        tests = [_compare(r, ctx) for r in raws]
        if all(t is not None for t in tests):
            conds.append(Condition(cid, label[:200], tuple(t for t in tests if t), is_any, display))
    amount = None
    if raw.get("amount"):
        ctx.where = "amount"
        ctx.nodes = 0
        a = raw["amount"]
        if not isinstance(a, dict):
            ctx.err(_("The amount needs a formula."))
        else:
            formula, typ = _expr(a.get("formula"), ctx)
            cap = None
            if a.get("cap") not in (None, ""):
                cap = _decimal(a.get("cap"))
                if cap is None or cap < 0:
                    ctx.err(_("The cap must be a number of yuan of at least 0."))
            if formula is not None and typ not in NUMERIC and typ != "decimal":
                ctx.err(_("The amount formula must be a number."))
            elif formula is not None:
                amount = Amount(formula, cap, str(a.get("label") or "")[:200])
    if ctx.errors:
        raise RuleInvalid(ctx.errors)
    return RuleDoc(tuple(conds), amount)
