"""Keep ``CaseState`` (the database's list of every kind's statuses) in step with the registered
workflows. Run after every migration (and after a flush) by the app's ``post_migrate`` handler, and by
a test that registers a kind of its own."""

from __future__ import annotations

from typing import Any

from .models import CaseState
from .workflow import workflows


def state_key(kind: str, status: str) -> str:
    return f"{kind}:{status}"


def case_states_sync(**_signal: Any) -> int:
    """Add the (kind, status) pairs of every registered workflow; returns how many were added. Rows
    of statuses no longer declared stay (old cases may still hold them)."""
    wanted = {state_key(wf.kind, s): (wf.kind, s) for wf in workflows() for s in wf.statuses}
    have = set(CaseState.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
    missing = [CaseState(key=k, kind=kind, status=s) for k, (kind, s) in wanted.items() if k not in have]
    CaseState.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
