"""Traffic: which uplink a new connection leaves by (control operations `route` and `spread`).

Routers are configured by real librouteros clients over TCP with the rules our dual_isp role
writes: its templates (roles/dual_isp/templates) are rendered here with the role's defaults and
the test's variables, then written as the role's modules write them (routing_table is
routing-mark on 6.49 and routing-table on 7.x, where the tables are created first).
"""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import jinja2
import librouteros
import pytest
import yaml

from conftest import PASSWORD, VERSIONS
from ros_emulator.control import ControlClient, ControlError
from ros_emulator.lab import start_lab

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROLE = os.path.join(ROOT, "roles", "dual_isp")
INVENTORY = os.path.join(ROOT, "inventories", "lab")
BRIDGE = "Hotspot+PPPoE"
ISPS = {
    "ISP1": {"segment": "isp1", "network": "192.0.2.0/24", "gateway": "192.0.2.1"},
    "ISP2": {"segment": "isp2", "network": "198.51.100.0/24", "gateway": "198.51.100.1"},
}
# one router with both ISPs: ISP1 on ether1, ISP2 on ether2, subscribers on a bridge of ether3-4
UPLINKS = [
    {"name": "ISP1", "interface": "ether1", "addressing": "static", "address": "192.0.2.2/24", "gateway": "192.0.2.1"},
    {"name": "ISP2", "interface": "ether2", "addressing": "static", "address": "198.51.100.2/24",
     "gateway": "198.51.100.1"},
]
LAN = "10.10.10.0/24"
PINNED = "203.0.113.0/24"
INTERNET = "93.184.0.0/16"  # destinations of the spread connections
CONNECTIONS = 1000


# ---- the role's rules, rendered and written over the API --------------------------------------

def role_variables(**overrides) -> dict:
    with open(os.path.join(ROLE, "defaults", "main.yml"), encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    variables.update(overrides)
    return variables


def render(template: str, variables: dict) -> list[dict]:
    """The role's template rendered as Ansible would (to_json is the only filter it needs)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(ROLE, "templates")))
    environment.filters["to_json"] = json.dumps
    return json.loads(environment.get_template(template).render(**variables))


def api_words(item: dict, v6: bool) -> dict[str, str]:
    """A module option dict as API words: dashes, yes/no, comma lists, the dialect's routing field."""
    words = {}
    for key, value in item.items():
        name = key.replace("_", "-")
        if key == "routing_table":
            name = "routing-mark" if v6 else "routing-table"
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, list):
            value = ",".join(value)
        words[name] = str(value)
    return words


def add_all(api, path: str, items: list[dict], v6: bool) -> None:
    menu = api.path(*path.strip("/").split("/"))
    for item in items:
        menu.add(**api_words(item, v6))


def apply_role(api, v6: bool, variables: dict, lan_addresses: list[str], bridge_ports: list[str]) -> None:
    """What site.yml does for the traffic: the subscriber bridge and its addresses, then dual_isp."""
    api.path("interface", "bridge").add(name=BRIDGE)
    for port in bridge_ports:
        api.path("interface", "bridge", "port").add(interface=port, bridge=BRIDGE)
    for address in lan_addresses:
        api.path("ip", "address").add(address=address, interface=BRIDGE)
    mangle = render("mangle.json.j2", variables)
    routes = render("routes.json.j2", variables)
    if not v6:  # the modules create a 7.x routing table (with fib) before a route or mark names it
        tables = {r["routing_table"] for r in routes if "routing_table" in r}
        tables |= {r["new_routing_mark"] for r in mangle if "new_routing_mark" in r}
        for table in sorted(tables):
            api.path("routing", "table").add(name=table, fib="")
    add_all(api, "/ip/address", render("addresses.json.j2", variables), v6)
    add_all(api, "/ip/firewall/nat", render("nat.json.j2", variables), v6)
    add_all(api, "/ip/firewall/mangle", mangle, v6)
    add_all(api, "/ip/route", routes, v6)


def client(lab, name: str):
    return librouteros.connect("127.0.0.1", "admin", PASSWORD, port=lab.routers[name].port)


