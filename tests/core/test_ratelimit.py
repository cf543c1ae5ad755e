"""The shared attempt counter: exact limits, fixed windows, refunds; atomic under concurrency (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from yiwang.core import ratelimit
from yiwang.core.models import AttemptCounter


@pytest.mark.django_db
def test_exactly_the_limit_is_counted_in_a_window_then_a_new_window_starts() -> None:
    start = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert [ratelimit.attempt("k", limit=3, window=3600) for _ in range(5)] == [True] * 3 + [False] * 2
        assert ratelimit.attempts("k", window=3600) == 3
        ratelimit.refund("k", window=3600)
        assert ratelimit.attempt("k", limit=3, window=3600)
        assert not ratelimit.attempt("k", limit=3, window=3600)
        assert ratelimit.attempt("other", limit=3, window=3600)
        clock.move_to(start + timedelta(minutes=59, seconds=59))
        assert not ratelimit.attempt("k", limit=3, window=3600)
        clock.move_to(start + timedelta(hours=1))
        assert ratelimit.attempt("k", limit=3, window=3600)
        clock.move_to(start + timedelta(hours=3))
        assert ratelimit.purge_expired() == 3
    assert AttemptCounter.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_never_pass_the_limit() -> None:
    threads, limit = 24, 10
    barrier = threading.Barrier(threads, timeout=30)
    results: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            ok = ratelimit.attempt("race", limit=limit, window=3600)
            with lock:
                results.append(ok)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert sorted(results) == [False] * (threads - limit) + [True] * limit
    assert ratelimit.attempts("race", window=3600) == limit
