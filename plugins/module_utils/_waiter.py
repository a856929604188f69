# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting: a predicate, a clock and a sleep, nothing else.

``wait_until(fetch, is_done, ...)`` calls ``fetch()`` until ``is_done(value)``
holds or the timeout runs out.  The clock and the sleep are injected so tests
run instantly and can assert every interval.

The interval adapts: a job that ends within a second is seen within a fraction
of a second (first polls are 0.25 s apart), while a job that runs for an hour
costs at most one request per ``interval`` seconds (the cap) instead of four
per second.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.gitops.awx.plugins.module_utils._errors import WaitTimeout

FIRST_INTERVAL = 0.25
# x1.3 rather than x1.5: a job that ends within its first 3 seconds is seen at most
# 0.93 s later (1.27 s with x1.5), for 13 polls instead of 10 over 20 seconds.
BACKOFF_FACTOR = 1.3
DEFAULT_INTERVAL_CAP = 5.0


def poll_intervals(cap=DEFAULT_INTERVAL_CAP, first=FIRST_INTERVAL, factor=BACKOFF_FACTOR):
    """Yield sleep lengths forever: ``first``, then x``factor`` each time, never above ``cap``."""
    if cap is None or cap <= 0:
        cap = DEFAULT_INTERVAL_CAP
    current = min(first, cap)
    while True:
        yield current
        current = min(current * factor, cap)


class WaitResult:
    """What a finished wait saw: the last value, how long it took, how many polls."""

    def __init__(self, value, elapsed, polls):
        self.value = value
        self.elapsed = elapsed
        self.polls = polls

    def __repr__(self):
        return "WaitResult(polls=%d, elapsed=%.3f)" % (self.polls, self.elapsed)


def wait_until(fetch, is_done, timeout=None, interval=DEFAULT_INTERVAL_CAP,
               clock=None, sleep=None, describe=None):
    """Poll ``fetch()`` until ``is_done(value)`` is true; return a ``WaitResult``.

    ``timeout`` (seconds, ``None`` or 0 = no limit) bounds the whole wait.  When
    it runs out, ``WaitTimeout`` is raised carrying the last value seen as
    ``.job``; ``describe(value)`` (optional) names that value in the message.
    Errors raised by ``fetch`` propagate unchanged: the client already retried.
    ``clock``/``sleep`` default to ``time.monotonic``/``time.sleep``, looked up
    at call time.
    """
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    start = clock()
    deadline = start + timeout if timeout else None
    polls = 0
    for pause in poll_intervals(interval):
        value = fetch()
        polls += 1
        if is_done(value):
            return WaitResult(value, clock() - start, polls)
        now = clock()
        if deadline is not None:
            remaining = deadline - now
            if remaining <= 0:
                what = describe(value) if describe else "the condition"
                raise WaitTimeout(
                    "Timed out after %s seconds waiting for %s" % (_seconds(timeout), what),
                    value)
            # Sleep no further than the deadline, so the last poll happens on time.
            pause = min(pause, remaining)
        sleep(pause)
    return None  # pragma: no cover  (the interval generator never ends)


def _seconds(value):
    if float(value).is_integer():
        return "%d" % value
    return "%.1f" % value