def single_router_topology(version: str) -> dict:
    return {
        "defaults": {"version": version, "user": "admin", "password": PASSWORD},
        "routers": {"RTR-1": {"port": 0}},
        "segments": {"isp1": ["RTR-1:ether1"], "isp2": ["RTR-1:ether2"],
                     "subscribers": ["RTR-1:ether3", "RTR-1:ether4"]},
        "isps": ISPS,
    }


@pytest.fixture(params=sorted(VERSIONS))
def dialect(request) -> str:
    return VERSIONS[request.param]


@pytest.fixture
def bare_lab(dialect, tmp_path):
    """One router cabled to both ISPs and a subscriber switch; nothing configured yet."""
    lab = start_lab(single_router_topology(dialect), str(tmp_path / "lab"))
    yield lab
    lab.stop()


def configure(lab, **overrides) -> None:
    """RTR-1 configured by the role: both uplinks, the LAN, a pinned destination, PCC by default."""
    variables = role_variables(dual_isp_uplinks=UPLINKS, dual_isp_lan_networks=[LAN],
                               dual_isp_policy_routes=[{"uplink": "ISP1", "dst_address": PINNED}], **overrides)
    api = client(lab, "RTR-1")
    try:
        apply_role(api, lab.routers["RTR-1"].router.dialect == "v6", variables, ["10.10.10.1/24"], ["ether3", "ether4"])
    finally:
        api.close()


@pytest.fixture
def lab(bare_lab):
    configure(bare_lab)
    return bare_lab


def spread(lab, router: str = "RTR-1", src_network: str = LAN, dst: str = INTERNET, count: int = CONNECTIONS,
           **extra) -> dict:
    counts = lab.control("spread", router=router, src_network=src_network, dst=dst, count=count, seed=7, **extra)
    assert sum(counts.values()) == count, counts
    return counts


def assert_split(counts: dict, count: int = CONNECTIONS) -> None:
    """Both ISPs carry between 40% and 60% of the connections, and nothing is lost."""
    assert counts["ISP1"] + counts["ISP2"] == count, counts
    assert 0.4 * count <= counts["ISP1"] <= 0.6 * count, counts


# ---- one router, both ISPs ------------------------------------------------------------------------

def test_pcc_splits_new_connections_between_both_isps(lab):
    assert_split(spread(lab))
    for port in range(40000, 40040):
        answer = lab.control("route", router="RTR-1", src="10.10.10.20", dst="93.184.216.34", src_port=port)
        (hop,) = answer["hops"]
        uplink = answer["uplink"]
        assert answer["result"] == "ok"
        assert hop["in"] == BRIDGE  # a bridge port's traffic arrives on the bridge
        assert (hop["connection_mark"], hop["routing_mark"]) == (f"{uplink}_conn", f"to_{uplink}")
        expected = {"ISP1": ("ether1", "192.0.2.1"), "ISP2": ("ether2", "198.51.100.1")}[uplink]
        assert (hop["out"], hop["gateway"]) == expected
        assert hop["srcnat"] == {"ISP1": "192.0.2.2", "ISP2": "198.51.100.2"}[uplink]  # the role's masquerade


def test_both_addresses_keeps_a_client_server_pair_on_one_uplink(lab):
    uplinks = {lab.control("route", router="RTR-1", src="10.10.10.20", dst="93.184.216.34", src_port=port)["uplink"]
               for port in range(1024, 1124)}
    assert len(uplinks) == 1


@pytest.mark.parametrize("classifier", ["src-address", "dst-address", "both-addresses-and-ports", "src-port",
                                        "dst-address-and-port"])
def test_every_pcc_classifier_spreads_evenly(bare_lab, classifier):
    configure(bare_lab, dual_isp_pcc_classifier=classifier)
    assert_split(spread(bare_lab))


