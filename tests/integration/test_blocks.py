"""The `resources` module: several resource blocks in one task, on both dialects.

What a role relies on: blocks apply in order on one session (a bridge before the address on it),
check mode predicts the real run's commands and `after` across blocks (a later block in the same
menu sees what an earlier one would leave), the second run changes nothing, bad input in any block
fails before the first write and names the block and option, and secrets never show.
"""
from __future__ import annotations

import json

from conftest import CHECKER, static_entries

SECRET = "pppoe-Secret-42"


def blocks() -> list[dict]:
    return [
        {"resource": "bridge", "config": [{"name": "bridge-subs", "comment": "blocks",
                                           "ports": [{"interface": "ether3"}]}]},
        {"name": "subscriber addresses", "resource": "address",
         "config": [{"address": "10.10.10.1/24", "interface": "bridge-subs", "comment": "blocks"}]},
        {"resource": "pool", "config": [{"name": "pppoe-pool", "ranges": ["10.10.10.2-10.10.10.254"]}]},
        {"resource": "ppp_profile", "config": [{"name": "plan-10m", "local_address": "10.10.10.1",
                                                "remote_address": "pppoe-pool", "rate_limit": "10M/20M"}]},
        {"resource": "ppp_secret", "config": [{"name": "alice", "password": SECRET, "service": "pppoe",
                                               "profile": "plan-10m"}]},
        # the same menu again: planned against what the first address block leaves
        {"name": "uplink addresses", "resource": "address", "state": "overridden", "scope": {"comment": "blocks"},
         "config": [{"address": "10.10.10.1/24", "interface": "bridge-subs", "comment": "blocks"},
                    {"address": "192.0.2.10/24", "interface": "ether1", "comment": "blocks"}]},
        {"name": "masquerade", "resource": "nat", "state": "overridden", "scope": {"comment": "blocks"},
         "config": [{"chain": "srcnat", "action": "masquerade", "out_interface": "ether1", "comment": "blocks"}]},
        {"resource": "identity", "config": {"name": "RTR-blocks"}},
    ]


def test_blocks_in_one_task(playbook):
    args = {"resources": blocks()}
    runs = playbook.run([{"module": "resources", "args": args, "check": True},
                         {"module": "resources", "args": args},
                         {"module": "resources", "args": args},
                         {"module": "resources", "args": {"resources": [
                             {"resource": "address", "state": "gathered"},
                             {"resource": "ppp_secret", "state": "gathered"}]}}],
                        verbosity=1)
    for major, run in runs.items():
        check, real, again, gathered = run.results
        assert real["changed"] is True and check["changed"] is True, major
        assert check["commands"] == real["commands"], (major, check["commands"], real["commands"])
        assert [r["after"] for r in check["results"]] == [r["after"] for r in real["results"]], major
        assert [r["name"] for r in real["results"]] == [
            "bridge", "subscriber addresses", "pool", "ppp_profile", "ppp_secret", "uplink addresses",
            "masquerade", "identity"]
        # the second address block only adds the uplink address: the first one made the other
        assert real["results"][5]["commands"] == ["/ip address add address=192.0.2.10/24 interface=ether1 comment=blocks"], \
            (major, real["results"][5]["commands"])
        assert real["commands"][0].startswith("/interface bridge add name=bridge-subs"), real["commands"]
        assert again["changed"] is False and again["commands"] == [], (major, again["commands"])
        assert [r["changed"] for r in again["results"]] == [False] * 8
        assert run.writes_by(CHECKER) == [], (major, run.writes_by(CHECKER))
        assert SECRET not in run.stdout + run.stderr + json.dumps(run.results), major
        assert "ppp secret add" in " ".join(real["commands"]) and "password=********" in " ".join(real["commands"])
        router = playbook.routers[major]
        assert static_entries(router, "/ip/address", ("address", "interface")) == [
            {"address": "10.10.10.1/24", "interface": "bridge-subs"},
            {"address": "192.0.2.10/24", "interface": "ether1"}], major
        assert static_entries(router, "/ppp/secret", ("name", "password", "profile")) == [
            {"name": "alice", "password": SECRET, "profile": "plan-10m"}], major
        assert [r["resource"] for r in gathered["results"]] == ["address", "ppp_secret"]
        assert {e["address"] for e in gathered["results"][0]["gathered"]} == {"10.10.10.1/24", "192.0.2.10/24"}


