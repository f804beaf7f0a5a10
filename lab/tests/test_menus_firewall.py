"""/ip/firewall filter, nat, mangle and address-list through librouteros: defaults, order
(place-before, move), matcher validation, action requirements, and the 7.x rule that routing
marks name /routing/table entries."""
from __future__ import annotations

import re

import pytest

from helpers import by_id, menu, refused, rows

TABLES = ("/ip/firewall/filter", "/ip/firewall/nat", "/ip/firewall/mangle")
CHAIN = {"/ip/firewall/filter": "forward", "/ip/firewall/nat": "srcnat", "/ip/firewall/mangle": "prerouting"}


def order(api, path):
    return [r[".id"] for r in rows(api, path)]


@pytest.mark.parametrize("path", TABLES)
def test_rule_with_only_a_chain_prints_defaults(api, path):
    rule_id = menu(api, path).add(chain=CHAIN[path])
    (rule,) = rows(api, path)
    assert rule == {".id": rule_id, "chain": CHAIN[path], "action": "accept", "log": False, "log-prefix": "",
                    "disabled": False, "bytes": 0, "packets": 0, "invalid": False, "dynamic": False}


@pytest.mark.parametrize("path", TABLES)
def test_custom_chain_and_jump(router, api, path):
    menu(api, path).add(chain="my-chain", action="return")
    menu(api, path).add(chain=CHAIN[path], action="jump", **{"jump-target": "my-chain"})
    assert [(r["chain"], r["action"]) for r in rows(api, path)] == [("my-chain", "return"), (CHAIN[path], "jump")]
    refused(router, path, lambda: menu(api, path).add(chain=CHAIN[path], action="jump"), "failure: jump-target not set")
    refused(router, path, lambda: menu(api, path).add(chain=""), "invalid value for argument chain")
    refused(router, path, lambda: menu(api, path).add(chain=CHAIN[path], action="explode"),
            "input does not match any value of action")
    refused(router, path, lambda: menu(api, path).add(action="accept"), "missing value(s) of argument(s) chain")


def test_order_place_before_and_move(router, api):
    path = "/ip/firewall/filter"
    rules = menu(api, path)
    a = rules.add(chain="forward", comment="a")
    b = rules.add(chain="forward", comment="b")
    c = rules.add(chain="forward", comment="c")
    d = rules.add(chain="forward", comment="d", **{"place-before": a})
    assert order(api, path) == [d, a, b, c]
    # several ids move together, in list order, before the destination
    tuple(rules("move", numbers=f"{c},{d}", destination=b))
    assert order(api, path) == [a, c, d, b]
    # without a destination they go to the end
    tuple(rules("move", numbers=a))
    assert order(api, path) == [c, d, b, a]
    refused(router, path, lambda: menu(api, path).add(chain="forward", **{"place-before": "*FFFF"}), "no such item")
    assert [r["comment"] for r in rows(api, path)] == ["c", "d", "b", "a"]


def test_ports_need_a_port_protocol(router, api):
    path = "/ip/firewall/filter"
    message = "failure: ports can be specified if proto is tcp,udp,udp-lite,dccp,sctp"
    refused(router, path, lambda: menu(api, path).add(chain="input", **{"dst-port": "22"}), message)
    refused(router, path, lambda: menu(api, path).add(chain="input", protocol="icmp", **{"dst-port": "22"}), message)
    rule_id = menu(api, path).add(chain="input", protocol="tcp", **{"dst-port": "22,8291,1000-2000"})
    (rule,) = rows(api, path)
    assert (rule["protocol"], rule["dst-port"]) == ("tcp", "22,8291,1000-2000")
    # taking the protocol away again would leave ports without one
    refused(router, path, lambda: tuple(menu(api, path)("unset", **{".id": rule_id, "value-name": "protocol"})),
            message)
    refused(router, path, lambda: menu(api, path).add(chain="input", protocol="tcp", **{"dst-port": "70000"}),
            "invalid value for argument dst-port")
    refused(router, path, lambda: menu(api, path).add(chain="input", protocol="carrier-pigeon"),
            "input does not match any value of protocol")


