"""inventories/gns3 (the paper's GNS3 lab, secrets in ansible-vault) with site.yml and drift.yml,
on emulated routers standing in for RTR-1 and RTR-2 (the API address and port are the only
inventory values the test changes), on 6.49 and 7.x.

Proves the inventory people start from is complete and consistent: the vault opens with the
documented example password, every role input passes its checks, the routers converge, a
second run and drift.yml find nothing, and no secret of the vault reaches the output.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from test_site import REPO, VENV_BIN, Lab, changed_tasks, recap, static

GNS3 = REPO / "inventories" / "gns3"
VAULT_PASSWORD_FILE = GNS3 / "vault-password.example"


def vault() -> dict:
    shown = subprocess.run([str(VENV_BIN / "ansible-vault"), "view", "--vault-password-file", str(VAULT_PASSWORD_FILE),
                            str(GNS3 / "group_vars" / "all" / "vault.yml")], capture_output=True, text=True, check=True)
    return yaml.safe_load(shown.stdout)


@pytest.fixture(params=["6.49.13", "7.16.2"], ids=["ros6", "ros7"])
def gns3(request: pytest.FixtureRequest, tmp_path: Path):
    handle = Lab(request.param, tmp_path, source=GNS3, password=vault()["vault_routeros_api_password"])
    handle.env["ANSIBLE_VAULT_PASSWORD_FILE"] = str(VAULT_PASSWORD_FILE)
    yield handle
    handle.stop()


def test_the_gns3_inventory_converges_and_keeps_its_secrets(gns3: Lab) -> None:
    secrets = vault()
    first = gns3.playbook("site.yml")
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-3000:]
    assert all(counts["changed"] > 0 for counts in recap(first).values()), recap(first)
    second = gns3.playbook("site.yml", "--diff")
    assert second.returncode == 0 and changed_tasks(second) == [], changed_tasks(second)
    drift = gns3.playbook("drift.yml")
    assert drift.returncode == 0, drift.stdout[-6000:]
    assert json.loads((gns3.workdir / "drift-report.json").read_text()) == {"RTR-1": {}, "RTR-2": {}}

    rtr1 = gns3.routers["RTR-1"]
    assert rtr1.print("/system/identity")[0]["name"] == "RTR-1"
    assert [r["interface"] for r in static(rtr1, "/ip/dhcp-client")] == ["ether1"]  # ISP-1 by DHCP
    assert any(r.get("per-connection-classifier") for r in static(rtr1, "/ip/firewall/mangle"))
    servers = static(rtr1, "/radius")
    assert servers and all(server["secret"] == secrets["vault_radius_secret"] for server in servers)
    assert [s["interface"] for s in static(rtr1, "/interface/pppoe-server/server")] != []

    shown = "".join(run.stdout + run.stderr for run in (first, second, drift))
    for name, value in secrets.items():
        for secret in value.values() if isinstance(value, dict) else [value]:
            assert str(secret) not in shown, name
