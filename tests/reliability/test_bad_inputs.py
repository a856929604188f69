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


CASE_IDS = [c[0] for c in badinputs.cases(dict.fromkeys(
    ("org", "org2", "inventory", "ambiguous", "template", "survey_template", "finished_job", "tls_url", "web_url",
     "closed_url", "server_url"), "x"))] + [c[0] for c in badinputs.inventory_cases(dict.fromkeys(
         ("org", "org2", "inventory", "ambiguous"), "x"))]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_bad_input(verdicts, case_id):
    verdict = verdicts[case_id]
    assert verdict["problems"] == [], verdict
