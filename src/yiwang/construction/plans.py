"""Approval plans as data (docs/adr/0130-construction-plans-as-data.md): what a plan says, how it is checked
and how a project's plan is drawn from it. Pure functions over plain dicts, no I/O.

A plan's definition (``PlanVersion.definition``)::

    {"budget_days": 90, "before": {"items": 9, "days": 118},
     "items": [{"key": "proposal", "name": "…", "item": "<catalogue item code>", "stage": 1,
                "days": 10, "after": []}, …],
     "rules": [{"code": "small", "skip": ["feasibility"], "saves_days": 20, "text": "…",
                "when": {"investment_below": 50000000, "nature_not_in": ["new", "extension"]}}]}

Items of one stage run in parallel unless one names another in ``after``; an item of a later stage waits for
the gate of the stage before it (every item of that stage done). ``days`` is the item's working-day budget.
A rule whose ``when`` holds for a project skips its items and takes ``saves_days`` off the plan's budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .vocabulary import BUDGET_STAGES, NATURES, STAGES

if TYPE_CHECKING:
    from collections.abc import Sequence


class PlanError(ValueError):
    """A plan that cannot be used; ``problems`` maps a field (or item key) to a message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


@dataclass(frozen=True)
class PlannedItem:
    key: str
    name: str
    item_code: str
    stage: int
    days: int
    after: tuple[str, ...]
    skipped: bool = False
    skip_rule: str = ""
    skip_text: str = ""


@dataclass(frozen=True)
class Instance:
    """A plan drawn for one project: its items (skipped ones marked, with the rule), its budget and why."""

    items: tuple[PlannedItem, ...]
    budget_days: int
    base_budget_days: int
    applied: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def active(self) -> list[PlannedItem]:
        return [i for i in self.items if not i.skipped]

    @property
    def budget_items(self) -> list[PlannedItem]:
        """The items the working-day budget covers (stages 1–3), not skipped."""
        return [i for i in self.active if i.stage in BUDGET_STAGES]


# --- topology -----------------------------------------------------------------------------------------


def predecessors(items: Sequence[Any]) -> dict[str, list[str]]:
    """Each item's predecessors: those it names in ``after``, and the previous stage's gate (every item of
    the nearest earlier stage that has items) when it names none of its own stage."""

    def get(i: Any, name: str) -> Any:
        return i[name] if isinstance(i, dict) else getattr(i, name)

    by_stage: dict[int, list[str]] = {}
    for i in items:
        by_stage.setdefault(int(get(i, "stage")), []).append(str(get(i, "key")))
    stage_of = {str(get(i, "key")): int(get(i, "stage")) for i in items}
    out: dict[str, list[str]] = {}
    for i in items:
        key, stage = str(get(i, "key")), int(get(i, "stage"))
        after = [str(a) for a in get(i, "after")]
        preds = list(after)
        if not any(stage_of.get(a) == stage for a in after):
            earlier = [s for s in by_stage if s < stage]
            if earlier:
                preds += [k for k in by_stage[max(earlier)] if k not in preds]
        out[key] = preds
    return out


def topological_order(preds: dict[str, list[str]]) -> list[str]:
    """Kahn's order, stable in the given order; raises ``PlanError`` naming the items of a cycle."""
    indeg = {k: 0 for k in preds}
    succ: dict[str, list[str]] = {k: [] for k in preds}
    for k, ps in preds.items():
        for p in ps:
            if p in succ:
                succ[p].append(k)
                indeg[k] += 1
    ready = [k for k in preds if indeg[k] == 0]
    order: list[str] = []
    while ready:
        k = ready.pop(0)
        order.append(k)
        for s in succ[k]:
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    if len(order) < len(preds):
        stuck = [k for k in preds if k not in order]
        raise PlanError(
            {
                "items": _("These items depend on each other in a cycle: %(items)s.")
                % {"items": ", ".join(stuck)}
            }
        )
    return order


