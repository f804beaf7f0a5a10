"""PPPoE and Hotspot sessions on emulated routers reach the webhook exactly once, in order."""
from __future__ import annotations

import time

import pytest
from conftest import wait_until


@pytest.mark.parametrize("version", ["7.16.2", "6.49.13"])
def test_pppoe_login_and_logout(version, routers, discord, harness):
    rtr = routers("RTR-1", version)
    rtr.add_runtime("/ppp/active", name="already", service="pppoe", caller_id="02:00:00:00:00:09", address="10.10.10.9")
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    # the first snapshot gives one summary, no login for the session that was already there
    wait_until(lambda: discord.titles(include_summary=True) == ["Monitoring RTR-1"], 5, discord.titles)
    summary = discord.embeds()[0]
    assert "1 PPP sessions" in summary["fields"][-1]["value"]

    session = rtr.add_runtime("/ppp/active", name="alice", service="pppoe", caller_id="AA:BB:CC:00:00:01",
                              address="10.10.10.5", uptime="0s")
    assert discord.wait_titles(1) == ["PPPoE login: alice"]
    rtr.remove_runtime("/ppp/active", session)
    assert discord.wait_titles(2) == ["PPPoE login: alice", "PPPoE logout: alice"]

    login, logout = discord.embeds()[1:]
    fields = {f["name"]: f["value"] for f in login["fields"]}
    assert fields == {"User": "alice", "Router": "RTR-1", "Address": "10.10.10.5", "Caller ID": "AA:BB:CC:00:00:01"}
    assert "Duration" in {f["name"] for f in logout["fields"]}
    assert login["color"] != logout["color"]
    assert all(m["allowed_mentions"] == {"parse": []} for m in discord.messages)
    time.sleep(0.3)
    assert len(discord.titles()) == 2  # nothing invented afterwards


def test_hotspot_login_and_logout(routers, discord, harness):
    rtr = routers("RTR-1")
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    login = rtr.add_runtime("/ip/hotspot/active", user="bob", address="10.5.50.10", mac_address="02:00:00:00:00:0B",
                            server="hotspot1")
    assert discord.wait_titles(1) == ["Hotspot login: bob"]
    rtr.remove_runtime("/ip/hotspot/active", login)
    assert discord.wait_titles(2) == ["Hotspot login: bob", "Hotspot logout: bob"]
    fields = {f["name"]: f["value"] for f in discord.embeds()[1]["fields"]}
    assert fields["MAC address"] == "02:00:00:00:00:0B" and fields["Server"] == "hotspot1"