def test_matchers_normalise_and_validate(router, api):
    path = "/ip/firewall/filter"
    menu(api, path).add(chain="forward", **{
        "src-address": "192.168.88.7/24", "dst-address": "!10.0.0.1/32", "in-interface": "ether2",
        "out-interface": "!ether1", "connection-state": "related,established", "dst-address-type": "!local",
        "src-address-list": "!lan", "connection-mark": "no-mark"})
    (rule,) = rows(api, path)
    assert rule["src-address"] == "192.168.88.0/24" and rule["dst-address"] == "!10.0.0.1"
    assert (rule["in-interface"], rule["out-interface"]) == ("ether2", "!ether1")
    assert rule["connection-state"] == "established,related" and rule["dst-address-type"] == "!local"
    assert (rule["src-address-list"], rule["connection-mark"]) == ("!lan", "no-mark")
    refused(router, path, lambda: menu(api, path).add(chain="forward", **{"in-interface": "ether42"}),
            "input does not match any value of in-interface")
    refused(router, path, lambda: menu(api, path).add(chain="forward", **{"src-address": "10.0.0.300"}),
            "invalid value for argument src-address")
    refused(router, path, lambda: menu(api, path).add(chain="forward", **{"connection-state": "established,sleepy"}),
            "input does not match any value of connection-state")


def test_mangle_mark_actions_pcc_and_nth(router, api):
    path = "/ip/firewall/mangle"
    rule_id = menu(api, path).add(chain="prerouting", action="mark-connection", **{
        "new-connection-mark": "WAN1_conn", "per-connection-classifier": "both-addresses:2/0",
        "connection-mark": "no-mark", "dst-address-type": "!local", "in-interface": "ether3"})
    (rule,) = rows(api, path)
    assert rule["passthrough"] is True  # mark actions default to passthrough=yes, and print it
    assert rule["per-connection-classifier"] == "both-addresses:2/0"
    menu(api, path).update(**{".id": rule_id, "passthrough": "no", "nth": "2,1"})
    (rule,) = rows(api, path)
    assert rule["passthrough"] is False and rule["nth"] == "2,1"
    accept_id = menu(api, path).add(chain="prerouting", action="accept")
    assert "passthrough" not in by_id(rows(api, path), accept_id)
    refused(router, path, lambda: menu(api, path).add(chain="prerouting", action="mark-connection"),
            "failure: new-connection-mark not set")
    refused(router, path, lambda: menu(api, path).add(chain="prerouting", action="mark-packet"),
            "failure: new-packet-mark not set")
    refused(router, path, lambda: menu(api, path).add(chain="prerouting", action="mark-routing"),
            "failure: new-routing-mark not set")
    for bad in ("both-addresses:2/2", "everything:2/0", "both-addresses:0/0", "both-addresses"):
        refused(router, path,
                lambda bad=bad: menu(api, path).add(chain="prerouting", **{"per-connection-classifier": bad}),
                "invalid value for argument per-connection-classifier")
    refused(router, path, lambda: menu(api, path).add(chain="prerouting", nth="2,3"), "invalid value for argument nth")


def test_v7_routing_marks_name_routing_tables(router_v7, api7):
    path = "/ip/firewall/mangle"
    watched = [path, "/routing/table"]
    add_mark = {"chain": "prerouting", "action": "mark-routing", "new-routing-mark": "to_WAN1", "connection-mark": "WAN1_conn"}
    refused(router_v7, watched, lambda: menu(api7, path).add(**add_mark),
            "input does not match any value of new-routing-mark")
    refused(router_v7, watched, lambda: menu(api7, path).add(chain="prerouting", **{"routing-mark": "to_WAN1"}),
            "input does not match any value of routing-mark")
    table_id = menu(api7, "/routing/table").add(name="to_WAN1", fib="")
    rule_id = menu(api7, path).add(**add_mark)
    (rule,) = rows(api7, path)
    assert (rule["new-routing-mark"], rule["passthrough"]) == ("to_WAN1", True)
    refused(router_v7, watched, lambda: menu(api7, "/routing/table").remove(table_id),
            f"failure: mangle {rule_id} is using this item")
    # renaming the table follows into the rule
    menu(api7, "/routing/table").update(**{".id": table_id, "name": "via_WAN1"})
    assert rows(api7, path)[0]["new-routing-mark"] == "via_WAN1"


