# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When to retry a request, and how long to wait before the next attempt.

The policy knows nothing about HTTP libraries: the client classifies what
happened (a status, a failure before the request was sent, a failure after it
may have reached the server) and asks ``should_retry``; the policy answers with
a delay or ``None``.  ``sleep``, ``clock`` and ``random`` are injected so tests
never sleep.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import random as _random
import time
from email.utils import mktime_tz, parsedate_tz

# Methods that do the same thing when sent twice.  POST is the exception: a
# second POST may create a second object (a caller may vouch for one that does
# not, such as AWX's association POSTs: ``idempotent=True``).
IDEMPOTENT_METHODS = frozenset(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"])
RETRY_STATUSES = frozenset([429, 502, 503, 504])
RETRY_AFTER_STATUSES = frozenset([429, 503])
# Answers after which a write may have been applied all the same.  A 502/504
# comes from a gateway that lost AWX's answer; a 503 usually means "not
# processed", but a gateway (envoy's "upstream reset before headers", a load
# balancer draining a node) also answers 503 after the upstream may have acted,
# so it is treated as "maybe applied" too: re-reading costs one GET, a
# duplicate costs a clean-up.  Only a 429 (refused before processing) and a
# failure before sending are certain not to have been applied.
MAYBE_APPLIED_STATUSES = frozenset([502, 503, 504])

# What went wrong with one attempt, as the client classifies it.
NOT_SENT = "not_sent"          # the connection was never made: the server saw nothing
MAYBE_SENT = "maybe_sent"      # reset, read timeout: the server may have acted on it


def parse_retry_after(value, now=None):
    """Seconds from a ``Retry-After`` header, or None (absent or garbage).

    The header is either seconds or an HTTP date; a date needs ``now``
    (seconds since the epoch) and a date in the past means "retry at once".
    """
    if value is None:
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        seconds = _seconds_until(text, now)
        if seconds is None:
            return None
    if math.isnan(seconds) or math.isinf(seconds) or seconds < 0:
        return None
    return seconds


def _seconds_until(http_date, now):
    if now is None:
        return None
    parsed = parsedate_tz(http_date)
    if parsed is None:
        return None
    return max(0.0, mktime_tz(parsed) - now)


def maybe_applied(status=None, failure=None):
    """Whether an attempt that ended like this may have been applied by AWX."""
    return failure == MAYBE_SENT or status in MAYBE_APPLIED_STATUSES


def is_retryable(method, status=None, failure=None, idempotent=None, recoverable=False):
    """Whether an attempt that ended like this may be repeated at all.

    ``status`` is the HTTP status of an answer; ``failure`` is ``NOT_SENT`` or
    ``MAYBE_SENT`` when no answer came.  ``idempotent`` overrides what the
    method says (an association POST is idempotent).  A request that is not
    idempotent is repeated without condition only when the server certainly
    did not act on it (429, a failure before sending); after an answer that
    leaves the outcome unknown (``maybe_applied``) it is repeated only when the
    caller can find out whether it was applied (``recoverable``: the client
    calls its recovery before re-sending).
    """
    if idempotent is None:
        idempotent = method.upper() in IDEMPOTENT_METHODS
    if failure == NOT_SENT:
        return True
    if idempotent:
        return failure == MAYBE_SENT or status in RETRY_STATUSES
    if status == 429:
        return True
    return bool(recoverable) and maybe_applied(status, failure)


class RetryPolicy:
    """Jittered exponential backoff bounded by attempts and by total time.

    ``max_retries`` is the number of repeats after the first attempt (0 turns
    retries off); ``max_time`` bounds the whole request, waits included.  The
    n-th wait (n from 0) is uniform in ``[0, min(cap, base * factor**n)]``
    ("full jitter", so clients that failed together do not retry together),
    unless the server sent ``Retry-After`` with a 429/503, which is honoured as is.
    """

    def __init__(self, max_retries=5, max_time=60.0, base=0.5, factor=2.0, cap=8.0,
                 sleep=time.sleep, clock=time.monotonic, random=_random.random, wall_clock=time.time):
        self.max_retries = max_retries
        self.max_time = max_time
        self.base = base
        self.factor = factor
        self.cap = cap
        self.sleep = sleep
        self.clock = clock
        self.random = random
        self.wall_clock = wall_clock  # only to read a Retry-After given as an HTTP date

    def backoff(self, retry_number):
        """The jittered wait before retry ``retry_number`` (0-based)."""
        ceiling = min(self.cap, self.base * (self.factor ** retry_number))
        return ceiling * self.random()

    def start(self):
        """A fresh budget for one logical request."""
        return RetryBudget(self)


class RetryBudget:
    """The retry state of one logical request (attempts so far, time spent)."""

    def __init__(self, policy):
        self.policy = policy
        self.started = policy.clock()
        self.retries = 0

    def next_delay(self, method, status=None, failure=None, retry_after=None, idempotent=None,
                   recoverable=False):
        """Seconds to wait before the next attempt, or None to give up now."""
        if not is_retryable(method, status, failure, idempotent, recoverable):
            return None
        if self.retries >= self.policy.max_retries:
            return None
        delay = None
        if status in RETRY_AFTER_STATUSES:
            delay = parse_retry_after(retry_after, now=self.policy.wall_clock())
        if delay is None:
            delay = self.policy.backoff(self.retries)
        elapsed = self.policy.clock() - self.started
        if elapsed + delay > self.policy.max_time:
            # Waiting would overrun the budget: better to fail now with the real error.
            return None
        return delay

    def wait(self, delay):
        self.retries += 1
        if delay > 0:
            self.policy.sleep(delay)
