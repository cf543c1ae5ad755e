"""Receivers that keep the booking snapshots current (docs/adr/0015)."""

from __future__ import annotations

from typing import Any

from yiwang.core.generations import bump


def halls_changed(sender: Any, **kwargs: Any) -> None:
    """A hall, its settings, queues, windows, special days or the booking policy changed."""
    if kwargs.get("raw"):  # fixtures being loaded
        return
    action = kwargs.get("action")
    if action is not None and not str(action).startswith("post_"):
        return
    bump("halls")
