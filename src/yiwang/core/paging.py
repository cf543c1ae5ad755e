"""Paging a search over millions of rows without counting them all: the count stops at ``cap`` (the page
then says "more than N") so a broad search costs the same at any size."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

COUNT_CAP = 1_000


class BoundedPaginator(Paginator):
    """A ``Paginator`` whose count is at most ``cap`` + 1 (``capped`` tells when there are more)."""

    def __init__(self, object_list: object, per_page: int, *, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)  # type: ignore[arg-type]
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        bounded: Any = self.object_list[: self.cap + 1]
        return int(bounded.count())

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        """More matches than ``cap`` (known from the same one bounded count)."""
        return self._counted > self.cap
