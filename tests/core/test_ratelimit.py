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


@pytest.mark.django_db
def test_a_guess_is_limited_by_the_guesser_and_a_right_answer_is_never_locked_out_by_others() -> None:
    """Someone who knows a case number cannot lock its owner out: wrong guesses use up the *guesser's*
    allowance; once the target has had its share, each further guesser has only ``under_attack`` wrong
    guesses at it, and a right answer from anyone else still works."""
    from yiwang.core.errors import RateLimited

    def guess(who: str, right: bool, target: str = "7") -> bool:
        return ratelimit.guess(
            scope="t",
            target=target,
            guessers=[f"ip:{who}", ""],
            check=lambda: right,
            per_guesser=4,
            per_target=6,
            under_attack=2,
        )

    start = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert [guess("a", False) for _ in range(4)] == [False] * 4
        with pytest.raises(RateLimited):
            guess("a", True)  # the guesser's own wrong guesses stop even its right answer …
        with pytest.raises(RateLimited):
            guess("a", False, target="8")  # … at every target of the scope
        assert guess("owner", True)  # … but nobody else's
        assert [guess("b", False), guess("b", False)] == [False, False]  # the target has had 6 now
        assert ratelimit.attempts("t:at:7", window=3600) == 6
        assert [guess("b", False), guess("b", False)] == [False, False]
        with pytest.raises(RateLimited):
            guess("b", False)  # under attack: 2 more wrong guesses per guesser at this target
        assert [guess("c", False), guess("c", False)] == [False, False]
        with pytest.raises(RateLimited):
            guess("c", False)
        assert guess("owner", True) and guess("owner", True)  # the right answer is never counted
        assert ratelimit.attempts("t:by:ip:owner", window=3600) == 0
        assert guess("d", False, target="8") is False  # another target is not under attack
        assert ratelimit.attempts("t:at:8:by:ip:d", window=3600) == 0
        clock.shift(timedelta(hours=1))
        assert guess("a", True)


def test_guessers_are_the_address_and_the_session_and_an_ipv6_subscriber_is_one_guesser() -> None:
    from django.test import RequestFactory

    rf = RequestFactory()
    assert ratelimit.guessers(rf.get("/", REMOTE_ADDR="203.0.113.9")) == ["ip:203.0.113.9"]
    one = ratelimit.guessers(rf.get("/", REMOTE_ADDR="2001:db8:1:2::1"))
    assert (
        one
        == ratelimit.guessers(rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9"))
        == ["net:2001:db8:1:2::/64"]
    )
    assert ratelimit.guessers(rf.get("/", REMOTE_ADDR="::ffff:203.0.113.9")) == ["ip:203.0.113.9"]
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.session = type("S", (), {"session_key": "abc"})()  # type: ignore[attr-defined]
    assert ratelimit.guessers(request) == ["ip:203.0.113.9", "session:abc"]
