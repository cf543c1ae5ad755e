"""The kernel's workflow vocabulary: a declarative table of statuses and transitions with guards.

No I/O here. Each kind of case declares a ``Workflow`` in its own ``workflow.py`` and registers it;
``services.case_transition`` is the one place that changes a status and consults the table.

A transition names the statuses it may start from, the status it leads to (``STAY`` keeps the
status, ``BACK`` returns to the status recorded before a pending request), who may fire it, what it
does to the clock, and pure guard functions over a ``facts`` mapping prepared by the kind's
service. A guard returns ``None`` when the move is allowed or a message saying why not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

STAY = "@stay"
BACK = "@back"

Guard = Callable[[Mapping[str, Any]], Any]


class ClockEffect:
    NONE = ""
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    STOP = "stop"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    label: Any = ""
    clock: str = ClockEffect.NONE
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    public: bool = True  # shown (without personal data) on the public progress page


@dataclass(frozen=True)
class Workflow:
    kind: str
    statuses: frozenset[str]
    initial: frozenset[str]
    transitions: Mapping[str, Transition] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t in self.transitions.values():
            unknown = (t.sources | ({t.target} - {STAY, BACK})) - self.statuses
            if unknown:
                raise ValueError(f"{self.kind}.{t.name}: unknown statuses {sorted(unknown)}")

    def get(self, name: str) -> Transition | None:
        return self.transitions.get(name)

    def allowed_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions.values() if status in t.sources]

    def check(self, *, status: str, name: str, actor_role: str, facts: Mapping[str, Any]) -> list[Any]:
        """Reasons the transition may not happen (an empty list when it may)."""
        t = self.transitions.get(name)
        if t is None:
            return [f"unknown transition {name}"]
        problems: list[Any] = []
        if status not in t.sources:
            problems.append(("status", status))
        if actor_role not in t.actors:
            problems.append(("actor", actor_role))
        if not problems:
            for guard in t.guards:
                msg = guard(facts)
                if msg:
                    problems.append(msg)
        return problems

    def target_of(self, t: Transition, *, status: str, prior: str = "") -> str:
        if t.target == STAY:
            return status
        if t.target == BACK:
            if prior not in self.statuses:
                raise ValueError("no prior status to return to")
            return prior
        return t.target


_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    _REGISTRY[workflow.kind] = workflow
    return workflow


def workflow_for(kind: str) -> Workflow:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"no workflow registered for case kind {kind!r}") from None
