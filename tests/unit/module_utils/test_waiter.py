"""The waiter: adaptive intervals, timeouts, and no real sleeps."""
import itertools

import pytest

from ansible_collections.gitops.awx.plugins.module_utils._errors import WaitTimeout
from ansible_collections.gitops.awx.plugins.module_utils._waiter import (
    poll_intervals, wait_until,
)
from tests.unit.fake_clock import FakeClock


def test_intervals_start_short_back_off_and_cap():
    got = list(itertools.islice(poll_intervals(cap=5), 20))
    assert got[:4] == pytest.approx([0.25, 0.325, 0.4225, 0.54925])
    assert max(got) == 5
    assert got[-1] == 5
    assert all(b >= a for a, b in zip(got, got[1:]))


def test_interval_cap_smaller_than_first_interval():
    assert list(itertools.islice(poll_intervals(cap=0.1), 3)) == [0.1, 0.1, 0.1]


def test_non_positive_cap_uses_default():
    assert max(itertools.islice(poll_intervals(cap=0), 30)) == 5.0


def test_done_on_first_poll_never_sleeps():
    clock = FakeClock()
    result = wait_until(lambda: "successful", lambda s: s == "successful",
                        clock=clock, sleep=clock.sleep)
    assert result.value == "successful"
    assert result.polls == 1
    assert clock.sleeps == []
    assert result.elapsed == 0


def test_short_job_seen_within_a_second_of_ending():
    clock = FakeClock()
    ends_at = clock.now + 1.0

    def fetch():
        return "successful" if clock.now >= ends_at else "running"

    result = wait_until(fetch, lambda s: s == "successful", clock=clock, sleep=clock.sleep)
    assert result.value == "successful"
    assert clock.now - ends_at < 1.0
    assert result.polls <= 5


def test_long_job_costs_less_than_one_poll_per_second():
    clock = FakeClock()
    ends_at = clock.now + 120

    def fetch():
        return clock.now >= ends_at

    result = wait_until(fetch, bool, interval=5, clock=clock, sleep=clock.sleep)
    assert result.value is True
    assert result.polls < 120 / 2.0
    assert clock.now - ends_at <= 5


def test_timeout_raises_with_last_value_and_stops_on_deadline():
    clock = FakeClock()
    start = clock.now
    values = iter(range(1000))
    with pytest.raises(WaitTimeout) as caught:
        wait_until(lambda: next(values), lambda v: False, timeout=10, interval=3,
                   clock=clock, sleep=clock.sleep, describe=lambda v: "job %d" % v)
    # the last sleep is trimmed to land exactly on the deadline, then one last poll
    assert clock.now == pytest.approx(start + 10)
    assert "Timed out after 10 seconds waiting for job" in str(caught.value)
    assert caught.value.job == int(str(caught.value).rsplit(" ", 1)[1])


def test_zero_or_none_timeout_means_no_limit():
    for timeout in (None, 0):
        clock = FakeClock()
        counter = {"n": 0}

        def fetch():
            counter["n"] += 1
            return counter["n"]

        result = wait_until(fetch, lambda n: n >= 50, timeout=timeout,
                            clock=clock, sleep=clock.sleep)
        assert result.value == 50


def test_fetch_errors_propagate():
    clock = FakeClock()

    def fetch():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        wait_until(fetch, bool, clock=clock, sleep=clock.sleep)
    assert clock.sleeps == []