def test_pinned_destination_leaves_by_isp1(lab):
    answer = lab.control("route", router="RTR-1", src="10.10.10.20", dst="203.0.113.9")
    assert answer["uplink"] == "ISP1" and answer["result"] == "ok"
    # the pin marks the routing and stops (passthrough=no): load balancing never sees it
    assert (answer["hops"][0]["routing_mark"], answer["hops"][0]["connection_mark"]) == ("to_ISP1", None)
    assert spread(lab, dst=PINNED) == {"ISP1": CONNECTIONS, "ISP2": 0, "unreachable": 0, "loop": 0}


def test_failover_moves_every_new_connection_and_the_split_returns(lab):
    lab.control("isp", name="ISP1", state="down")
    assert spread(lab) == {"ISP1": 0, "ISP2": CONNECTIONS, "unreachable": 0, "loop": 0}
    # pinned traffic too: the pin's table backs ISP1 with ISP2
    assert spread(lab, dst=PINNED)["ISP2"] == CONNECTIONS
    lab.control("isp", name="ISP1", state="up")
    assert_split(spread(lab))
    lab.control("link", segment="isp2", state="down")  # ISP2's cable this time
    assert spread(lab) == {"ISP1": CONNECTIONS, "ISP2": 0, "unreachable": 0, "loop": 0}
    lab.control("link", segment="isp2", state="up")
    assert_split(spread(lab))


def test_failover_by_check_gateway_on_the_router(lab):
    """The same with the runtime's own switch (a gateway that stops answering pings)."""
    rtr = lab.routers["RTR-1"]
    rtr.set_gateway_reachable("198.51.100.1", False)
    assert spread(lab)["ISP1"] == CONNECTIONS
    rtr.set_gateway_reachable("198.51.100.1", True)
    assert_split(spread(lab))


def test_nth_counts_the_packets_each_rule_matches(bare_lab):
    """nth=every,n counts, per rule, the packets its other matchers let through. The decreasing
    recipe (2,1 then 1,1) splits evenly; 2,1 then 2,2 on unmarked connections does not: the second
    rule only sees the half the first left, takes every second of those, and a quarter of the
    connections stay unmarked (main table: ISP1)."""
    configure(bare_lab, dual_isp_load_balancing="none")
    api = client(bare_lab, "RTR-1")
    if bare_lab.routers["RTR-1"].router.dialect == "v7":  # the role made to_ISP1 only (for the pin)
        api.path("routing", "table").add(name="to_ISP2", fib="")
        api.path("ip", "route").add(gateway="198.51.100.1", **{"routing-table": "to_ISP2"})
    else:
        api.path("ip", "route").add(gateway="198.51.100.1", **{"routing-mark": "to_ISP2"})
    mangle = api.path("ip", "firewall", "mangle")
    rules = []
    for uplink, nth in (("ISP1", "2,1"), ("ISP2", "1,1")):
        rules.append(mangle.add(chain="prerouting", **{"src-address": LAN, "connection-mark": "no-mark",
                                                        "connection-state": "new", "nth": nth,
                                                        "action": "mark-connection",
                                                        "new-connection-mark": f"{uplink}_conn"}))
    for uplink in ("ISP1", "ISP2"):
        mangle.add(chain="prerouting", **{"src-address": LAN, "connection-mark": f"{uplink}_conn",
                                          "action": "mark-routing", "new-routing-mark": f"to_{uplink}",
                                          "passthrough": "no"})
    assert spread(bare_lab) == {"ISP1": 500, "ISP2": 500, "unreachable": 0, "loop": 0}
    mangle.update(**{".id": rules[1], "nth": "2,2"})
    assert spread(bare_lab) == {"ISP1": 750, "ISP2": 250, "unreachable": 0, "loop": 0}
    api.close()


def test_the_roles_nth_rules_split_evenly(bare_lab):
    """The dual_isp role's NTH recipe (decreasing counts: 2,1 then 1,1) over 1,000 connections."""
    configure(bare_lab, dual_isp_load_balancing="nth")
    api = client(bare_lab, "RTR-1")
    nth = [r["nth"] for r in api.path("ip", "firewall", "mangle") if "nth" in r]
    api.close()
    assert nth == ["2,1", "1,1"]
    assert spread(bare_lab) == {"ISP1": 500, "ISP2": 500, "unreachable": 0, "loop": 0}


