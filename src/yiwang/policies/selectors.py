"""Calculator reads: the policies in their window with the version in force, one enterprise's (or a typed
profile's) matches, near misses with "why not", and the undecided; figures per policy; qualifying lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet, Sum

from yiwang.accounts.access import enterprises_for
from yiwang.accounts.models import Enterprise
from yiwang.rules import evaluate as ev
from yiwang.rules import selectors as rules

from .facts import FACTS, KIND
from .models import CalculatorVisit, Policy, PolicyNotice, PolicyStat

if TYPE_CHECKING:
    from datetime import date

    from yiwang.accounts.access import Visitor
    from yiwang.rules.models import RuleSetVersion


@dataclass
class PolicyOutcome:
    policy: Policy
    version: RuleSetVersion
    outcome: ev.Outcome


@dataclass
class Calculation:
    eligible: list[PolicyOutcome]
    near: list[PolicyOutcome]
    undecided: list[PolicyOutcome]
    others: int
    facts: dict[str, Any]

    @property
    def total(self) -> Decimal:
        return sum((p.outcome.amount or Decimal(0) for p in self.eligible), Decimal(0))


def policies(*, q: str = "") -> QuerySet[Policy]:
    qs = Policy.objects.select_related("department", "rule_set", "item").order_by("code")
    return qs.filter(name__icontains=q) if q else qs


def policy_get(code: str) -> Policy | None:
    return policies().filter(code=code).first()


def open_policies(on: date) -> list[tuple[Policy, RuleSetVersion]]:
    """Policies whose application window includes ``on`` and that have a version in force (two queries)."""
    listed = list(policies().filter(opens_on__lte=on, closes_on__gte=on))
    in_force = rules.versions_in_force([p.rule_set_id for p in listed], on)
    return [(p, in_force[p.rule_set_id]) for p in listed if p.rule_set_id in in_force]


def calculate(facts: dict[str, Any], *, on: date) -> Calculation:
    conf: dict[str, Any] = settings.POLICIES
    near_limit = int(conf.get("near_miss_conditions", 2))
    calc = Calculation([], [], [], 0, facts)
    for p, v in open_policies(on):
        out = rules.explain(rules.document_of(v), KIND, facts)
        row = PolicyOutcome(p, v, out)
        if out.state == ev.ELIGIBLE:
            calc.eligible.append(row)
        elif out.state == ev.NOT_ELIGIBLE and len(out.failed) <= near_limit:
            calc.near.append(row)
        elif out.state == ev.UNKNOWN:
            calc.undecided.append(row)
        else:
            calc.others += 1
    calc.eligible.sort(key=lambda r: (-(r.outcome.amount or 0), r.policy.code))
    calc.near.sort(key=lambda r: (len(r.outcome.failed), r.policy.code))
    return calc


def enterprise_facts(enterprise: Enterprise, on: date) -> dict[str, Any]:
    return rules.subject_facts(KIND, enterprise.pk, as_of=on) or {}


def my_enterprises(user: Visitor) -> QuerySet[Enterprise]:
    return enterprises_for(user)


def fact_fields() -> list[tuple[str, Any]]:
    return [(k, f) for k, f in FACTS.items()]


def figures() -> list[dict[str, Any]]:
    sums: dict[int, dict[str, Any]] = {
        r["policy"]: dict(r)
        for r in PolicyStat.objects.values("policy").annotate(visits=Sum("visits"), matches=Sum("matches"))
    }
    return [
        {
            "policy": p,
            "visits": (sums.get(p.pk) or {}).get("visits") or 0,
            "matches": (sums.get(p.pk) or {}).get("matches") or 0,
        }
        for p in policies()
    ]


def calculator_visits() -> int:
    return int(CalculatorVisit.objects.aggregate(n=Sum("visits"))["n"] or 0)


def notices(policy: Policy) -> QuerySet[PolicyNotice]:
    return policy.notices.select_related("run__version").order_by("-run__started_at")


def notice_get(pk: int) -> PolicyNotice | None:
    return PolicyNotice.objects.select_related("policy", "run__version").filter(pk=pk).first()


def qualifying(notice: PolicyNotice, limit: int = 500) -> list[dict[str, Any]]:
    rows = list(rules.run_results(notice.run)[:limit])
    names = Enterprise.objects.in_bulk([r.subject_id for r in rows])
    return [
        {"enterprise": names.get(r.subject_id), "amount": r.amount} for r in rows if r.subject_id in names
    ]