def longest_path(items: list[PlannedItem]) -> tuple[int, list[str]]:
    """The longest chain of item budgets (skipped items count 0) and the items on it."""
    preds = predecessors(items)
    order = topological_order(preds)
    days = {i.key: (0 if i.skipped else i.days) for i in items}
    finish: dict[str, int] = {}
    via: dict[str, str | None] = {}
    for k in order:
        best = max(preds[k], key=lambda p: finish[p], default=None)
        finish[k] = (finish[best] if best else 0) + days[k]
        via[k] = best
    if not finish:
        return 0, []
    last = max(finish, key=lambda k: finish[k])
    length = finish[last]
    end: str | None = last
    chain: list[str] = []
    while end is not None:
        if days[end]:
            chain.append(end)
        end = via[end]
    return length, list(reversed(chain))


# --- checking -----------------------------------------------------------------------------------------


def _check_items(  # noqa: C901 - one check per field of an item
    d: dict[str, Any], problems: dict[str, str], known: set[str] | None
) -> list[dict[str, Any]]:
    items = d.get("items")
    if not isinstance(items, list) or not items:
        problems["items"] = _("A plan needs at least one approval item.")
        return []
    keys: set[str] = set()
    good = []
    for n, i in enumerate(items, start=1):
        if not isinstance(i, dict):
            problems[f"items[{n}]"] = _("Each item is an object with key, name, item, stage, days and after.")
            continue
        key = str(i.get("key", "")).strip()
        label = key or f"#{n}"
        if not key:
            problems[f"items[{n}].key"] = _("Item %(n)d has no key.") % {"n": n}
        elif key in keys:
            problems[f"{key}.key"] = _("The key “%(key)s” is used twice.") % {"key": key}
        keys.add(key)
        if int(i.get("stage", 0) or 0) not in STAGES:
            problems[f"{label}.stage"] = _("Item “%(key)s”: the stage must be 1, 2, 3 or 4.") % {"key": label}
        days = i.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 400:
            problems[f"{label}.days"] = _(
                "Item “%(key)s”: the budget must be a whole number of working days (1–400)."
            ) % {"key": label}
        code = str(i.get("item", "")).strip()
        if not code:
            problems[f"{label}.item"] = _("Item “%(key)s”: name its catalogue item.") % {"key": label}
        elif known is not None and code not in known:
            problems[f"{label}.item"] = _("Item “%(key)s”: the catalogue has no item %(code)s.") % {
                "key": label,
                "code": code,
            }
        if not str(i.get("name", "")).strip():
            problems[f"{label}.name"] = _("Item “%(key)s”: give its name.") % {"key": label}
        if not isinstance(i.get("after", []), list):
            problems[f"{label}.after"] = _("Item “%(key)s”: “after” is a list of item keys.") % {"key": label}
        good.append(i)
    stage_of = {str(i.get("key")): int(i.get("stage", 0) or 0) for i in good}
    for i in good:
        key = str(i.get("key"))
        for a in i.get("after", []) if isinstance(i.get("after", []), list) else []:
            if a not in stage_of:
                problems[f"{key}.after"] = _(
                    "Item “%(key)s” depends on “%(other)s”, which is not in the plan."
                ) % {"key": key, "other": a}
            elif stage_of[a] > stage_of.get(key, 0):
                problems[f"{key}.after"] = _(
                    "Item “%(key)s” cannot wait for “%(other)s” of a later stage."
                ) % {"key": key, "other": a}
    return good


def _check_rules(d: dict[str, Any], keys: set[str], problems: dict[str, str]) -> None:
    rules = d.get("rules", [])
    if not isinstance(rules, list):
        problems["rules"] = _("The rules are a list.")
        return
    for n, r in enumerate(rules, start=1):
        code = str(r.get("code", "")) if isinstance(r, dict) else ""
        label = code or f"#{n}"
        if not isinstance(r, dict) or not code:
            problems[f"rules[{n}]"] = _("Rule %(n)d needs a code.") % {"n": n}
            continue
        for k in r.get("skip", []):
            if k not in keys:
                problems[f"{label}.skip"] = _(
                    "Rule “%(code)s” skips “%(key)s”, which is not in the plan."
                ) % {"code": label, "key": k}
        saves = r.get("saves_days", 0)
        if not isinstance(saves, int) or saves < 0:
            problems[f"{label}.saves_days"] = _(
                "Rule “%(code)s”: the days saved must be a whole number ≥ 0."
            ) % {"code": label}
        when = r.get("when", {})
        if not isinstance(when, dict) or set(when) - {"investment_below", "nature_not_in", "nature_in"}:
            problems[f"{label}.when"] = _(
                "Rule “%(code)s”: conditions may be investment_below, nature_in and nature_not_in."
            ) % {"code": label}
        elif set(when.get("nature_not_in", [])) - set(NATURES) or set(when.get("nature_in", [])) - set(
            NATURES
        ):
            problems[f"{label}.when"] = _("Rule “%(code)s”: unknown nature of works.") % {"code": label}


