"""Conformance: every recorded exchange with a real AWX, replayed in order on a fresh simulator.

One module-scoped replay runs them all (they build on each other); each exchange is then its
own test so that a report names exactly what differs. Exchanges for endpoints the simulator
does not serve are skipped with the reason. ``test_pass_rate`` prints the summary line.
"""
import json
import os

import pytest

from tests.awxsim.conftest import admin_token
from tests.awxsim.replay import EXCHANGES as EXCHANGES_DIR, NOT_YET, Replay, compare, load_exchanges

EXCHANGES = load_exchanges()
SUMMARY_FILE = os.environ.get("AWXSIM_CONFORMANCE_SUMMARY")

if not EXCHANGES:
    # The recordings are test data inside the repository: their absence is a broken checkout,
    # never a reason to skip the conformance check.
    raise RuntimeError("recorded AWX exchanges not found in %s" % EXCHANGES_DIR)


@pytest.fixture(scope="module")
def replayed(sim):
    replay = Replay(sim.url, fast_token=admin_token(sim.url))
    outcomes = {}
    for name, exchange in EXCHANGES:
        reason = replay.scope(exchange, name)
        if reason:
            if name in NOT_YET:
                replay.play(exchange, name)   # sent for what it makes, not compared
            outcomes[name] = ("skipped", reason)
            continue
        response, live = replay.play(exchange, name)
        problems = compare(exchange, response, live, replay)
        outcomes[name] = ("failed", problems) if problems else ("passed", None)
    return outcomes


@pytest.mark.parametrize("name", [name for name, _exchange in EXCHANGES])
def test_exchange(replayed, name):
    exchange = dict(EXCHANGES)[name]
    state, detail = replayed[name]
    if state == "skipped":
        pytest.skip(detail)
    request = exchange["request"]
    assert state == "passed", "%s %s (%s): %s" % (
        request["method"], request["path"], exchange.get("note", ""), "; ".join(detail))


def test_pass_rate(replayed):
    states = [state for state, _detail in replayed.values()]
    passed, failed, skipped = (states.count(s) for s in ("passed", "failed", "skipped"))
    compared = passed + failed
    rate = 100.0 * passed / compared if compared else 0.0
    line = ("conformance: %d/%d compared exchanges pass (%.1f%%), %d skipped out of scope, "
            "%d recorded" % (passed, compared, rate, skipped, len(states)))
    print("\n" + line)
    if SUMMARY_FILE:
        with open(SUMMARY_FILE, "w") as handle:
            json.dump({"passed": passed, "failed": failed, "skipped": skipped,
                       "failures": {n: d for n, (s, d) in replayed.items() if s == "failed"},
                       "skips": {n: d for n, (s, d) in replayed.items() if s == "skipped"}},
                      handle, indent=1, sort_keys=True)
    assert compared > 0
