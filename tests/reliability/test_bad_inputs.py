"""Bad inputs: one line naming the option or object, no traceback, no write request."""
import pytest

from tests.reliability import badinputs

pytestmark = [pytest.mark.reliability, pytest.mark.integration]


@pytest.fixture(scope="module")
def verdicts(rel_server, rel_token, tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("badinputs"))
    world = badinputs.build_world(rel_server, workdir)
    try:
        return dict((v["id"], v) for v in badinputs.run_cases(rel_server, workdir, rel_token, world))
    finally:
        for fake in world["servers"]:
            fake.shutdown()


def test_at_least_30_bad_inputs_across_modules_lookup_and_inventory_plugin(verdicts):
    assert len(verdicts) >= 30
    targets = set(v["target"] for v in verdicts.values())
    assert {"organization", "inventory", "host", "job_launch", "api lookup", "awx inventory"} <= targets


@pytest.mark.parametrize("case_id", badinputs.case_ids())
def test_bad_input(verdicts, case_id):
    verdict = verdicts[case_id]
    assert verdict["problems"] == [], verdict


def test_no_run_of_the_cases_printed_a_traceback(verdicts):
    extra = [v for case_id, v in verdicts.items() if case_id not in badinputs.case_ids()]
    assert [v for v in extra if v["problems"]] == []
