"""The demo's hotline reproduces the seeds' year 2019 (docs/capabilities.md C17): 53,188 tickets with the
seeds' category counts, 50,561 finished within the year, none overdue, 86 on the business-environment line,
all finished; today's tickets were walked through the services; loading again changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from yiwang.cases.models import Case
from yiwang.demo.loaders import accounts
from yiwang.demo.loaders import hotline as hotline_demo
from yiwang.hotline import selectors

from .helpers import demo_context

pytestmark = pytest.mark.django_db


def test_the_year_2019_matches_the_seeds() -> None:
    ctx = demo_context()
    accounts.load(ctx)
    hotline_demo.load(ctx)
    fig = selectors.figures(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert fig["total"]["received"] == 53188
    assert fig["total"]["finished"] == 50561
    assert fig["total"]["completion_rate"] == 95.1
    assert fig["total"]["overdue"] == 0
    assert fig["business_line"] == {**fig["business_line"], "received": 86, "finished": 86, "overdue": 0}
    by = {r["key"]: r["received"] for r in fig["by_category"]}
    assert (by["env"], by["urban"], by["housing"], by["culture"], by["transport"]) == (
        24369,
        10975,
        4612,
        3996,
        2879,
    )
    assert sum(by.values()) == 53188
    # today's tickets: received, dispatched, returned, being handled, replied, closed, one merged
    today = set(
        Case.objects.filter(kind="hotline", received_at__year__gt=2019).values_list("status", flat=True)
    )
    assert {"received", "dispatched", "returned", "accepted", "replied", "closed", "merged"} <= today
    n = Case.objects.filter(kind="hotline").count()
    hotline_demo.load(ctx)
    assert Case.objects.filter(kind="hotline").count() == n
