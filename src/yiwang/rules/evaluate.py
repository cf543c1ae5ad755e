"""One subject at a time: every condition with the facts it used (value and source), met / not met /
unknown, the amount step by step, and for a failed condition by how much it was missed ("why not").

Three-valued (Kleene) logic, the same as SQL's: a comparison with an unknown fact is unknown; all
conditions hold → eligible; any fails → not eligible; otherwise unknown ("we need X to decide").
Arithmetic is exact (Decimal); a quotient is rounded to 10 places and division by zero is unknown — the
SQL compiler (``sqlcompile``) does exactly the same, which the property tests check."""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .document import Arith, Compare, Condition, Const, Expr, Fact, RuleDoc
from .facts import BOOL, CODE

if TYPE_CHECKING:
    from .facts import FactSpec

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
ELIGIBLE, NOT_ELIGIBLE = "eligible", "not_eligible"
QUOTIENT = Decimal("1e-10")
CENT = Decimal("0.01")
_CTX = decimal.Context(prec=60, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FactUsed:
    name: str
    label: str
    value: Any
    unit: str
    source: str


@dataclass(frozen=True)
class ConditionResult:
    id: str
    label: str
    state: str
    facts: tuple[FactUsed, ...]
    left: Any  # the value compared (a fact or the formula's result)
    op: str
    value: Any
    why: str  # in words: what was compared, and by how much it failed
    shortfall: Decimal | None = None  # how far the left side is from passing (numbers only)


@dataclass(frozen=True)
class Step:
    text: str
    value: Decimal | None


@dataclass
class Outcome:
    state: str
    conditions: list[ConditionResult]
    amount: Decimal | None = None
    steps: list[Step] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # labels of the unknown facts that decide it

    @property
    def eligible(self) -> bool:
        return self.state == ELIGIBLE

    @property
    def failed(self) -> list[ConditionResult]:
        return [c for c in self.conditions if c.state == NOT_MET]


def num(v: Any) -> Decimal | None:
    return None if v is None else Decimal(v) if not isinstance(v, Decimal) else v


def calc(
    e: Expr, facts: dict[str, Any], steps: list[Step] | None = None, labels: dict[str, str] | None = None
) -> Decimal | None:
    """The value of an arithmetic tree (``None`` when a fact is unknown or a divisor is 0)."""
    if isinstance(e, Fact):
        v = facts.get(e.name)
        return None if v is None else num(v)
    if isinstance(e, Const):
        return e.value
    assert isinstance(e, Arith)
    a = calc(e.args[0], facts, steps, labels)
    b = calc(e.args[1], facts, steps, labels)
    out: Decimal | None
    if a is None or b is None:
        out = None
    elif e.op == "+":
        out = _CTX.add(a, b)
    elif e.op == "-":
        out = _CTX.subtract(a, b)
    elif e.op == "*":
        out = _CTX.multiply(a, b)
    elif e.op == "/":
        out = None if b == 0 else _CTX.divide(a, b).quantize(QUOTIENT, context=_CTX)
    elif e.op == "min":
        out = min(a, b)
    else:
        out = max(a, b)
    if steps is not None:
        steps.append(
            Step(
                f"{_show(e.args[0], a, labels)} {_SYM[e.op]} {_show(e.args[1], b, labels)} = {fmt(out)}", out
            )
        )
    return out


_SYM = {"+": "+", "-": "−", "*": "×", "/": "÷", "min": "min", "max": "max"}
_OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}


def _show(e: Expr, v: Decimal | None, labels: dict[str, str] | None) -> str:
    if isinstance(e, Fact):
        return f"{(labels or {}).get(e.name, e.name)} ({fmt(v)})"
    return fmt(v)


def fmt(v: Any, display: str = "") -> str:
    if v is None:
        return _("unknown")
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, Decimal | int):
        d = Decimal(v)
        if display == "percent":
            return f"{(d * 100).quantize(Decimal('0.01')).normalize():f}%"
        if d == d.to_integral_value():
            return f"{int(d):,}"
        return f"{d.quantize(Decimal('0.0001')).normalize():f}"
    if isinstance(v, tuple):
        return "、".join(v)
    return str(v)


def compare(t: Compare, facts: dict[str, Any]) -> tuple[bool | None, Any, Decimal | None]:
    """(passes, the left value, the shortfall for a failed numeric comparison)."""
    if t.type in (CODE, BOOL):
        assert isinstance(t.left, Fact)
        v = facts.get(t.left.name)
        if v is None:
            return None, None, None
        if t.op == "==":
            return v == t.value, v, None
        if t.op == "!=":
            return v != t.value, v, None
        if t.op == "in":
            return v in t.value, v, None
        if t.op == "not_in":
            return v not in t.value, v, None
        return any(str(v).startswith(p) for p in t.value), v, None
    left = calc(t.left, facts)
    if left is None:
        return None, None, None
    thr: Decimal = t.value
    ok = {
        "<": left < thr,
        "<=": left <= thr,
        ">": left > thr,
        ">=": left >= thr,
        "==": left == thr,
        "!=": left != thr,
    }[t.op]
    short = None if ok or t.op in ("==", "!=") else abs(thr - left)
    return ok, left, short


def _and(states: list[bool | None]) -> bool | None:
    if any(s is False for s in states):
        return False
    return None if any(s is None for s in states) else True


