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
    slack: np.ndarray
    critical: np.ndarray
    length: np.ndarray
    project_slack: np.ndarray

    @property
    def lf(self) -> np.ndarray:
        return self.ls + (self.ef - self.es)


class Workspace:
    """Buffers for one shape (M items × N projects), reused across computations: allocating several large
    arrays afresh for every computation costs more than the arithmetic (each is mapped and faulted in anew).
    A ``Schedule`` computed into a workspace is a view of it, valid until the next computation."""

    def __init__(self, m: int, n: int) -> None:
        self.shape = (m, n)
        self.dt = np.empty((m, n), dtype=np.int64)
        self.ef = np.empty((m, n), dtype=np.int64)
        self.es = np.empty((m, n), dtype=np.int64)
        self.ls = np.empty((m, n), dtype=np.int64)
        self.slack = np.empty((m, n), dtype=np.int64)
        self.critical = np.empty((m, n), dtype=bool)
        self.tmp = np.empty(n, dtype=np.int64)


def _columns(d: np.ndarray, work: Workspace | None = None) -> np.ndarray:
    """Item-major (M×N, each item's durations contiguous over the projects)."""
    d = np.asarray(d, dtype=np.int64)
    if d.ndim == 1:
        d = d[None, :]
    if work is not None and work.shape == d.shape[::-1]:
        work.dt[...] = d.T
        return work.dt
    return np.ascontiguousarray(d.T)


def _forward(topo: Topology, dt: np.ndarray, ef: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    for j, ps in enumerate(topo.preds):
        if not ps:
            ef[j] = dt[j]
            continue
        np.add(ef[ps[0]], dt[j], out=ef[j])
        for q in ps[1:]:
            np.add(ef[q], dt[j], out=tmp)
            np.maximum(ef[j], tmp, out=ef[j])
    return ef


def forward(topo: Topology, d: np.ndarray, work: Workspace | None = None) -> np.ndarray:
    """The bare topological pass: each item's earliest finish, N×M (the floor a full computation is compared
    to)."""
    dt = _columns(d, work)
    if work is None or work.shape != dt.shape:
        work = Workspace(*dt.shape)
    return _forward(topo, dt, work.ef, work.tmp).T


def compute(
    topo: Topology,
    d: np.ndarray,
    budget: np.ndarray,
    active: np.ndarray | None = None,
    work: Workspace | None = None,
) -> Schedule:
    """The schedule of N projects: ``d`` (N×M int durations in working days), ``budget`` (N), ``active``
    (N×M bool; False for skipped items, which are never critical). One forward pass for the earliest
    finish, one backward pass from the budget for the latest start, each a loop over the M items of numpy
    operations over the N projects (item-major, so each item's values are contiguous), into ``work``."""
    dt = _columns(d, work)
    if work is None or work.shape != dt.shape:
        work = Workspace(*dt.shape)
    budget = np.asarray(budget, dtype=np.int64).reshape(-1)
    ef, es, ls, slack, tmp = work.ef, work.es, work.ls, work.slack, work.tmp
    _forward(topo, dt, ef, tmp)
    np.subtract(ef, dt, out=es)
    length = ef.max(axis=0) if dt.shape[0] else np.zeros(dt.shape[1], dtype=np.int64)
    for j in range(len(topo.keys) - 1, -1, -1):
        ss = topo.succs[j]
        if not ss:
            np.subtract(budget, dt[j], out=ls[j])
            continue
        np.subtract(ls[ss[0]], dt[j], out=ls[j])
        for q in ss[1:]:
            np.subtract(ls[q], dt[j], out=tmp)
            np.minimum(ls[j], tmp, out=ls[j])
    np.subtract(ls, es, out=slack)
    project_slack = budget - length
    critical = np.equal(slack, project_slack[None, :], out=work.critical)
    if active is not None:  # skipped items (duration 0) are never critical
        critical &= np.asarray(active, dtype=bool).reshape(dt.shape[::-1]).T
    return Schedule(es.T, ef.T, ls.T, slack.T, critical.T, length, project_slack)


def what_if(topo: Topology, d: np.ndarray, key: str, more_days: int) -> tuple[int, int]:
    """The critical path's length now and if item ``key`` took ``more_days`` more working days."""
    row = np.asarray(d, dtype=np.int64).reshape(1, -1).copy()
    now = int(forward(topo, row).max())
    row[0, topo.index(key)] += more_days
    return now, int(forward(topo, row).max())