def test_ecmp_route_spreads_by_both_addresses(bare_lab):
    api = client(bare_lab, "RTR-1")
    for address, interface in (("192.0.2.2/24", "ether1"), ("198.51.100.2/24", "ether2"), ("10.10.10.1/24", "ether3")):
        api.path("ip", "address").add(address=address, interface=interface)
    api.path("ip", "route").add(**{"dst-address": "0.0.0.0/0", "gateway": "192.0.2.1,198.51.100.1"})
    api.close()
    assert_split(spread(bare_lab))
    bare_lab.control("isp", name="ISP2", state="down")  # no check-gateway: ISP2's half is lost
    counts = spread(bare_lab)
    assert counts["ISP2"] == 0 and counts["ISP1"] + counts["unreachable"] == CONNECTIONS
    assert_split({"ISP1": counts["ISP1"], "ISP2": counts["unreachable"]})


def test_routing_mark_falls_back_to_main_unless_its_table_blocks(bare_lab):
    api = client(bare_lab, "RTR-1")
    v6 = bare_lab.routers["RTR-1"].router.dialect == "v6"
    for address, interface in (("192.0.2.2/24", "ether1"), ("10.10.10.1/24", "ether3")):
        api.path("ip", "address").add(address=address, interface=interface)
    api.path("ip", "route").add(**{"gateway": "192.0.2.1"})
    if not v6:
        api.path("routing", "table").add(name="empty", fib="")
    api.path("ip", "firewall", "mangle").add(chain="prerouting", action="mark-routing", **{"new-routing-mark": "empty"})
    answer = bare_lab.control("route", router="RTR-1", src="10.10.10.7", dst="93.184.216.34")
    assert (answer["uplink"], answer["result"], answer["hops"][0]["routing_mark"]) == ("ISP1", "ok", "empty")
    blocking = ({"type": "unreachable", "routing-mark": "empty"} if v6
                else {"blackhole": "yes", "routing-table": "empty"})
    api.path("ip", "route").add(**{"dst-address": "93.184.0.0/16", **blocking})
    api.close()
    answer = bare_lab.control("route", router="RTR-1", src="10.10.10.7", dst="93.184.216.34")
    assert (answer["uplink"], answer["result"]) == (None, "unreachable")
    # another destination: no route of the table holds it, main does
    assert bare_lab.control("route", router="RTR-1", src="10.10.10.7", dst="8.8.8.8")["uplink"] == "ISP1"


def test_no_route_is_unreachable_and_the_router_itself_is_local(bare_lab):
    api = client(bare_lab, "RTR-1")
    api.path("ip", "address").add(address="10.10.10.1/24", interface="ether3")
    api.close()
    answer = bare_lab.control("route", router="RTR-1", src="10.10.10.7", dst="93.184.216.34")
    assert answer == {"uplink": None, "result": "unreachable", "hops": [
        {"router": "RTR-1", "in": "ether3", "out": None, "gateway": None, "connection_mark": None,
         "routing_mark": None, "srcnat": None}]}
    assert bare_lab.control("route", router="RTR-1", src="10.10.10.7", dst="10.10.10.1")["result"] == "local"