def _or(states: list[bool | None]) -> bool | None:
    if any(s is True for s in states):
        return True
    return None if any(s is None for s in states) else False


def _facts_in(e: Expr, out: list[str]) -> None:
    if isinstance(e, Fact):
        if e.name not in out:
            out.append(e.name)
    elif isinstance(e, Arith):
        for a in e.args:
            _facts_in(a, out)


def _condition(c: Condition, facts: dict[str, Any], specs: dict[str, FactSpec]) -> ConditionResult:
    results = [compare(t, facts) for t in c.tests]
    passed = _or([r[0] for r in results]) if c.any else results[0][0]
    names: list[str] = []
    for t in c.tests:
        _facts_in(t.left, names)
    used = tuple(
        FactUsed(n, str(specs[n].label), facts.get(n), str(specs[n].unit), str(specs[n].source))
        for n in names
    )
    t0, (_ok, left, short) = c.tests[0], results[0]
    state = MET if passed is True else NOT_MET if passed is False else UNKNOWN
    subject = " / ".join(str(u.label) for u in used) if not isinstance(t0.left, Fact) else str(used[0].label)
    if state == UNKNOWN:
        unknown = [str(u.label) for u in used if u.value is None]
        why = (
            _("We need %(facts)s to decide.") % {"facts": "、".join(unknown)}
            if unknown
            else _("%(what)s cannot be computed (a divisor is 0).") % {"what": subject}
        )
    elif c.any:
        why = (
            _("At least one of the alternatives holds.")
            if state == MET
            else _("None of the alternatives holds.")
        )
    else:
        shown = fmt(left, c.display)
        wanted = f"{_OPS.get(t0.op, t0.op)} {fmt(t0.value, c.display)}"
        if t0.op in ("in", "not_in", "prefix"):
            wanted = (
                {"in": _("one of"), "not_in": _("none of"), "prefix": _("starting with")}[t0.op]
                + " "
                + fmt(t0.value)
            )
        if state == MET:
            why = _("%(what)s is %(v)s (required %(want)s).") % {"what": subject, "v": shown, "want": wanted}
        elif short is not None:
            why = _("%(what)s is %(v)s; %(want)s is required (short by %(by)s).") % {
                "what": subject,
                "v": shown,
                "want": wanted,
                "by": fmt(short, c.display),
            }
        else:
            why = _("%(what)s is %(v)s; %(want)s is required.") % {
                "what": subject,
                "v": shown,
                "want": wanted,
            }
    return ConditionResult(c.id, c.label, state, used, left, t0.op, t0.value, why, short)


def evaluate(doc: RuleDoc, facts: dict[str, Any], specs: dict[str, FactSpec]) -> Outcome:
    """Explain ``doc`` for one subject whose facts are ``facts`` (``None`` = unknown)."""
    results = [_condition(c, facts, specs) for c in doc.conditions]
    passed = _and([True if r.state == MET else False if r.state == NOT_MET else None for r in results])
    state = ELIGIBLE if passed is True else NOT_ELIGIBLE if passed is False else UNKNOWN
    missing: list[str] = []
    for r in results:
        if r.state == UNKNOWN:
            for u in r.facts:
                if u.value is None and u.label not in missing:
                    missing.append(u.label)
    out = Outcome(state, results, missing=missing)
    if doc.amount is not None and state == ELIGIBLE:
        out.amount, out.steps = amount(doc, facts, specs)
    return out


def amount(
    doc: RuleDoc, facts: dict[str, Any], specs: dict[str, FactSpec] | None = None
) -> tuple[Decimal | None, list[Step]]:
    """The amount: the formula, at least 0, at most the cap, rounded to the fen — and how."""
    assert doc.amount is not None
    labels = {k: str(v.label) for k, v in (specs or {}).items()}
    steps: list[Step] = []
    raw = calc(doc.amount.formula, facts, steps, labels)
    if not steps:
        steps.append(Step(f"{_show(doc.amount.formula, raw, labels)}", raw))
    if raw is None:
        return None, steps
    value = max(raw, Decimal(0))
    if value != raw:
        steps.append(Step(_("not below 0: %(v)s") % {"v": fmt(value)}, value))
    if doc.amount.cap is not None and value > doc.amount.cap:
        value = doc.amount.cap
        steps.append(Step(_("capped at %(cap)s") % {"cap": fmt(doc.amount.cap)}, value))
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value, steps


def batch_value(doc: RuleDoc, facts: dict[str, Any]) -> tuple[str, Decimal | None]:
    """The state and amount only (the SQLite batch path; the same logic as ``evaluate``)."""
    states = []
    for c in doc.conditions:
        r = [compare(t, facts)[0] for t in c.tests]
        states.append(_or(r) if c.any else r[0])
    passed = _and(states)
    if passed is not True:
        return (NOT_ELIGIBLE if passed is False else UNKNOWN), None
    if doc.amount is None:
        return ELIGIBLE, None
    raw = calc(doc.amount.formula, facts)
    if raw is None:
        return ELIGIBLE, None
    value = max(raw, Decimal(0))
    if doc.amount.cap is not None:
        value = min(value, doc.amount.cap)
    return ELIGIBLE, value.quantize(CENT, rounding=ROUND_HALF_UP)
