"""The lab twin's pure logic: matching the bot's messages, route states, rates, pools, shares."""
from __future__ import annotations

import pytest

from acceptance import CONNECTIONS, Report, Result, SCENARIOS, balanced, bits, in_pool, same_rate
from twin_ledger import Expected, default_routes, kinds, reconcile, route_changes, route_state


def embed(title: str, router: str, **fields: str) -> dict:
    items = [{"name": "Router", "value": router}] + [{"name": k, "value": v} for k, v in fields.items()]
    return {"title": title, "fields": items}


def test_reconcile_matches_each_expected_message_once_and_measures_latency() -> None:
    expected = [Expected("RTR-1", "PPPoE login: alice", 10.0), Expected("RTR-1", "PPPoE logout: alice", 12.0),
                Expected("RTR-1", "Uplink down: default route via 192.0.2.1", 20.0, "main", "1"),
                Expected("RTR-1", "Uplink down: default route via 192.0.2.1", 20.0, "to_ISP1", "1")]
    down = "Uplink down: default route via 192.0.2.1"
    delivered = [(embed("PPPoE login: alice", "RTR-1"), 10.5), (embed("PPPoE logout: alice", "RTR-1"), 12.25),
                 (embed(down, "RTR-1", **{"Routing table": "to_ISP1", "Distance": "1"}), 21.0),
                 (embed(down, "RTR-1", **{"Routing table": "main", "Distance": "1"}), 21.5)]
    verdict = reconcile(expected, delivered)
    assert verdict.ok, verdict.problems()
    assert verdict.latencies == [0.5, 0.25, 1.5, 1.0]
    assert "4 expected, 4 delivered, 0 missing, 0 extra, 0 duplicated" in verdict.summary()
    assert kinds(expected) == "1 login, 1 logout, 2 uplink down"


def test_reconcile_reports_missing_extra_and_duplicated() -> None:
    expected = [Expected("RTR-1", "PPPoE login: alice", 1.0), Expected("RTR-2", "Hotspot login: bob", 1.0)]
    delivered = [(embed("PPPoE login: alice", "RTR-1"), 2.0), (embed("PPPoE login: alice", "RTR-1"), 3.0),
                 (embed("OSPF neighbour down: 10.1.1.2", "RTR-1"), 3.0), (embed("Hotspot login: bob", "RTR-1"), 3.0)]
    verdict = reconcile(expected, delivered)
    assert not verdict.ok
    assert verdict.missing == [("RTR-2", "Hotspot login: bob", "", "")]
    assert verdict.duplicated == [("RTR-1", "PPPoE login: alice", "", "")]
    assert verdict.extra == [("RTR-1", "OSPF neighbour down: 10.1.1.2", "", ""), ("RTR-1", "Hotspot login: bob", "", "")]
    assert "missing: RTR-2 / Hotspot login: bob" in verdict.problems()


def test_nothing_expected_is_no_pass() -> None:
    assert not reconcile([], []).ok


@pytest.mark.parametrize("route, state", [
    ({"inactive": True, "active": False}, "down"),  # 7.x, as librouteros gives it
    ({"inactive": "false", "active": "false"}, "up"),  # 7.x standby route
    ({"gateway-status": "192.0.2.1 unreachable", "active": False}, "down"),  # 6.x
    ({"gateway-status": "10.1.1.2 reachable via  ether2", "active": False}, "up"),
    ({"active": "true"}, "up"),
])
def test_route_state(route: dict, state: str) -> None:
    assert route_state(route) == state


def test_route_changes_name_each_default_route_by_table_and_distance() -> None:
    before = default_routes([
        {"dst-address": "0.0.0.0/0", "gateway": "192.0.2.1", "distance": 1, "inactive": False},
        {"dst-address": "0.0.0.0/0", "gateway": "192.0.2.1", "distance": 1, "routing-table": "to_ISP1", "inactive": False},
        {"dst-address": "0.0.0.0/0", "gateway": "10.1.1.2", "distance": 2, "inactive": False},
        {"dst-address": "0.0.0.0/0", "gateway": "10.9.9.9", "distance": 9, "disabled": True, "inactive": True},
        {"dst-address": "10.1.1.0/30", "gateway": "ether2", "inactive": False},
    ])
    after = dict(before)
    after[("192.0.2.1", "", "1")] = "down"
    after[("192.0.2.1", "to_ISP1", "1")] = "down"
    changes = route_changes("RTR-1", before, after, 5.0)
    assert len(before) == 3
    assert [(c.title, c.table, c.distance) for c in changes] == [
        ("Uplink down: default route via 192.0.2.1", "", "1"),
        ("Uplink down: default route via 192.0.2.1", "to_ISP1", "1")]
    assert route_changes("RTR-1", after, before, 9.0)[0].title == "Uplink restored: default route via 192.0.2.1"


def test_rates_pools_and_shares() -> None:
    assert bits("10M") == 10_000_000 and bits("512k") == 512_000 and bits("2000000") == 2_000_000
    assert same_rate("10M/20M", "10000000/20000000")
    assert same_rate("10M/20M 20M/40M 8M/16M 10/10", "10M/20M")
    assert not same_rate("20M/10M", "10M/20M")
    assert in_pool("10.10.10.254", "10.10.10.2-10.10.10.254")
    assert in_pool("10.5.50.9", "10.5.49.1-10.5.49.9,10.5.50.0/24")
    assert not in_pool("10.10.10.1", "10.10.10.2-10.10.10.254")
    assert balanced({"ISP1": 400, "ISP2": 600}, CONNECTIONS)
    assert not balanced({"ISP1": 399, "ISP2": 601}, CONNECTIONS)
    assert not balanced({"ISP2": 1000}, CONNECTIONS)


def test_report_table_and_verdict() -> None:
    report = Report([Result(SCENARIOS[0], "7.16.2", "PASS", "RTR-1 alice 10.10.10.254"),
                     Result(SCENARIOS[1], "7.16.2", "SKIP", detail="SKIP: not root")])
    table = report.table()
    assert "RADIUS subscribers dial RTR-1 and RTR-2" in table and "SKIP: not root" in table
    assert "1 passed, 0 failed, 1 skipped" in table
    assert report.ok
    report.results.append(Result(SCENARIOS[2], "7.16.2", "FAIL", detail="rejected"))
    assert not report.ok
