"""The kernel's workflow vocabulary: each kind of case declares its own table; the kernel consults it.

No I/O here. A kind's ``workflow.py`` builds a ``Workflow`` — its statuses with their labels, which of
them are final or private, its transitions, its **capacities** (who counts as "the clerk", "the
handling office", "the third party" for one case) and its **party roles** — and registers it.
``services.case_transition`` is the one place that changes a status; it consults the table and never
names a status, capacity or party role of any kind.

A transition names the statuses it may start from, the status it leads to (``STAY`` keeps the status,
``BACK`` returns to the status recorded before a pending request), the capacities that may fire it, what
it does to the case's clocks (``ClockStep``: start, pause, resume, extend or stop the clock of a
*purpose*, in working days, calendar days or hours), and pure guards over the kind's typed facts. A
guard returns ``None`` when the move is allowed or a message saying why not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.db.models import Q

    from yiwang.accounts.access import Visitor

    from .models import Case

STAY = "@stay"
BACK = "@back"
# The capacity of no actor at all: periodic sweeps and other system work.
SYSTEM = "system"
# ``ClockStep.purpose`` meaning every running clock of the case (e.g. a withdrawal stops them all).
EVERY_CLOCK = "*"

Guard = Callable[[Any], Any]


class ClockEffect:
    NONE = ""
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    STOP = "stop"


class ClockUnit:
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"


@dataclass(frozen=True)
class ClockStep:
    """What a transition does to one of the case's clocks. ``start`` replaces a running clock of the
    same purpose; ``primary`` clocks drive the case's due date (one primary clock runs at a time)."""

    effect: str
    purpose: str = "main"
    unit: str = ClockUnit.WORKING_DAYS
    primary: bool = True


class Capacity(Protocol):
    """Who may act (or read) in one capacity: a test for one case and the set of cases as a query.

    Both answers must agree (``holds(user, case)`` is true exactly for the cases ``cases_q(user)``
    selects); the access tests check them from one matrix."""

    @property
    def label(self) -> Any: ...

    @property
    def staff(self) -> bool:
        """Held by staff (not by a party): never on a case in a private status."""
        ...

    def holds(self, user: Visitor, case: Case) -> bool: ...

    def cases_q(self, user: Visitor) -> Q: ...


@dataclass(frozen=True)
class PartyRole:
    """A role a party plays in a kind's cases (applicant, agent, caller, third party, owner …).

    ``required``: a case cannot be created without one. ``many``: more than one may be active.
    ``follows``: the party sees the case on its own timeline. ``principal`` / ``representative``: the
    party is denormalised onto the case (``applicant_person``/``applicant_enterprise`` and ``agent``)
    for fast lists; at most one role of a kind is each."""

    label: Any
    required: bool = False
    many: bool = False
    follows: bool = True
    principal: bool = False
    representative: bool = False


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    label: Any = ""
    clock: str | ClockStep | tuple[ClockStep, ...] = ()
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    public: bool = True  # shown (without personal data) on the public progress page

    def __post_init__(self) -> None:
        steps: tuple[ClockStep, ...]
        if isinstance(self.clock, str):
            steps = (ClockStep(self.clock),) if self.clock else ()
        elif isinstance(self.clock, ClockStep):
            steps = (self.clock,)
        else:
            steps = tuple(self.clock)
        object.__setattr__(self, "clock", steps)

    @property
    def clock_steps(self) -> tuple[ClockStep, ...]:
        assert isinstance(self.clock, tuple)
        return self.clock


@dataclass(frozen=True)
class Workflow:
    kind: str
    statuses: Mapping[str, Any]
    initial: frozenset[str]
    transitions: Mapping[str, Transition] = field(default_factory=dict)
    label: Any = ""
    final: frozenset[str] = frozenset()
    private: frozenset[str] = frozenset()  # visible only to the parties (a draft)
    capacities: Mapping[str, Capacity] = field(default_factory=dict)  # in order of preference
    viewers: frozenset[str] = frozenset()  # capacities that may read a case
    parties: Mapping[str, PartyRole] = field(default_factory=dict)
    number_format: str = ""  # "" → settings.CASES_NUMBER_FORMAT
    # Labels of the kind's history lines that are not transitions (its own words for "received", …).
    events: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = set(self.statuses)
        for t in self.transitions.values():
            unknown = (t.sources | ({t.target} - {STAY, BACK})) - names
            if unknown:
                raise ValueError(f"{self.kind}.{t.name}: unknown statuses {sorted(unknown)}")
            actors = t.actors - set(self.capacities) - {SYSTEM}
            if self.capacities and actors:
                raise ValueError(f"{self.kind}.{t.name}: unknown capacities {sorted(actors)}")
        for group, values in (("initial", self.initial), ("final", self.final), ("private", self.private)):
            if values - names:
                raise ValueError(f"{self.kind}: unknown {group} statuses {sorted(values - names)}")
        if self.viewers - set(self.capacities):
            raise ValueError(
                f"{self.kind}: unknown viewer capacities {sorted(self.viewers - set(self.capacities))}"
            )
        for flag in ("principal", "representative"):
            if sum(1 for r in self.parties.values() if getattr(r, flag)) > 1:
                raise ValueError(f"{self.kind}: more than one {flag} party role")

    # --- vocabulary ---------------------------------------------------------------------------

    def status_label(self, status: str) -> str:
        return str(self.statuses.get(status, status))

    def event_label(self, action: str) -> str:
        """A history line's label: the transition's, the kind's own word, the kernel's, never a raw code
        when a label exists."""
        t = self.transitions.get(action)
        if t is not None and t.label:
            return str(t.label)
        label = self.events.get(action) or KERNEL_EVENTS.get(action)
        return str(label) if label else action

    @property
    def open_statuses(self) -> frozenset[str]:
        """Statuses in which someone still works on the case (not final, not private)."""
        return frozenset(self.statuses) - self.final - self.private

    def is_open(self, status: str) -> bool:
        return status in self.open_statuses

    def role(self, flag: str) -> str | None:
        return next((name for name, r in self.parties.items() if getattr(r, flag)), None)

    @property
    def followers(self) -> frozenset[str]:
        return frozenset(name for name, r in self.parties.items() if r.follows)

    # --- transitions --------------------------------------------------------------------------

    def get(self, name: str) -> Transition | None:
        return self.transitions.get(name)

    def allowed_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions.values() if status in t.sources]

    def check(self, *, status: str, name: str, actor_role: str, facts: Any) -> list[Any]:
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


def unregister(kind: str) -> None:
    """Remove a kind (tests register and remove their own kinds)."""
    _REGISTRY.pop(kind, None)


def workflow_for(kind: str) -> Workflow:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"no workflow registered for case kind {kind!r}") from None


def workflows() -> list[Workflow]:
    return list(_REGISTRY.values())


# History lines the kernel itself writes, whatever the kind.
KERNEL_EVENTS: Mapping[str, Any] = {
    "create": gettext_lazy("Created"),
    "attachment_add": gettext_lazy("File added"),
    "note_add": gettext_lazy("Note added"),
    "assign": gettext_lazy("Assigned"),
}


def event_label(kind: str, action: str) -> str:
    """A history line's label in the current language, in its kind's vocabulary."""
    wf = _REGISTRY.get(kind)
    return wf.event_label(action) if wf is not None else str(KERNEL_EVENTS.get(action, action))


def status_label(kind: str, status: str) -> str:
    """A status's label in the current language, in its kind's vocabulary."""
    wf = _REGISTRY.get(kind)
    return wf.status_label(status) if wf is not None else status