def test_matchers_address_lists_ports_jumps_and_negation(bare_lab):
    """Rules a field configuration uses beside the role's: each decides one connection's uplink."""
    api = client(bare_lab, "RTR-1")
    v6 = bare_lab.routers["RTR-1"].router.dialect == "v6"
    for address, interface in (("192.0.2.2/24", "ether1"), ("198.51.100.2/24", "ether2"), ("10.10.10.1/24", "ether3")):
        api.path("ip", "address").add(address=address, interface=interface)
    tables = {"to_ISP1": "192.0.2.1", "to_ISP2": "198.51.100.1"}
    for table, gateway in tables.items():
        if not v6:
            api.path("routing", "table").add(name=table, fib="")
        api.path("ip", "route").add(gateway=gateway, **{"routing-mark" if v6 else "routing-table": table})
    api.path("ip", "route").add(gateway="192.0.2.1")
    lists = api.path("ip", "firewall", "address-list")
    lists.add(list="via-isp2", address="198.18.0.0/16")
    lists.add(list="via-isp2", address="8.8.8.8", **({"timeout": "1h"} if v6 else {"dynamic": "yes"}))
    mangle = api.path("ip", "firewall", "mangle")

    def rule(**words):
        mangle.add(**{k.replace("_", "-"): v for k, v in words.items()})

    rule(chain="prerouting", in_interface="ether3", action="jump", jump_target="subscribers")
    rule(chain="subscribers", src_address="10.10.10.100-10.10.10.199", action="return")  # range: left alone
    rule(chain="subscribers", dst_address_list="via-isp2", action="mark-routing", new_routing_mark="to_ISP2",
         passthrough="no")
    rule(chain="subscribers", protocol="udp", dst_port="53,5353", action="mark-routing",
         new_routing_mark="to_ISP2", passthrough="no")
    rule(chain="subscribers", dst_address="!93.184.0.0/16", in_interface_list="all", action="mark-connection",
         new_connection_mark="far")
    rule(chain="prerouting", connection_mark="far", action="mark-routing", new_routing_mark="to_ISP2")
    api.close()

    def uplink(src="10.10.10.7", dst="93.184.216.34", **extra):
        return bare_lab.control("route", router="RTR-1", src=src, dst=dst, **extra)["uplink"]

    assert uplink() == "ISP1"  # nothing matched: main
    assert uplink(dst="198.18.4.4") == "ISP2"  # static entry of the list
    assert uplink(dst="8.8.8.8") == "ISP2"  # dynamic entry
    assert uplink(src="10.10.10.150", dst="8.8.8.8") == "ISP1"  # returned before the list rule
    assert uplink(dst="93.184.216.34", protocol="udp", dst_port=53) == "ISP2"
    assert uplink(dst="93.184.216.34", protocol="udp", dst_port=54) == "ISP1"
    answer = bare_lab.control("route", router="RTR-1", src="10.10.10.7", dst="1.1.1.1")
    assert (answer["uplink"], answer["hops"][0]["connection_mark"], answer["hops"][0]["routing_mark"]) == \
        ("ISP2", "far", "to_ISP2")
    # arriving on another interface: the jump's in-interface does not hold
    assert uplink(dst="8.8.8.8", in_interface="ether4") == "ISP1"


def test_a_matcher_or_action_it_does_not_model_fails_by_name(lab):
    api = client(lab, "RTR-1")
    mangle = api.path("ip", "firewall", "mangle")
    first = next(iter(mangle))[".id"]
    rule = mangle.add(chain="prerouting", protocol="tcp",
                      **{"tcp-flags": "syn", "action": "passthrough", "place-before": first})
    unmodelled = r"RTR-1 /ip/firewall/mangle rule \*[0-9A-F]+: matcher tcp-flags is not modelled"
    with pytest.raises(ControlError, match=unmodelled):
        lab.control("route", router="RTR-1", src="10.10.10.7", dst="93.184.216.34")
    mangle.update(**{".id": rule, "disabled": "yes"})  # a disabled rule is never looked at
    assert lab.control("route", router="RTR-1", src="10.10.10.7", dst="93.184.216.34")["result"] == "ok"
    mangle.add(chain="prerouting", action="route", **{"route-dst": "192.0.2.1", "place-before": first})
    with pytest.raises(ControlError, match="action route is not modelled"):
        lab.control("route", router="RTR-1", src="10.10.10.7", dst="93.184.216.34")
    api.close()