def test_v6_routing_marks_are_free_names(api6):
    path = "/ip/firewall/mangle"
    menu(api6, path).add(chain="prerouting", action="mark-routing", **{"new-routing-mark": "to_WAN1", "connection-mark": "WAN1_conn"})
    menu(api6, path).add(chain="output", action="mark-routing", **{"new-routing-mark": "to_WAN2", "routing-mark": "!main"})
    assert [r["new-routing-mark"] for r in rows(api6, path)] == ["to_WAN1", "to_WAN2"]


def test_p2p_matcher_only_on_v6(router_v6, api6, router_v7, api7):
    menu(api6, "/ip/firewall/filter").add(chain="forward", action="drop", p2p="all-p2p")
    assert rows(api6, "/ip/firewall/filter")[0]["p2p"] == "all-p2p"
    refused(router_v7, "/ip/firewall/filter",
            lambda: menu(api7, "/ip/firewall/filter").add(chain="forward", action="drop", p2p="all-p2p"),
            "unknown parameter")


def test_nat_actions_and_targets(router_v6, api6, router_v7, api7):
    for api in (api6, api7):
        nat = menu(api, "/ip/firewall/nat")
        nat.add(chain="srcnat", action="masquerade", **{"out-interface": "ether1"})
        nat.add(chain="dstnat", action="dst-nat", protocol="tcp", **{"dst-port": "8080", "to-addresses": "192.168.88.10/32", "to-ports": "80"})
        masquerade, dstnat = rows(api, "/ip/firewall/nat")
        assert (masquerade["action"], masquerade["out-interface"]) == ("masquerade", "ether1")
        assert (dstnat["to-addresses"], dstnat["to-ports"]) == ("192.168.88.10", 80)
    menu(api7, "/ip/firewall/nat").add(chain="srcnat", action="endpoint-independent-nat", protocol="udp")
    path = "/ip/firewall/nat"
    refused(router_v6, path,
            lambda: menu(api6, path).add(chain="srcnat", action="endpoint-independent-nat", protocol="udp"),
            "input does not match any value of action")
    refused(router_v6, path,
            lambda: menu(api6, path).add(chain="dstnat", action="dst-nat", protocol="tcp", **{"to-ports": "99999"}),
            "invalid value for argument to-ports")


# ---- address lists ----------------------------------------------------------------------------

STAMP = {"v6": r"[a-z]{3}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", "v7": r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"}


def test_address_list_defaults(router, api):
    path = "/ip/firewall/address-list"
    entry_id = menu(api, path).add(list="lan", address="192.168.88.0/24")
    (entry,) = rows(api, path)
    created = entry.pop("creation-time")
    assert entry == {".id": entry_id, "list": "lan", "address": "192.168.88.0/24", "disabled": False, "dynamic": False}
    dialect = "v6" if router.router.dialect == "v6" else "v7"
    assert re.fullmatch(STAMP[dialect], created)
    menu(api, path).add(list="lan", address="10.1.1.1/32", timeout="1h30m")
    menu(api, path).add(list="dns", address="example.com")
    by_address = {r["address"]: r for r in rows(api, path)}
    assert by_address["10.1.1.1"]["timeout"] == "1h30m" and by_address["10.1.1.1"]["dynamic"] is True
    assert by_address["example.com"]["list"] == "dns"


def test_address_list_refusals(router, api):
    path = "/ip/firewall/address-list"
    menu(api, path).add(list="lan", address="192.168.88.10")
    refused(router, path, lambda: menu(api, path).add(list="lan", address="192.168.88.10/32"),
            "failure: already have such entry")
    refused(router, path, lambda: menu(api, path).add(list="lan", address="192.168.88.300"),
            "invalid value for argument address")
    refused(router, path, lambda: menu(api, path).add(list="lan", address="10.0.0.9", timeout="soon"),
            "invalid value for argument timeout")
    refused(router, path, lambda: menu(api, path).add(address="10.0.0.9"), "missing value(s) of argument(s) list")
    menu(api, path).add(list="wan", address="192.168.88.10")  # the same address in another list is fine
    assert len(rows(api, path)) == 2


def test_address_list_dynamic_parameter_only_on_v7(router_v6, api6, api7):
    path = "/ip/firewall/address-list"
    menu(api7, path).add(list="tmp", address="10.9.9.9", dynamic="yes")
    assert rows(api7, path)[0]["dynamic"] is True
    refused(router_v6, path, lambda: menu(api6, path).add(list="tmp", address="10.9.9.9", dynamic="yes"),
            "unknown parameter")
