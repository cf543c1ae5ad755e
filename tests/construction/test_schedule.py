"""The critical path and slack on hand-computed examples, over arrays (several projects at once)."""

from __future__ import annotations

import numpy as np

from yiwang.construction.plans import PlannedItem
from yiwang.construction.schedule import Topology, compute, forward, what_if


def item(key: str, stage: int, days: int, after: tuple[str, ...] = ()) -> PlannedItem:
    return PlannedItem(key=key, name=key, item_code=key, stage=stage, days=days, after=after)


# Stage 1: A (10) and B (4) in parallel, C (20) after A; D (10) after C and B. Stage 2: E (15). Stage 3: F
# (20) then G (10). By hand: A 0–10, B 0–4, C 10–30, D 30–40, E 40–55, F 55–75, G 75–85: critical A C D E F G
# = 85; B's slack against a budget of 90 is 90 − (4 + 10 + 15 + 20 + 10) = 31, the others' 90 − 85 = 5.
ITEMS = [
    item("A", 1, 10),
    item("B", 1, 4),
    item("C", 1, 20, ("A",)),
    item("D", 1, 10, ("C", "B")),
    item("E", 2, 15),
    item("F", 3, 20),
    item("G", 3, 10, ("F",)),
]


def durations(topo: Topology, days: dict[str, int]) -> np.ndarray:
    return np.array([[days[k] for k in topo.keys]])


def test_critical_path_and_slack_by_hand() -> None:
    topo = Topology.of(ITEMS)
    base = {i.key: i.days for i in ITEMS}
    s = compute(topo, durations(topo, base), np.array([90]))
    es = dict(zip(topo.keys, s.es[0].tolist(), strict=True))
    slack = dict(zip(topo.keys, s.slack[0].tolist(), strict=True))
    critical = {k for k, c in zip(topo.keys, s.critical[0].tolist(), strict=True) if c}
    assert int(s.length[0]) == 85 and int(s.project_slack[0]) == 5
    assert es == {"A": 0, "B": 0, "C": 10, "D": 30, "E": 40, "F": 55, "G": 75}
    assert slack == {"A": 5, "B": 31, "C": 5, "D": 5, "E": 5, "F": 5, "G": 5}
    assert critical == {"A", "C", "D", "E", "F", "G"}


def test_many_projects_at_once_and_a_delay_moves_the_critical_path() -> None:
    topo = Topology.of(ITEMS)
    base = {i.key: i.days for i in ITEMS}
    slow_b = {**base, "B": 40}  # B 0–40 now outruns A+C (30): D 40–50 … G 85–95
    d = np.vstack([durations(topo, base), durations(topo, slow_b)])
    s = compute(topo, d, np.array([90, 90]))
    assert s.length.tolist() == [85, 95]
    assert s.project_slack.tolist() == [5, -5]
    crit1 = {k for k, c in zip(topo.keys, s.critical[1].tolist(), strict=True) if c}
    assert crit1 == {"B", "D", "E", "F", "G"}
    b = topo.index("B")
    a = topo.index("A")
    assert int(s.slack[1, b]) == -5 and int(s.slack[1, a]) == 5  # A: 90 − (10+20+10+15+20+10) = 5


def test_a_skipped_item_passes_its_predecessors_on() -> None:
    topo = Topology.of(ITEMS)
    days = {i.key: i.days for i in ITEMS} | {"C": 0}
    active = np.array([[k != "C" for k in topo.keys]])
    s = compute(topo, durations(topo, days), np.array([70]), active)
    # A 0–10, D waits for C (skipped, 10–10) and B: 10–20, E 20–35, F 35–55, G 55–65
    assert int(s.length[0]) == 65
    assert not s.critical[0, topo.index("C")]


def test_what_if_five_more_days() -> None:
    topo = Topology.of(ITEMS)
    d = durations(topo, {i.key: i.days for i in ITEMS})
    assert what_if(topo, d, "E", 5) == (85, 90)  # on the critical path: all 5 days show
    assert what_if(topo, d, "B", 5) == (85, 85)  # B has 31 days of slack
    assert what_if(topo, d, "B", 30) == (85, 89)  # B 0–34, D 34–44, … G 79–89


def test_forward_is_the_earliest_finish() -> None:
    topo = Topology.of(ITEMS)
    ef = forward(topo, durations(topo, {i.key: i.days for i in ITEMS}))
    assert dict(zip(topo.keys, ef[0].tolist(), strict=True))["G"] == 85
