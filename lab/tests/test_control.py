"""The lab's control channel: in-process calls, the Unix socket, and `ros-emulator ctl`."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ros_emulator.control import ControlClient, ControlError
from ros_emulator.lab import start_lab

TOPOLOGY = {
    "defaults": {"version": "7.16.2", "user": "admin", "password": "pw"},
    "routers": {"RTR-1": {"port": 0}, "RTR-2": {"port": 0}},
    "segments": {"interconnect": ["RTR-1:ether2", "RTR-2:ether2"]},
}


@pytest.fixture
def lab(tmp_path):
    handle = start_lab(TOPOLOGY, str(tmp_path / "state"))
    yield handle
    handle.stop()


def test_operations_listed_in_process_and_over_the_socket(lab, tmp_path):
    listed = lab.control("operations")
    assert "operations" in listed
    with ControlClient(str(tmp_path / "state")) as client:
        assert client.call("operations") == listed
    assert oct(os.stat(tmp_path / "state" / "control.sock").st_mode & 0o777) == "0o600"


def test_unknown_operation_and_bad_arguments_are_errors_that_keep_the_lab_up(lab, tmp_path):
    with ControlClient(str(tmp_path / "state")) as client:
        with pytest.raises(ControlError, match="unknown operation 'nope'"):
            client.call("nope")
        with pytest.raises(ControlError, match="operations: .*unexpected keyword argument 'x'"):
            client.call("operations", x=1)
        assert "operations" in client.call("operations")


def test_ctl_command_talks_to_the_lab(lab, tmp_path):
    state = str(tmp_path / "state")
    ran = subprocess.run([sys.executable, "-m", "ros_emulator", "ctl", "--state-dir", state, "operations"],
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert "operations" in json.loads(ran.stdout)
    missing = subprocess.run([sys.executable, "-m", "ros_emulator", "ctl", "--state-dir", str(tmp_path), "operations"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "no lab answers on" in missing.stderr
