"""The assessment's scoring formula and the government-service index: plain arithmetic, no ORM.

A department's (or clerk's) score is ``Σ weight × component`` with every component on 0–100:

- ``timeliness``  — decided cases finished early or on time, in % (early counts 100, on time 100, late 0);
- ``satisfaction`` — counted reviews (excluded ones apart) that are not bad (levels 3–5), in %;
- ``rectification`` — bad-review rectifications finished within their clock, in % (100 when none were due);
- ``refusals``    — 100 − the % of refusal requests that a supervisor sent back (overturned);
- ``online``      — applications received online or through the API, in %.

The weights are published as versions (``ScoringFormula``) and must sum to 1. The government-service index of
a street (or the district) for a month is ``Σ index weight × component`` over on-time rate, satisfaction,
online rate and zero-visit rate (docs/adr/0122-assessment-formula-and-index.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

COMPONENTS: dict[str, Any] = {
    "timeliness": _("Timeliness (early or on time)"),
    "satisfaction": _("Satisfaction (reviews not bad)"),
    "rectification": _("Bad reviews rectified on time"),
    "refusals": _("Refusals not overturned"),
    "online": _("Online rate"),
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "timeliness": 0.3,
    "satisfaction": 0.3,
    "rectification": 0.15,
    "refusals": 0.1,
    "online": 0.15,
}
INDEX_COMPONENTS: dict[str, Any] = {
    "in_time": _("On-time rate"),
    "satisfaction": _("Satisfaction"),
    "online": _("Online rate"),
    "zero_visit": _("Zero-visit rate"),
}
INDEX_WEIGHTS: dict[str, float] = {"in_time": 0.3, "satisfaction": 0.3, "online": 0.2, "zero_visit": 0.2}


class WeightsError(ValueError):
    def __init__(self, message: Any, field: str = "weights") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def check_weights(weights: dict[str, Any]) -> dict[str, float]:
    """Every component named once, each weight in 0..1, the sum exactly 1 (to 4 decimals)."""
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise WeightsError(_("Unknown component: %(c)s.") % {"c": "、".join(unknown)}, unknown[0])
    missing = sorted(set(COMPONENTS) - set(weights))
    if missing:
        raise WeightsError(_("A weight is missing for: %(c)s.") % {"c": "、".join(missing)}, missing[0])
    out: dict[str, float] = {}
    for k in COMPONENTS:
        try:
            value = Decimal(str(weights[k]))
        except Exception:
            raise WeightsError(_("A weight must be a number."), k) from None
        if value < 0 or value > 1:
            raise WeightsError(_("A weight must be between 0 and 1."), k)
        out[k] = float(value)
    total = sum((Decimal(str(v)) for v in out.values()), Decimal(0))
    if total.quantize(Decimal("0.0001")) != Decimal("1.0000"):
        raise WeightsError(_("The weights must sum to 1 (they sum to %(s)s).") % {"s": f"{total:.4f}"})
    return out


def rate(part: int, whole: int, *, empty: float | None = None) -> float | None:
    if not whole:
        return empty
    return round(100.0 * part / whole, 2)


@dataclass(frozen=True)
class Counts:
    """What one department or clerk did in a month."""

    decided: int = 0
    in_time: int = 0
    reviews: int = 0
    not_bad: int = 0
    rect_due: int = 0
    rect_on_time: int = 0
    refusal_requests: int = 0
    overturned: int = 0
    received: int = 0
    online: int = 0


def components(c: Counts) -> dict[str, float | None]:
    """Each component on 0–100; ``None`` when there is nothing to measure (it then scores its weight at 100
    only for rectification, where no bad review means nothing to put right; otherwise it is left out and the
    other weights are scaled up)."""
    overturned = rate(c.overturned, c.refusal_requests)
    return {
        "timeliness": rate(c.in_time, c.decided),
        "satisfaction": rate(c.not_bad, c.reviews),
        "rectification": rate(c.rect_on_time, c.rect_due, empty=100.0),
        "refusals": round(100.0 - overturned, 2) if overturned is not None else None,
        "online": rate(c.online, c.received),
    }


def score(parts: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """``Σ weight × component`` over the components measured, the weights scaled to sum to 1 over them."""
    measured = {k: v for k, v in parts.items() if v is not None and weights.get(k, 0) > 0}
    total_w = sum(weights[k] for k in measured)
    if not measured or total_w <= 0:
        return None
    return round(sum(weights[k] * v for k, v in measured.items()) / total_w, 2)
