"""The demo loader's plumbing: one module per context in ``yiwang.demo.loaders`` with ``load(ctx)``.

``yiwang load_demo`` calls them in INSTALLED_APPS order (a loader whose context is not installed is
skipped). Each loader must be idempotent: a second run changes nothing (it looks objects up by their
natural codes before creating them).
"""

from __future__ import annotations

import importlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

DEMO_PASSWORD = "Yiwang-demo-2026"  # noqa: S105 - printed by `make demo`; demo data only
LOADERS = "yiwang.demo.loaders"


HISTORY_DAYS = 330  # the demo history covers the last 11 months
OPENING_DAYS = HISTORY_DAYS + 14  # the demo district's organisations and catalogue date from before it


@dataclass
class DemoContext:
    out: Callable[[str], None]
    progress: Any  # rich.progress.Progress
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, where)
    today: date = field(default_factory=timezone.localdate)  # the real date the load started on
    options: dict[str, Any] = field(default_factory=dict)  # e.g. {"cases": 100}: a smaller history

    def count(self, what: str, n: int = 1) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n

    @property
    def opening(self) -> datetime:
        """When the demo district's organisations and catalogue were set up: before any of its history."""
        day = self.today - timedelta(days=OPENING_DAYS)
        return datetime.combine(day, time(8, 30), tzinfo=timezone.get_current_timezone())

    @contextmanager
    def as_of(self, moment: datetime, *, tick: bool = True) -> Iterator[Any]:
        """Run the platform's services as if it were ``moment`` (their own ``timezone.now()``, ``localdate()``
        and ``date.today()`` included); yields the traveller, whose ``move_to(when)`` moves on. Uses
        time-machine, a dependency of the demo only (docs/adr/0061-demo-package.md)."""
        try:
            import time_machine
        except ModuleNotFoundError as exc:  # pragma: no cover - the dev and demo extras install it
            raise ImproperlyConfigured(
                "the demo district needs time-machine: pip install 'yiwang[demo]'"
            ) from exc
        with time_machine.travel(moment, tick=tick) as traveller:
            yield traveller


def data_file(name: str) -> bytes:
    """The bytes of ``yiwang/demo/data/<name>`` (shipped as package data)."""
    return resources.files("yiwang.demo").joinpath("data", name).read_bytes()


@cache
def data_json(name: str) -> Any:
    return json.loads(data_file(name))


def demo_loaders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    """``(context label, load)`` for every installed context that has a demo loader, in INSTALLED_APPS
    order."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yiwang."):
            continue
        try:
            module = importlib.import_module(f"{LOADERS}.{config.label}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{LOADERS}.{config.label}":
                raise
            continue
        if hasattr(module, "load"):
            loaders.append((config.label, module.load))
    return loaders
