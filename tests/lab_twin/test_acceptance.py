"""The paper's four acceptance tests on the emulated lab, on 6.49 and 7.x (tests/lab_twin/acceptance.py).

The suite runs once for the module (a lab per dialect configured by playbooks/site.yml; as root,
FreeRADIUS and the monitor bot on the Debian test host); each test asserts one scenario of one
dialect. Scenarios that need the Debian host skip with its reason where it cannot run.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import acceptance

pytestmark = pytest.mark.timeout(1500)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> acceptance.Report:
    workdir: Path = tmp_path_factory.mktemp("lab-twin")
    result = acceptance.run_suite(acceptance.Options(workdir=workdir))
    print("\n" + result.table())
    return result


@pytest.mark.parametrize("version", acceptance.VERSIONS, ids=["ros6", "ros7"])
@pytest.mark.parametrize("scenario", acceptance.SCENARIOS, ids=[s.id for s in acceptance.SCENARIOS])
def test_scenario(report: acceptance.Report, version: str, scenario: acceptance.Scenario) -> None:
    result = report.get(version, scenario.id)
    assert result is not None, f"{scenario.id} did not run on {version}:\n{report.table()}"
    if result.status == acceptance.SKIP:
        pytest.skip(result.detail)
    assert result.status == acceptance.PASS, f"{scenario.test}, {scenario.text}: {result.numbers} {result.detail}"
