"""The project clock's arithmetic (docs/adr/0131-construction-critical-path.md): the critical path over the
items' government working days, with the slack of each item against the budget, over arrays.

A plan's topology (the items in topological order, each with the indices of its predecessors) is the same
for every project drawn from one plan version, so the projects of a version are computed together: a
matrix of durations, one row per project and one column per item, and one forward and one backward pass
over the columns, each a handful of numpy operations over all rows at once. Skipped items have duration 0
(they pass their predecessors on). Pure: no I/O, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .plans import predecessors, topological_order

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True)
class Topology:
    keys: tuple[str, ...]  # in topological order
    preds: tuple[tuple[int, ...], ...]  # indices into keys
    succs: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, items: Sequence[Any]) -> Topology:
        p = predecessors(items)
        order = topological_order(p)
        index = {k: n for n, k in enumerate(order)}
        preds = tuple(tuple(index[q] for q in p[k]) for k in order)
        succs: list[list[int]] = [[] for _ in order]
        for n, ps in enumerate(preds):
            for q in ps:
                succs[q].append(n)
        return cls(tuple(order), preds, tuple(tuple(s) for s in succs))

    def index(self, key: str) -> int:
        return self.keys.index(key)


@dataclass(frozen=True)
class Schedule:
    """For N projects × M items (columns in ``Topology.keys`` order): earliest start/finish, latest
    start/finish against the budget, slack, the critical flags; per project the critical path's length
    and the project's slack (budget − length)."""

    es: np.ndarray
    ef: np.ndarray
    ls: np.ndarray
    lf: np.ndarray
    slack: np.ndarray
    critical: np.ndarray
    length: np.ndarray
    project_slack: np.ndarray


def forward(topo: Topology, d: np.ndarray) -> np.ndarray:
    """The bare topological pass: each item's earliest finish (the floor a full computation is compared to)."""
    ef = np.empty_like(d)
    for j, ps in enumerate(topo.preds):
        if not ps:
            ef[:, j] = d[:, j]
        elif len(ps) == 1:
            np.add(ef[:, ps[0]], d[:, j], out=ef[:, j])
        else:
            np.add(ef[:, list(ps)].max(axis=1), d[:, j], out=ef[:, j])
    return ef


def compute(topo: Topology, d: np.ndarray, budget: np.ndarray, active: np.ndarray | None = None) -> Schedule:
    """The schedule of N projects: ``d`` (N×M int durations in working days), ``budget`` (N), ``active``
    (N×M bool; False for skipped items, which are never critical)."""
    d = np.asarray(d, dtype=np.int64)
    if d.ndim == 1:
        d = d[None, :]
    budget = np.asarray(budget, dtype=np.int64).reshape(-1)
    ef = forward(topo, d)
    es = ef - d
    length = ef.max(axis=1) if d.shape[1] else np.zeros(d.shape[0], dtype=np.int64)
    lf = np.empty_like(d)
    for j in range(len(topo.keys) - 1, -1, -1):
        ss = topo.succs[j]
        if not ss:
            lf[:, j] = budget
        elif len(ss) == 1:
            lf[:, j] = lf[:, ss[0]] - d[:, ss[0]]
        else:
            lf[:, j] = (lf[:, list(ss)] - d[:, list(ss)]).min(axis=1)
    ls = lf - d
    slack = ls - es
    project_slack = budget - length
    critical = slack == project_slack[:, None]
    if active is not None:
        critical &= np.asarray(active, dtype=bool)
    critical &= d > 0
    return Schedule(es, ef, ls, lf, slack, critical, length, project_slack)


def what_if(topo: Topology, d: np.ndarray, key: str, more_days: int) -> tuple[int, int]:
    """The critical path's length now and if item ``key`` took ``more_days`` more working days."""
    row = np.asarray(d, dtype=np.int64).reshape(1, -1).copy()
    now = int(forward(topo, row).max())
    row[0, topo.index(key)] += more_days
    return now, int(forward(topo, row).max())