BAD_ROUTES = [
    ({"router": "RTR-9"}, "route: router: no router 'RTR-9' in the lab; known: RTR-1"),
    ({"src": "10.10.10"}, "route: src: '10.10.10' is not an IPv4 address"),
    ({"dst": "example.org"}, "route: dst: 'example.org' is not an IPv4 address"),
    ({"protocol": "tcpp"}, "route: protocol: 'tcpp' is not a protocol name"),
    ({"protocol": "icmp", "src_port": 5}, "route: src_port: protocol icmp has no ports"),
    ({"dst_port": 70000}, "route: dst_port: 70000 is not a number from 0 to 65535"),
    ({"in_interface": "ether99"}, "route: in_interface: RTR-1 has no interface 'ether99'"),
    ({"src": "172.16.0.1"}, "route: RTR-1 has no route back to src 172.16.0.1; give in_interface"),
]
BAD_SPREADS = [
    ({"count": 0}, "spread: count: 0 is not a number from 1 to 100000"),
    ({"count": "many"}, "spread: count: 'many' is not a number"),
    ({"src_network": "10.10.10.0/33"}, "spread: src_network: '10.10.10.0/33' is not an IPv4 address or network"),
    ({"src_network": "10.10.10.1/32"}, "spread: src_network: 10.10.10.1/32 holds no address but RTR-1's own"),
    ({"dst": "nowhere"}, "spread: dst: 'nowhere' is not an IPv4 address or network"),
]


def test_bad_requests_name_the_option(bare_lab):
    api = client(bare_lab, "RTR-1")
    api.path("ip", "address").add(address="10.10.10.1/24", interface="ether3")
    api.close()
    for operation, cases, base in (
            ("route", BAD_ROUTES, {"router": "RTR-1", "src": "10.10.10.7", "dst": "93.184.216.34"}),
            ("spread", BAD_SPREADS, {"router": "RTR-1", "src_network": LAN, "dst": INTERNET, "count": 10})):
        for arguments, message in cases:
            with pytest.raises(ControlError) as info:
                bare_lab.control(operation, **{**base, **arguments})
            assert str(info.value).startswith(message), (arguments, str(info.value))


def test_spread_is_deterministic_with_a_seed(lab):
    assert spread(lab, count=300) == spread(lab, count=300)