def test_bad_block_fails_before_any_write(playbook):
    bad = blocks()
    bad[6]["config"][0]["action"] = "teleport"  # nat: not an action
    bad[1]["config"][0]["interface"] = "ether99"  # an interface neither the router nor a block has
    del bad[4]["config"][0]["name"]  # ppp_secret: the identity is missing
    runs = playbook.run([
        {"module": "resources", "args": {"resources": bad}, "fails": True},
        {"module": "resources", "args": {"resources": [{"resource": "address", "config": [
            {"address": "10.0.0.1/24", "interface": "ether99"}]}]}, "fails": True},
        {"module": "resources", "args": {"resources": [{"resource": "routers"}]}, "fails": True},
        {"module": "resources", "args": {"resources": [
            {"resource": "pool", "config": [{"name": "a", "ranges": ["10.0.0.1-10.0.0.9"]}]},
            {"resource": "pool", "state": "gathered"}]}, "fails": True},
    ])
    for major, run in runs.items():
        first, interface, unknown, twice = (result["msg"] for result in run.results)
        assert "resources[6] (masquerade).config[0].action: teleport is not one of" in first, first
        assert "resources[4] (ppp_secret).config[0].name: missing, it is required" in first, first
        assert "nothing was changed" in first, first
        assert "resources[0] (address)" in interface and "ether99" in interface, interface
        assert "resources[0].resource" in unknown or "routers" in unknown, unknown
        assert "resources[1] (pool): the name is taken by resources[0]" in twice, twice
        assert SECRET not in json.dumps(run.results)
        assert run.journal == [], (major, run.journal)


def test_refusal_names_the_block_and_a_rerun_repairs(playbook):
    """The router refuses the third block (a PPPoE server on a profile that does not exist): the
    first two stay applied, the message says so, and a corrected re-run finishes the job."""
    def tasks(profile: str) -> list[dict]:
        return [
            {"resource": "bridge", "config": [{"name": "bridge-subs", "ports": [{"interface": "ether3"}]}]},
            {"resource": "pool", "config": [{"name": "pppoe-pool", "ranges": ["10.10.10.2-10.10.10.254"]}]},
            {"resource": "pppoe_server", "config": [{"interface": "bridge-subs", "service_name": "isp",
                                                     "default_profile": profile}]},
        ]
    runs = playbook.run([
        {"module": "resources", "args": {"resources": tasks("no-such-profile")}, "fails": True},
        {"module": "resources", "args": {"resources": tasks("default")}},
        {"module": "resources", "args": {"resources": tasks("default")}},
    ])
    for major, run in runs.items():
        failed, repaired, again = run.results
        assert "resources[2] (pppoe_server)" in failed["msg"], failed["msg"]
        assert "the blocks before it changed bridge, pool" in failed["msg"], failed["msg"]
        assert [r["name"] for r in failed["results"]] == ["bridge", "pool"]
        assert [r["changed"] for r in repaired["results"]] == [False, False, True], (major, repaired["results"])
        assert again["changed"] is False, (major, again["commands"])


def test_a_block_takes_its_entries_from_a_file(playbook, monkeypatch):
    """config_file in a block: found next to the playbook (files/), vault-encrypted or not, checked
    with errors naming the block, the file and the option; secrets from it never shown."""
    import subprocess

    import yaml
    from conftest import VENV_BIN

    workdir = playbook.workdir
    (workdir / "files").mkdir()
    (workdir / "files" / "pools.yml").write_text(yaml.safe_dump([{"name": "from-file", "ranges": ["10.9.0.2-10.9.0.9"]}]))
    secrets = workdir / "files" / "secrets.yml"
    secrets.write_text(yaml.safe_dump([{"name": "filed", "password": SECRET, "service": "pppoe"}]))
    password_file = workdir / "vault-pass"
    password_file.write_text("vault-pw\n")
    subprocess.run([str(VENV_BIN / "ansible-vault"), "encrypt", "--vault-password-file", str(password_file),
                    str(secrets)], check=True, capture_output=True)
    (workdir / "files" / "bad.yml").write_text(yaml.safe_dump([{"name": "x", "rangez": "10.9.0.2"}]))
    monkeypatch.setenv("ANSIBLE_VAULT_PASSWORD_FILE", str(password_file))
    good = {"resources": [{"resource": "pool", "config_file": "pools.yml"},
                          {"resource": "ppp_secret", "config_file": "secrets.yml"}]}
    runs = playbook.run([
        {"module": "resources", "args": good},
        {"module": "resources", "args": good},
        {"module": "resources", "args": {"resources": [{"resource": "pool", "config_file": "bad.yml"}]}, "fails": True},
        {"module": "resources", "args": {"resources": [{"resource": "pool", "config_file": "nowhere.yml"}]},
         "fails": True},
    ], verbosity=3)
    for major, run in runs.items():
        first, again, bad, missing = run.results
        assert [r["changed"] for r in first["results"]] == [True, True] and again["changed"] is False, major
        assert "resources[0] (pool): in config_file %s" % (workdir / "files" / "bad.yml") in bad["msg"], bad["msg"]
        assert "config_file[0]: unknown option rangez" in bad["msg"], bad["msg"]
        assert "config_file of a block (nowhere.yml): cannot use nowhere.yml" in missing["msg"], missing["msg"]
        assert playbook.routers[major].print("/ppp/secret", name="filed")[0]["password"] == SECRET
        assert SECRET not in run.stdout + run.stderr
        assert str(secrets) in run.stdout  # the echoed arguments name the user's file, not its decrypted copy
