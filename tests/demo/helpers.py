"""Helpers for the demo tests."""

from __future__ import annotations

from rich.progress import Progress

from yiwang.demo.context import DemoContext


def demo_context() -> DemoContext:
    return DemoContext(out=lambda s: None, progress=Progress(disable=True))


def load_demo() -> DemoContext:
    """The accounts demo and the catalogue demo (as ``make demo`` loads them)."""
    from yiwang.demo.loaders import accounts, catalogue

    ctx = demo_context()
    accounts.load(ctx)
    catalogue.load(ctx)
    return ctx
