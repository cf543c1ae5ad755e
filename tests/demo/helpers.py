"""Helpers for the demo tests."""

from __future__ import annotations

from typing import Any


def load_demo() -> None:
    """The accounts demo and the catalogue demo (as ``make demo`` loads them)."""
    from yiwang.demo.context import DemoContext
    from yiwang.demo.loaders import accounts as accounts_demo
    from yiwang.demo.loaders import catalogue as catalogue_demo

    class _Progress:
        def add_task(self, *args: Any, **kwargs: Any) -> int:
            return 0

        def advance(self, *args: Any, **kwargs: Any) -> None:
            return None

    ctx = DemoContext(out=lambda s: None, progress=_Progress())
    accounts_demo.load(ctx)
    catalogue_demo.load(ctx)
