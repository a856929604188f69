"""Canary secrets are found in no output of any run (see canaries.SECRET_ROWS)."""
import pytest

from tests.reliability import canaries

pytestmark = [pytest.mark.reliability, pytest.mark.integration]


@pytest.fixture(scope="module")
def secret_world(tmp_path_factory):
    world = canaries.SecretWorld(str(tmp_path_factory.mktemp("canaries")))
    try:
        world.run_all()
        yield world
    finally:
        world.stop()


def test_the_runs_handled_every_secret(secret_world):
    assert canaries.world_problems(secret_world) == []


@pytest.mark.parametrize("secret,canary,runs,what", canaries.SECRET_ROWS, ids=[r[0] for r in canaries.SECRET_ROWS])
def test_canary_found_nowhere(secret_world, secret, canary, runs, what):
    found, searched = canaries.search(secret_world, canary, runs)
    assert searched > 0
    assert found == [], "%s (%s) leaked in %s" % (secret, what, found)