def plan_validate(definition: Any, *, known_items: set[str] | None = None) -> dict[str, Any]:
    """The definition if it can be used; otherwise ``PlanError`` with every problem, each naming the item
    (or rule). Checks: the fields, unknown and later-stage dependencies, cycles, and that the items fit the
    budget with and without each rule."""
    problems: dict[str, str] = {}
    if not isinstance(definition, dict):
        raise PlanError({"definition": _("A plan is an object with budget_days, items and rules.")})
    budget = definition.get("budget_days")
    if not isinstance(budget, int) or isinstance(budget, bool) or not 1 <= budget <= 1000:
        problems["budget_days"] = _("The plan's budget must be a whole number of working days (1–1000).")
    items = _check_items(definition, problems, known_items)
    keys = {str(i.get("key")) for i in items}
    _check_rules(definition, keys, problems)
    if problems:
        raise PlanError(problems)
    preds = predecessors(items)
    topological_order(preds)  # raises on a cycle
    cases: list[tuple[str, set[str], int]] = [("", set(), 0)]
    cases += [
        (str(r["code"]), set(r.get("skip", [])), int(r.get("saves_days", 0)))
        for r in definition.get("rules", [])
    ]
    for code, skip, saves in cases:
        planned = [
            _planned(i, skipped=str(i["key"]) in skip) for i in items if int(i["stage"]) in BUDGET_STAGES
        ]
        length, chain = longest_path(planned)
        fit = int(budget or 0) - saves
        if length > fit:
            where = _(" with rule “%(code)s”") % {"code": code} if code else ""
            problems[f"{chain[-1] if chain else 'items'}.days"] = _(
                "The items cannot fit the budget%(where)s: the chain %(chain)s needs %(need)d working days, "
                "the budget is %(budget)d."
            ) % {"where": where, "chain": " → ".join(chain), "need": length, "budget": fit}
            break
    if problems:
        raise PlanError(problems)
    return definition


def _planned(i: dict[str, Any], *, skipped: bool = False, rule: dict[str, Any] | None = None) -> PlannedItem:
    return PlannedItem(
        key=str(i["key"]),
        name=str(i["name"]),
        item_code=str(i["item"]),
        stage=int(i["stage"]),
        days=int(i["days"]),
        after=tuple(str(a) for a in i.get("after", [])),
        skipped=skipped,
        skip_rule=str(rule["code"]) if rule else "",
        skip_text=str(rule.get("text", "")) if rule else "",
    )


# --- drawing a project's plan -------------------------------------------------------------------------


def parse_investment(value: Any) -> Decimal:
    """Yuan, a number ≥ 0 (``ValueError`` otherwise)."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError("not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("not a number ≥ 0")
    return amount


def rule_applies(rule: dict[str, Any], *, investment: Decimal, nature: str) -> bool:
    when = rule.get("when", {})
    if "investment_below" in when and not investment < Decimal(str(when["investment_below"])):
        return False
    if "nature_not_in" in when and nature in when["nature_not_in"]:
        return False
    return not ("nature_in" in when and nature not in when["nature_in"])


def plan_instantiate(definition: dict[str, Any], *, investment: Decimal, nature: str) -> Instance:
    """The plan for a project of this investment (yuan) and nature of works: every rule that applies skips
    its items and takes its days off the budget."""
    applied = [
        r for r in definition.get("rules", []) if rule_applies(r, investment=investment, nature=nature)
    ]
    skipping: dict[str, dict[str, Any]] = {}
    for r in applied:
        for k in r.get("skip", []):
            skipping.setdefault(k, r)
    items = tuple(
        _planned(i, skipped=i["key"] in skipping, rule=skipping.get(i["key"])) for i in definition["items"]
    )
    base = int(definition["budget_days"])
    budget = base - sum(int(r.get("saves_days", 0)) for r in applied)
    return Instance(items=items, budget_days=budget, base_budget_days=base, applied=tuple(applied))
