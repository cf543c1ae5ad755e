"""The calculator API (mounted at /api/policies): the catalogue and the calculation for a typed profile."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from yiwang.accounts.access import ensure
from yiwang.web.api import ERRORS

from . import selectors
from .access import access_calculator
from .schemas import CalculationOut, PolicyOut, ProfileIn

router = Router(tags=["policies"])


@router.get("/", response={200: list[PolicyOut], **ERRORS}, auth=None)
def list_policies(request: HttpRequest) -> Any:
    """Every policy with its department, legal source, application window and the item to apply under."""
    ensure(access_calculator(request.user), user=request.user, action="policies.list")
    return [
        {
            "code": p.code,
            "name": p.name,
            "department": p.department.name,
            "source_document": p.source_document,
            "opens_on": str(p.opens_on),
            "closes_on": str(p.closes_on),
            "apply_item": p.item.code if p.item else None,
        }
        for p in selectors.policies()
    ]


def _match(r: Any) -> dict[str, Any]:
    o = r.outcome
    return {
        "policy": r.policy.code,
        "name": r.policy.name,
        "state": o.state,
        "amount": o.amount,
        "closes_on": str(r.policy.closes_on),
        "conditions": [{"id": c.id, "label": c.label, "state": c.state, "why": c.why} for c in o.conditions],
        "missing": [str(m) for m in o.missing],
    }


@router.post("/calculate", response={200: CalculationOut, **ERRORS}, auth=None)
def calculate(request: HttpRequest, payload: ProfileIn) -> Any:
    """The policies open today for a profile: those it qualifies for (with the amount), near misses with
    "why not", and those that need more facts. Fields left out are unknown."""
    ensure(access_calculator(request.user), user=request.user, action="policies.calculate")
    calc = selectors.calculate(payload.model_dump(), on=timezone.localdate())
    return {
        "eligible": [_match(r) for r in calc.eligible],
        "near": [_match(r) for r in calc.near],
        "undecided": [_match(r) for r in calc.undecided],
    }
