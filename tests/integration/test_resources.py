"""Lifecycle of every list module on both dialects (see lifecycle.py for what each run proves)."""
from __future__ import annotations

from lifecycle import Lifecycle


def test_bridge_and_ports(playbook):
    Lifecycle(
        module="bridge",
        path="/interface/bridge/port",
        fields=("interface", "bridge", "pvid", "comment"),
        merged=[{"name": "bridge-lan", "protocol_mode": "none", "ageing_time": "00:10:00", "comment": "managed",
                 "ports": [{"interface": "ether3"}, {"interface": "ether4", "pvid": 10}, {"interface": "ether5"}]},
                {"name": "bridge-mgmt", "comment": "managed", "ports": [{"interface": "ether6"}]}],
        after_merged=[
            {"interface": "ether3", "bridge": "bridge-lan", "pvid": "1"},
            {"interface": "ether4", "bridge": "bridge-lan", "pvid": "10"},
            {"interface": "ether5", "bridge": "bridge-lan", "pvid": "1"},
            {"interface": "ether6", "bridge": "bridge-mgmt", "pvid": "1"},
        ],
        # ether5 leaves, ether4 goes back to pvid 1 (replaced resets), ether7 joins
        replaced=[{"name": "bridge-lan", "protocol_mode": "none", "comment": "managed",
                   "ports": [{"interface": "ether3"}, {"interface": "ether4"}, {"interface": "ether7"}]}],
        after_replaced=None,
        foreign=[("/interface/bridge", {"name": "bridge-other"}),
                 ("/interface/bridge/port", {"interface": "ether8", "bridge": "bridge-other"})],
        scope={"comment": "managed"},
        # bridge-mgmt and its port go; the foreign bridge and its port stay
        overridden=[{"name": "bridge-lan", "protocol_mode": "none", "ports": [{"interface": "ether3"}]}],
        after_overridden=None,
        after_deleted=[{"interface": "ether8", "bridge": "bridge-other", "pvid": "1"}],
    ).run(playbook)


def test_bridge_settings(playbook):
    Lifecycle(
        module="bridge",
        path="/interface/bridge",
        fields=("name", "protocol-mode", "ageing-time", "vlan-filtering", "comment"),
        merged=[{"name": "br1", "protocol_mode": "none", "ageing_time": "00:10:00", "vlan_filtering": True}],
        after_merged=[{"name": "br1", "protocol-mode": "none", "ageing-time": "10m", "vlan-filtering": "true"}],
        replaced=[{"name": "br1", "ageing_time": "10m"}],
        after_replaced=None,
        deleted=[{"name": "br1"}],
        after_deleted=[],
    ).run(playbook)


def test_pool(playbook):
    Lifecycle(
        module="pool",
        path="/ip/pool",
        fields=("name", "ranges", "next-pool", "comment"),
        merged=[{"name": "pppoe-pool", "ranges": ["10.10.10.2-10.10.10.254"], "comment": "managed"},
                {"name": "hotspot-pool", "ranges": ["10.20.0.2-10.20.0.100", "10.20.0.200-10.20.0.250"],
                 "next_pool": "pppoe-pool", "comment": "managed"}],
        after_merged=[
            {"name": "pppoe-pool", "ranges": "10.10.10.2-10.10.10.254", "comment": "managed"},
            {"name": "hotspot-pool", "ranges": "10.20.0.2-10.20.0.100,10.20.0.200-10.20.0.250",
             "next-pool": "pppoe-pool", "comment": "managed"},
        ],
        replaced=[{"name": "hotspot-pool", "ranges": ["10.20.0.2-10.20.0.250"], "comment": "managed"}],
        foreign=[("/ip/pool", {"name": "dhcp", "ranges": "192.168.88.10-192.168.88.254"})],
        scope={"comment": "managed"},
        overridden=[{"name": "pppoe-pool", "ranges": ["10.10.10.2-10.10.10.200"]}],
        after_deleted=[{"name": "dhcp", "ranges": "192.168.88.10-192.168.88.254"}],
    ).run(playbook)


def test_ppp_secret(playbook):
    Lifecycle(
        module="ppp_secret",
        path="/ppp/secret",
        fields=("name", "password", "service", "profile", "remote-address", "comment"),
        secret_fields=("password",),
        merged=[{"name": "alice", "password": "alice-pw", "service": "pppoe", "remote_address": "10.10.10.5"},
                {"name": "bob", "password": "bob pw $x", "service": "pppoe"}],
        after_merged=[
            {"name": "alice", "password": "alice-pw", "service": "pppoe", "profile": "default",
             "remote-address": "10.10.10.5"},
            {"name": "bob", "password": "bob pw $x", "service": "pppoe", "profile": "default"},
        ],
        replaced=[{"name": "alice", "password": "new-pw"}],
        scope={},  # the whole menu: the task owns every secret
        overridden=[{"name": "carol", "password": "carol-pw"}],
        deleted=[{"name": "carol"}],
        after_deleted=[],
    ).run(playbook)


def routes_config(major):
    return [
        {"gateway": "10.1.1.2", "distance": 1, "check_gateway": "ping", "comment": "managed"},
        {"gateway": "10.2.2.2", "distance": 2, "check_gateway": "ping", "comment": "managed"},
        {"gateway": "10.1.1.2", "routing_table": "to_WAN1", "check_gateway": "ping", "comment": "managed"},
        {"dst_address": "172.16.5.9/16", "gateway": "10.2.2.2", "routing_table": "to_WAN2", "comment": "managed"},
    ]


