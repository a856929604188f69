"""The retry policy on its own: classification, backoff, Retry-After, bounds."""
import pytest

from ansible_collections.gitops.awx.plugins.module_utils._retry import (
    MAYBE_SENT,
    NOT_SENT,
    RetryPolicy,
    is_retryable,
    parse_retry_after,
)
from tests.unit.fake_clock import FakeClock


def policy(clock, **kwargs):
    kwargs.setdefault("random", lambda: 1.0)
    return RetryPolicy(sleep=clock.sleep, clock=clock, **kwargs)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "get"])
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_idempotent_methods_retry_transient_statuses(method, status):
    assert is_retryable(method, status=status)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 500, 501])
def test_other_statuses_are_final(status):
    assert not is_retryable("GET", status=status)


def test_post_rules():
    assert is_retryable("POST", status=429)
    assert is_retryable("POST", failure=NOT_SENT)
    for status in (500, 502, 503, 504):
        assert not is_retryable("POST", status=status)
    assert not is_retryable("POST", failure=MAYBE_SENT)
    assert is_retryable("GET", failure=MAYBE_SENT)


@pytest.mark.parametrize("value,expected", [
    ("3", 3.0), (" 1.5 ", 1.5), ("0", 0.0), (None, None), ("-1", None), ("nan", None), ("inf", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", None), ("soon", None),
])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date():
    now = 1445412470.0  # Wed, 21 Oct 2015 07:27:50 GMT
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now=now) == 0.0
    assert parse_retry_after("not a date", now=now) is None


def test_retry_after_date_uses_the_injected_wall_clock():
    clock = FakeClock(start=100.0)
    budget = policy(clock, wall_clock=lambda: 1445412470.0).start()
    assert budget.next_delay("GET", status=503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT") == 10.0


def test_backoff_is_exponential_capped_and_fully_jittered():
    clock = FakeClock(start=100.0)
    top = policy(clock, base=0.5, factor=2, cap=8)
    assert [top.backoff(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    half = policy(clock, random=lambda: 0.5)
    assert [half.backoff(n) for n in range(3)] == [0.25, 0.5, 1.0]
    zero = policy(clock, random=lambda: 0.0)
    assert zero.backoff(4) == 0.0


def test_bounded_by_attempts():
    clock = FakeClock(start=100.0)
    budget = policy(clock, max_retries=3, max_time=1000).start()
    delays = []
    while True:
        delay = budget.next_delay("GET", status=502)
        if delay is None:
            break
        delays.append(delay)
        budget.wait(delay)
    assert delays == [0.5, 1.0, 2.0]
    assert clock.sleeps == delays


def test_bounded_by_total_time():
    clock = FakeClock(start=100.0)
    budget = policy(clock, max_retries=100, max_time=5).start()
    while True:
        delay = budget.next_delay("GET", status=503)
        if delay is None:
            break
        budget.wait(delay)
        clock.now += 0.2  # each attempt itself takes time too
    # 0.5 + 1 + 2 = 3.5 s slept; the next 4 s wait would end past the 5 s budget
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert clock.now - 100.0 <= 5


def test_retry_after_is_honoured_on_429_and_503_only():
    clock = FakeClock(start=100.0)
    budget = policy(clock).start()
    assert budget.next_delay("GET", status=429, retry_after="7") == 7.0
    assert budget.next_delay("GET", status=503, retry_after="2") == 2.0
    # on 502 the header means nothing: backoff applies
    assert budget.next_delay("GET", status=502, retry_after="7") == 0.5


def test_retry_after_beyond_budget_gives_up():
    clock = FakeClock(start=100.0)
    budget = policy(clock, max_time=10).start()
    assert budget.next_delay("GET", status=429, retry_after="30") is None


def test_zero_retries_means_one_attempt():
    clock = FakeClock(start=100.0)
    assert policy(clock, max_retries=0).start().next_delay("GET", status=502) is None


def test_each_request_gets_a_fresh_budget():
    clock = FakeClock(start=100.0)
    shared = policy(clock, max_retries=1)
    first = shared.start()
    first.wait(first.next_delay("GET", status=502))
    assert first.next_delay("GET", status=502) is None
    assert shared.start().next_delay("GET", status=502) == 0.5
