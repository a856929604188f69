"""Fault matrix, races and a restart: the runs converge, nothing is duplicated or lost, and the
rerun reports changed=0. The figures are the same ones ``make reliability-report`` publishes."""
import pytest

from tests.reliability import faults

pytestmark = [pytest.mark.reliability, pytest.mark.integration]


@pytest.mark.parametrize("module", [name for name, _scenario in faults.MATRIX])
def test_fault_matrix(module, rel_server, rel_token, tmp_path):
    scenario = dict(faults.MATRIX)[module]
    figures = scenario(rel_server, str(tmp_path), rel_token)
    assert faults.matrix_problems(figures) == [], figures


def test_four_concurrent_applies_of_overlapping_declarations(rel_server, rel_token, tmp_path):
    figures = faults.races(rel_server, str(tmp_path), rel_token)
    assert faults.race_problems(figures) == [], figures


def test_server_restarted_in_the_middle_of_an_apply(tmp_path):
    figures = faults.restart(str(tmp_path))
    assert faults.restart_problems(figures) == [], figures
