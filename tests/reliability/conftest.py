"""Fixtures of the reliability suite: one awxsim with ``--test-hooks`` per session (SQLite file),
and a token for it. The restart and canary scenarios start servers of their own."""
import pytest

from tests.reliability import sim


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability: the reliability suite (faults, races, restarts, "
                                       "secrets, bad inputs); run alone with pytest tests/reliability")


@pytest.fixture(scope="session")
def rel_server(tmp_path_factory):
    server = sim.start_sim(str(tmp_path_factory.mktemp("relsim")))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def rel_token(rel_server):
    return rel_server.use_token(rel_server.new_token())
