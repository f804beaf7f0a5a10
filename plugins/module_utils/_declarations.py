# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resources the modules manage, declared once as data (the facts module gathers them all).

Each declaration says which menu it is, what identifies an entry, and each field's kind,
RouterOS default and dialect spelling. Written from MikroTik's documentation
(help.mikrotik.com, the v6 wiki), not from the emulator.
"""
from __future__ import annotations

from typing import Any, Dict, List

from ._resource import COMMENT, DISABLED, V7_ONLY, Child, Ensure, Field, Resource
from ._sync import no_overlapping_networks
from ._declarations_access import GATHERABLE_ACCESS
from ._declarations_routing import ROUTING_GATHERABLE

YES_NO = ("yes", "no")
ARP_MODES = ("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")


def requires(option: str, value: str, needed: str) -> Any:
    """A check: entries with option=value must also give `needed`."""
    def check(entries: List[Dict[str, Any]]) -> List[str]:
        return ["entry %d: %s=%s needs %s" % (index, option, value, needed)
                for index, entry in enumerate(entries)
                if entry.get(option) == value and entry.get(needed) in (None, "")]
    return check


def ports_need_protocol(entries: List[Dict[str, Any]]) -> List[str]:
    """RouterOS matches ports only with a port protocol."""
    port_protocols = ("tcp", "udp", "udp-lite", "dccp", "sctp")
    return ["entry %d: %s needs protocol tcp, udp, udp-lite, dccp or sctp" % (index, option)
            for index, entry in enumerate(entries)
            for option in ("src_port", "dst_port")
            if entry.get(option) and str(entry.get("protocol") or "").lstrip("!") not in port_protocols]


# /system/identity: one value, the router's name.
IDENTITY = Resource(
    name="identity",
    path="/system/identity",
    fields=(Field("name", default="MikroTik"),),
    single=True,
)

# /ip/address: identified by the address itself (with its prefix length); network and
# broadcast are computed by RouterOS and not managed.
ADDRESS = Resource(
    name="address",
    path="/ip/address",
    identity=("address",),
    fields=(
        Field("address", "interface_address", required=True),
        Field("interface", required=True, interface=True),
        COMMENT,
        DISABLED,
    ),
    checks=(no_overlapping_networks("address"),),
)

# /interface/bridge/port: an interface is a port of at most one bridge, so it is the identity.
BRIDGE_PORT = Resource(
    name="bridge_port",
    path="/interface/bridge/port",
    identity=("interface",),
    fields=(
        Field("interface", required=True, interface=True),
        Field("bridge", required=True),
        Field("pvid", "int", default=1, minimum=1, maximum=4094),
        Field("horizon", "number_or_word", default="none"),
        Field("edge", choices=("auto", "no", "no-discover", "yes", "yes-discover"), default="auto"),
        Field("point_to_point", choices=("auto", "no", "yes"), default="auto"),
        Field("hw", "bool", default=True),
        COMMENT,
        DISABLED,
    ),
)

# /interface/bridge, with its ports nested as `ports`.
BRIDGE = Resource(
    name="bridge",
    path="/interface/bridge",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("mtu", "number_or_word", default="auto"),
        Field("arp", choices=ARP_MODES, default="enabled"),
        Field("protocol_mode", choices=("none", "rstp", "stp", "mstp"), default="rstp"),
        Field("vlan_filtering", "bool", default=False),
        Field("igmp_snooping", "bool", default=False),
        Field("fast_forward", "bool", default=True),
        Field("ageing_time", "duration", default="5m"),
        Field("auto_mac", "bool", default=True),
        Field("admin_mac"),
        COMMENT,
        DISABLED,
    ),
    children=(Child("ports", BRIDGE_PORT, parent_field="bridge"),),
    makes_interfaces=True,
)

# /ip/pool: named address ranges for PPP, Hotspot and DHCP.
POOL = Resource(
    name="pool",
    path="/ip/pool",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("ranges", "ranges", required=True),
        Field("next_pool", default="none"),
        COMMENT,
    ),
)

# /ppp/secret: local PPP users (RADIUS users live on the RADIUS server instead).
PPP_SECRET = Resource(
    name="ppp_secret",
    path="/ppp/secret",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("password", secret=True, default=""),
        Field("service", choices=("any", "async", "l2tp", "ovpn", "pppoe", "pptp", "sstp"), default="any"),
        Field("profile", default="default"),
        Field("local_address", "ipv4"),
        Field("remote_address", "ipv4"),
        Field("caller_id", default=""),
        Field("routes", default=""),
        Field("limit_bytes_in", "int", default=0, minimum=0),
        Field("limit_bytes_out", "int", default=0, minimum=0),
        COMMENT,
        DISABLED,
    ),
)

# /routing/table (7.x): policy routing tables; `main` is built in. 6.x has no such menu:
# a routing mark needs no table there.
ROUTING_TABLE = Resource(
    name="routing_table",
    path="/routing/table",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("fib", "bool", flag=True, default=False),
        COMMENT,
        DISABLED,
    ),
    builtins=(("main",),),
    dialects=V7_ONLY,
)

# A table named by a route or a mangle rule on 7.x must exist, with `fib`, before it is used.
ENSURE_ROUTING_TABLE = {"resource": ROUTING_TABLE, "target": "name", "values": {"fib": True},
                        "skip": ("main",), "dialects": V7_ONLY}

# /ip/route: static routes, identified by destination, gateway and routing table (routing-mark
# on 6.x, routing-table on 7.x). Dynamic (connected) routes are never touched.
ROUTE = Resource(
    name="routes",
    path="/ip/route",
    identity=("dst_address", "gateway", "routing_table"),
    fields=(
        Field("dst_address", "prefix", default="0.0.0.0/0"),
        Field("gateway", required=True),
        Field("routing_table", api={"6": "routing-mark", "7": "routing-table"}, default={"7": "main"}),
        Field("distance", "int", default=1, minimum=0, maximum=255),
        Field("check_gateway", choices={"6": ("arp", "ping"), "7": ("arp", "ping", "bfd", "bfd-multihop", "none")}),
        Field("scope", "int", default=30, minimum=0, maximum=255),
        Field("target_scope", "int", default=10, minimum=0, maximum=255),
        COMMENT,
        DISABLED,
    ),
    ensures=(Ensure("routing_table", **ENSURE_ROUTING_TABLE),),
)

# Matchers and tail shared by the firewall's rule menus.
RULE_MATCHERS = (
    Field("src_address", "address_match"),
    Field("dst_address", "address_match"),
    Field("src_address_list"),
    Field("dst_address_list"),
    Field("src_address_type"),
    Field("dst_address_type"),
    Field("in_interface", interface=True),
    Field("out_interface", interface=True),
    Field("in_interface_list"),
    Field("out_interface_list"),
    Field("protocol"),
    Field("src_port"),
    Field("dst_port"),
    Field("connection_state", "flags"),
    Field("connection_mark"),
    Field("packet_mark"),
    Field("per_connection_classifier"),
    Field("nth"),
    Field("log", "bool", default=False),
    Field("log_prefix", default=""),
    COMMENT,
    DISABLED,
)
RULE_CHECKS = (ports_need_protocol,)

# mangle actions after which a packet goes on to the next rule unless passthrough=no (MikroTik's
# mangle manual: passthrough is "only valid for some actions", its default is yes)
PASSTHROUGH_ACTIONS = (
    "change-dscp", "change-mss", "change-ttl", "clear-df", "mark-connection", "mark-packet", "mark-routing",
    "route", "set-priority", "sniff-pc", "sniff-tzsp", "strip-ipv4-options",
)

MANGLE_ACTIONS = (
    "accept", "add-dst-to-address-list", "add-src-to-address-list", "change-dscp", "change-mss",
    "change-ttl", "clear-df", "fasttrack-connection", "jump", "log", "mark-connection",
    "mark-packet", "mark-routing", "passthrough", "return", "route", "set-priority", "sniff-pc",
    "sniff-tzsp", "strip-ipv4-options",
)

# /ip/firewall/mangle: ordered rules, identified by their comment (unique in the task).
MANGLE = Resource(
    name="mangle",
    path="/ip/firewall/mangle",
    identity=("comment",),
    ordered=True,
    fields=(
        Field("chain", required=True),
        Field("action", choices=MANGLE_ACTIONS, default="accept"),
        Field("new_connection_mark"),
        Field("new_packet_mark"),
        Field("new_routing_mark"),
        Field("jump_target"),
        # RouterOS prints passthrough=yes after the actions it applies to, nothing after others
        Field("passthrough", "bool", reset=False, default_by=("action", dict.fromkeys(PASSTHROUGH_ACTIONS, True))),
        *RULE_MATCHERS,
    ),
    ensures=(Ensure("new_routing_mark", **ENSURE_ROUTING_TABLE),),
    checks=RULE_CHECKS + (
        requires("action", "mark-connection", "new_connection_mark"),
        requires("action", "mark-packet", "new_packet_mark"),
        requires("action", "mark-routing", "new_routing_mark"),
        requires("action", "jump", "jump_target"),
    ),
)

NAT_ACTIONS = {
    "6": ("accept", "add-dst-to-address-list", "add-src-to-address-list", "dst-nat", "jump", "log",
          "masquerade", "netmap", "passthrough", "redirect", "return", "same", "src-nat"),
}
NAT_ACTIONS["7"] = NAT_ACTIONS["6"] + ("endpoint-independent-nat",)

# /ip/firewall/nat: ordered rules, identified by their comment (unique in the task).
NAT = Resource(
    name="nat",
    path="/ip/firewall/nat",
    identity=("comment",),
    ordered=True,
    fields=(
        Field("chain", required=True),
        Field("action", choices=NAT_ACTIONS, default="accept"),
        Field("to_addresses"),
        Field("to_ports"),
        Field("jump_target"),
        *RULE_MATCHERS,
    ),
    checks=RULE_CHECKS + (
        requires("action", "dst-nat", "to_addresses"),
        requires("action", "jump", "jump_target"),
    ),
)

# Everything the facts module can gather, by the name its `gather` option takes.
GATHERABLE = {resource.name: resource for resource in (IDENTITY, ADDRESS, BRIDGE, POOL, PPP_SECRET, ROUTE, MANGLE, NAT)
              + GATHERABLE_ACCESS + ROUTING_GATHERABLE}