def routes_after(major):
    table = "routing-mark" if major == "6" else "routing-table"
    main = {} if major == "6" else {table: "main"}
    return [
        {"dst-address": "0.0.0.0/0", "gateway": "10.1.1.2", "distance": "1", "check-gateway": "ping", **main},
        {"dst-address": "0.0.0.0/0", "gateway": "10.2.2.2", "distance": "2", "check-gateway": "ping", **main},
        {"dst-address": "0.0.0.0/0", "gateway": "10.1.1.2", "distance": "1", "check-gateway": "ping", table: "to_WAN1"},
        {"dst-address": "172.16.0.0/16", "gateway": "10.2.2.2", "distance": "1", table: "to_WAN2"},
    ]


def test_routes(playbook):
    for router in playbook.routers.values():
        Lifecycle.add_foreign(router, [("/ip/address", {"address": "10.1.1.1/30", "interface": "ether1"}),
                                       ("/ip/address", {"address": "10.2.2.1/30", "interface": "ether2"})])
    Lifecycle(
        module="routes",
        path="/ip/route",
        fields=("dst-address", "gateway", "distance", "check-gateway", "routing-mark", "routing-table"),
        merged=routes_config,
        after_merged=routes_after,
        # replaced drops check-gateway of the first route (no default: unset)
        replaced=[{"gateway": "10.1.1.2", "comment": "managed"}],
        foreign=[("/ip/route", {"dst-address": "192.168.0.0/16", "gateway": "10.2.2.2"})],
        scope={"comment": "managed"},
        overridden=[{"gateway": "10.1.1.2", "distance": 3}],
        after_deleted=lambda major: [{"dst-address": "192.168.0.0/16", "gateway": "10.2.2.2", "distance": "1",
                                      **({} if major == "6" else {"routing-table": "main"})}],
    ).run(playbook)
    tables = playbook.routers["7"].print("/routing/table")
    assert sorted(t["name"] for t in tables) == ["main", "to_WAN1", "to_WAN2"]
    assert all(t.get("fib") == "" for t in tables)


MANGLE = [
    {"comment": "accept wan1 subnet", "chain": "prerouting", "dst_address": "10.1.1.0/30", "in_interface": "ether3"},
    {"comment": "wan1 conn", "chain": "prerouting", "in_interface": "ether3", "connection_mark": "no-mark",
     "dst_address_type": "!local", "per_connection_classifier": "both-addresses:2/0",
     "action": "mark-connection", "new_connection_mark": "WAN1_conn"},
    {"comment": "wan1 route", "chain": "prerouting", "in_interface": "ether3", "connection_mark": "WAN1_conn",
     "action": "mark-routing", "new_routing_mark": "to_WAN1", "passthrough": False},
]


def test_mangle_in_order(playbook):
    Lifecycle(
        module="mangle",
        path="/ip/firewall/mangle",
        fields=("comment", "chain", "action", "new-routing-mark", "passthrough"),
        merged=MANGLE,
        after_merged=[
            {"comment": "accept wan1 subnet", "chain": "prerouting", "action": "accept"},
            {"comment": "wan1 conn", "chain": "prerouting", "action": "mark-connection", "passthrough": "true"},
            {"comment": "wan1 route", "chain": "prerouting", "action": "mark-routing", "new-routing-mark": "to_WAN1",
             "passthrough": "false"},
        ],
        # reversed order: the task moves its own rules only
        replaced=list(reversed(MANGLE)),
        foreign=[("/ip/firewall/mangle", {"chain": "forward", "comment": "by hand", "action": "accept"})],
        scope={"chain": "prerouting"},
        overridden=[MANGLE[2], {"comment": "new first", "chain": "prerouting", "action": "accept"}, MANGLE[0]],
        after_deleted=[{"comment": "by hand", "chain": "forward", "action": "accept"}],
    ).run(playbook)


def test_nat(playbook):
    Lifecycle(
        module="nat",
        path="/ip/firewall/nat",
        fields=("comment", "chain", "action", "out-interface", "to-addresses", "dst-port"),
        merged=[{"comment": "masq wan1", "chain": "srcnat", "action": "masquerade", "out_interface": "ether1"},
                {"comment": "masq wan2", "chain": "srcnat", "action": "masquerade", "out_interface": "ether2"},
                {"comment": "web", "chain": "dstnat", "action": "dst-nat", "protocol": "tcp", "dst_port": "80",
                 "to_addresses": "10.10.10.2", "in_interface": "ether1"}],
        after_merged=[
            {"comment": "masq wan1", "chain": "srcnat", "action": "masquerade", "out-interface": "ether1"},
            {"comment": "masq wan2", "chain": "srcnat", "action": "masquerade", "out-interface": "ether2"},
            {"comment": "web", "chain": "dstnat", "action": "dst-nat", "to-addresses": "10.10.10.2", "dst-port": "80"},
        ],
        replaced=[{"comment": "masq wan2", "chain": "srcnat", "action": "masquerade", "out_interface": "ether1"}],
        foreign=[("/ip/firewall/nat", {"chain": "dstnat", "action": "redirect", "comment": "other tool"})],
        scope={"chain": "srcnat"},
        overridden=[{"comment": "masq wan1", "chain": "srcnat", "action": "masquerade", "out_interface": "ether1"}],
        deleted=[{"comment": "masq wan1"}, {"comment": "web"}],
        after_deleted=[{"comment": "other tool", "chain": "dstnat", "action": "redirect"}],
    ).run(playbook)