def test_route_and_spread_over_the_socket_and_ctl(lab, tmp_path):
    state = str(tmp_path / "lab")
    with ControlClient(state) as control:
        answer = control.call("route", router="RTR-1", src="10.10.10.20", dst="203.0.113.9")
    assert answer["uplink"] == "ISP1"
    ran = subprocess.run([sys.executable, "-m", "ros_emulator", "ctl", "--state-dir", state, "spread",
                          "router=RTR-1", f"src_network={LAN}", f"dst={PINNED}", "count=50", "seed=1"],
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {"ISP1": 50, "ISP2": 0, "unreachable": 0, "loop": 0}


# ---- two routers: the paper's layout ------------------------------------------------------------

def lab_topology(version: str) -> dict:
    """inventories/lab/topology.yml on free ports, with the two ISPs on the uplink segments."""
    with open(os.path.join(INVENTORY, "topology.yml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["defaults"]["password"] = PASSWORD
    data["routers"] = {name: {"port": 0} for name in data["routers"]}
    data.setdefault("isps", copy.deepcopy(ISPS))
    data["defaults"]["version"] = version
    return data


def inventory_variables(host: str) -> dict:
    variables = {}
    for path in (os.path.join(INVENTORY, "group_vars", "routers", "network.yml"),
                 os.path.join(INVENTORY, "host_vars", f"{host}.yml")):
        with open(path, encoding="utf-8") as handle:
            variables.update(yaml.safe_load(handle))
    return variables


def start_paper_lab(dialect: str, state: str, check_host: bool = True):
    """RTR-1 (ISP1) and RTR-2 (ISP2) joined over the interconnect, configured as inventories/lab
    says (`check_host=False`: its uplinks without their check_host)."""
    lab = start_lab(lab_topology(dialect), state)
    try:
        for host in ("RTR-1", "RTR-2"):
            variables = inventory_variables(host)
            if not check_host:
                variables["dual_isp_uplinks"] = [{k: v for k, v in uplink.items() if k != "check_host"}
                                                 for uplink in variables["dual_isp_uplinks"]]
            api = client(lab, host)
            apply_role(api, lab.routers[host].router.dialect == "v6",
                       role_variables(**{k: v for k, v in variables.items() if k.startswith("dual_isp_")}),
                       [a["address"] for a in variables["subscriber_access_addresses"]],
                       variables["subscriber_access_bridge_ports"])
            api.close()
    except BaseException:
        lab.stop()
        raise
    return lab


@pytest.fixture
def paper_lab(dialect, tmp_path):
    lab = start_paper_lab(dialect, str(tmp_path / "lab"))
    yield lab
    lab.stop()


def test_two_routers_split_across_the_interconnect_and_fail_over(paper_lab):
    for router, lan, far in (("RTR-1", "10.10.10.0/24", "ISP2"), ("RTR-2", "10.10.20.0/24", "ISP1")):
        assert_split(spread(paper_lab, router=router, src_network=lan))
        # the far ISP is reached through the other router, whose own mangle rules leave it alone
        answers = [paper_lab.control("route", router=router, src=lan.replace("0/24", str(host)), dst="93.184.216.34")
                   for host in range(2, 40)]
        far_answers = [a for a in answers if a["uplink"] == far]
        assert far_answers, answers
        for answer in far_answers:
            first, second = answer["hops"]
            assert (first["router"], first["out"], first["routing_mark"]) == (router, "ether2", f"to_{far}")
            assert (second["in"], second["out"], second["srcnat"]) == ("ether2", "ether1", second["srcnat"])
            assert second["routing_mark"] is None and second["srcnat"] is not None
    # pinned destinations leave by ISP1 from both routers
    assert spread(paper_lab, router="RTR-2", src_network="10.10.20.0/24", dst=PINNED)["ISP1"] == CONNECTIONS

    paper_lab.control("isp", name="ISP1", state="down")
    assert spread(paper_lab, router="RTR-1", src_network="10.10.10.0/24") == \
        {"ISP1": 0, "ISP2": CONNECTIONS, "unreachable": 0, "loop": 0}
    paper_lab.control("isp", name="ISP1", state="up")
    assert_split(spread(paper_lab, router="RTR-1", src_network="10.10.10.0/24"))

    paper_lab.control("isp", name="ISP2", state="down")
    assert spread(paper_lab, router="RTR-2", src_network="10.10.20.0/24") == \
        {"ISP1": CONNECTIONS, "ISP2": 0, "unreachable": 0, "loop": 0}
    paper_lab.control("isp", name="ISP2", state="up")
    assert_split(spread(paper_lab, router="RTR-2", src_network="10.10.20.0/24"))


def test_routers_that_send_a_connection_to_each_other_loop(dialect, tmp_path):
    topology = {
        "defaults": {"version": dialect, "user": "admin", "password": PASSWORD},
        "routers": {"RTR-1": {"port": 0}, "RTR-2": {"port": 0}},
        "segments": {"interconnect": ["RTR-1:ether2", "RTR-2:ether2"], "lan": ["RTR-1:ether3"]},
    }
    lab = start_lab(topology, str(tmp_path / "lab"))
    try:
        for name, mine, other in (("RTR-1", "10.1.1.1/30", "10.1.1.2"), ("RTR-2", "10.1.1.2/30", "10.1.1.1")):
            api = client(lab, name)
            api.path("ip", "address").add(address=mine, interface="ether2")
            api.path("ip", "route").add(gateway=other)
            api.close()
        api = client(lab, "RTR-1")
        api.path("ip", "address").add(address="10.10.10.1/24", interface="ether3")
        api.close()
        answer = lab.control("route", router="RTR-1", src="10.10.10.7", dst="93.184.216.34")
        assert answer["result"] == "loop" and answer["uplink"] is None
        # back at RTR-2 from the interconnect in the state it was in before: a loop
        assert [(h["router"], h["in"], h["gateway"]) for h in answer["hops"]] == [
            ("RTR-1", "ether3", "10.1.1.2"), ("RTR-2", "ether2", "10.1.1.1"), ("RTR-1", "ether2", "10.1.1.2")]
    finally:
        lab.stop()


# ---- two routers: each checks the far ISP beyond the other router (check_host) ---------------------

LANS = {"RTR-1": "10.10.10.0/24", "RTR-2": "10.10.20.0/24"}
# the uplink through the other router: (check_host, the other router's interconnect address)
BEYOND = {"RTR-1": ("198.51.100.1", "10.1.1.2"), "RTR-2": ("192.0.2.1", "10.1.1.1")}
CUTS = [("isp", {"name": "ISP1"}, "ISP2"), ("link", {"segment": "isp1"}, "ISP2"),
        ("isp", {"name": "ISP2"}, "ISP1"), ("link", {"segment": "isp2"}, "ISP1")]


def spread_both(lab) -> dict[str, dict]:
    return {router: spread(lab, router=router, src_network=lan) for router, lan in LANS.items()}


def test_the_lab_inventory_checks_the_far_isp_beyond_the_other_router(paper_lab):
    """What the role writes for the interconnect uplinks (a host route to check_host over the
    interconnect, scope 10; default routes to check_host, target-scope 11, check-gateway=ping),
    accepted and resolved through the other router on both dialects."""
    v6 = paper_lab.routers["RTR-1"].router.dialect == "v6"
    for router, (check_host, via) in BEYOND.items():
        api = client(paper_lab, router)
        routes = list(api.path("ip", "route"))
        api.close()
        host = [r for r in routes if r["dst-address"] == f"{check_host}/32"]
        assert [(r["gateway"], r["scope"], r["active"]) for r in host] == [(via, 10, True)]
        recursive = [r for r in routes if r["dst-address"] == "0.0.0.0/0" and r.get("gateway") == check_host]
        assert len(recursive) == 3, recursive  # main (distance 2), its own table, backup of the other table
        for entry in recursive:
            assert (entry["target-scope"], entry["check-gateway"]) == (11, "ping")
            resolved = entry["gateway-status"] if v6 else entry["immediate-gw"]
            assert resolved == (f"{check_host} recursive via {via} ether2" if v6 else f"{via}%ether2")


@pytest.mark.parametrize("op, arguments, survivor", CUTS, ids=[f"{op}-{next(iter(a.values()))}" for op, a, _ in CUTS])
def test_two_routers_with_check_host_move_every_connection_to_the_other_isp(paper_lab, op, arguments, survivor):
    """A cut ISP (it stops answering, or its cable goes): every new connection from both routers'
    subscribers leaves by the other ISP, none loops or is lost; restored, both split again."""
    lost = "ISP1" if survivor == "ISP2" else "ISP2"
    for counts in spread_both(paper_lab).values():
        assert_split(counts)
    paper_lab.control(op, state="down", **arguments)
    assert spread_both(paper_lab) == {router: {survivor: CONNECTIONS, lost: 0, "unreachable": 0, "loop": 0}
                                      for router in LANS}
    # the router without the surviving ISP sends all of it to the other router's immediate address
    router = "RTR-1" if survivor == "ISP2" else "RTR-2"
    check_host, via = BEYOND[router]
    for port in range(40000, 40020):
        answer = paper_lab.control("route", router=router, src=LANS[router].replace("0/24", "9"),
                                   dst="93.184.216.34", src_port=port)
        first, second = answer["hops"]
        assert (answer["uplink"], first["out"], first["gateway"]) == (survivor, "ether2", via)
        assert (second["in"], second["out"]) == ("ether2", "ether1")
    paper_lab.control(op, state="up", **arguments)
    for counts in spread_both(paper_lab).values():
        assert_split(counts)


def test_without_check_host_the_other_router_sends_half_the_connections_back(dialect, tmp_path):
    """Why the lab's inventory has check_host: with the interconnect uplink checked at the other
    router only, RTR-2 keeps sending ISP1's share to RTR-1 after ISP1 is cut, and RTR-1 (ISP1 gone)
    sends it back: those connections loop."""
    lab = start_paper_lab(dialect, str(tmp_path / "lab"), check_host=False)
    try:
        lab.control("isp", name="ISP1", state="down")
        counts = spread(lab, router="RTR-2", src_network=LANS["RTR-2"])
        assert counts["ISP1"] == counts["unreachable"] == 0
        assert_split({"ISP1": counts["loop"], "ISP2": counts["ISP2"]})
    finally:
        lab.stop()
