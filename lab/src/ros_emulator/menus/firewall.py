"""/ip/firewall: filter, nat and mangle rules (ordered), and address lists.

Rules are ordered: `add` takes `place-before`, `move` works, and print lists them in order.
On 7.x the routing marks of mangle (`new-routing-mark`, and the `routing-mark` matcher) name
/routing/table entries; on 6.49 any name is a routing mark.

Sources: help.mikrotik.com Filter, NAT and Mangle pages, the v6 wiki firewall manual,
routeros-api.md. Texts marked "unverified" were inferred, not read from a router.
"""
from __future__ import annotations

import re
import time

from ..errors import failure
from ..schema import V6, Field, Menu
from ..values import (
    AddressMatch, Bool, Custom, Duration, Enum, Flags, Int, Invalid, InterfaceRef, Name,
    Negatable, OneOf, PortList, Ref, Text,
)
from ._common import COMMON, ONLY_V6, ONLY_V7

ROUTING_TABLE = "/routing/table"

PROTOCOLS = (
    "ddp", "dccp", "egp", "encap", "etherip", "ggp", "gre", "hmp", "icmp", "icmpv6", "idpr-cmtp",
    "igmp", "ipencap", "ipip", "ipsec-ah", "ipsec-esp", "ipv6", "ipv6-encap", "ipv6-frag",
    "ipv6-nonxt", "ipv6-opts", "ipv6-route", "iso-tp4", "l2tp", "ospf", "pim", "pup", "rdp",
    "rspf", "rsvp", "sctp", "st", "tcp", "udp", "udp-lite", "vmtp", "vrrp", "xns-idp", "xtp",
)
PORT_PROTOCOLS = ("tcp", "udp", "udp-lite", "dccp", "sctp")
PORT_FIELDS = ("src-port", "dst-port", "port")
ADDRESS_TYPES = ("unicast", "local", "broadcast", "multicast", "blackhole", "prohibit", "unreachable")
CONNECTION_STATES = ("established", "related", "new", "untracked", "invalid")  # print order unverified
PCC_CLASSIFIERS = (
    "src-address", "dst-address", "both-addresses", "src-port", "dst-port", "both-ports",
    "src-address-and-port", "dst-address-and-port", "both-addresses-and-ports",
)
P2P = ("all-p2p", "bit-torrent", "blubster", "direct-connect", "edonkey", "fasttrack", "gnutella",
       "soulseek", "warez", "winmx")


def _pcc(text: str) -> str:
    """`both-addresses:2/0`: a classifier, then `:every/remainder` with remainder < every."""
    match = re.fullmatch(r"([a-z-]+):(\d+)/(\d+)", text)
    if not match or match.group(1) not in PCC_CLASSIFIERS:
        raise Invalid(text)
    every, remainder = int(match.group(2)), int(match.group(3))
    if every < 1 or remainder >= every:
        raise Invalid(text)
    return f"{match.group(1)}:{every}/{remainder}"


def _nth(text: str) -> str:
    """`2,1`: every 2nd packet, the 1st of them (1 <= nth <= every)."""
    match = re.fullmatch(r"(\d+),(\d+)", text)
    if not match:
        raise Invalid(text)
    every, nth = int(match.group(1)), int(match.group(2))
    if every < 1 or not 1 <= nth <= every:
        raise Invalid(text)
    return f"{every},{nth}"


def _to_ports(text: str) -> str:
    if not re.fullmatch(r"\d{1,5}(-\d{1,5})?", text) or any(int(p) > 65535 for p in text.split("-")):
        raise Invalid(text)
    return text


PROTOCOL = Negatable(OneOf((Enum(PROTOCOLS), Int(0, 255))))
MARK = Negatable(Name())
V6_ROUTING_MARK = Negatable(Name())
V7_ROUTING_MARK = Negatable(Ref((ROUTING_TABLE,)))

MATCHERS = [
    Field("src-address", Negatable(AddressMatch())),
    Field("dst-address", Negatable(AddressMatch())),
    Field("src-address-list", MARK),
    Field("dst-address-list", MARK),
    Field("src-address-type", Negatable(Flags(ADDRESS_TYPES))),
    Field("dst-address-type", Negatable(Flags(ADDRESS_TYPES))),
    Field("in-interface", Negatable(InterfaceRef())),
    Field("out-interface", Negatable(InterfaceRef())),
    Field("in-interface-list", MARK),
    Field("out-interface-list", MARK),
    Field("protocol", PROTOCOL),
    Field("src-port", Negatable(PortList())),
    Field("dst-port", Negatable(PortList())),
    Field("port", Negatable(PortList())),
    Field("connection-state", Negatable(Flags(CONNECTION_STATES))),
    Field("connection-nat-state", Negatable(Flags(("srcnat", "dstnat")))),
    Field("connection-type", Negatable(Enum(("ftp", "h323", "irc", "pptp", "quake3", "sip", "tftp")))),
    Field("connection-mark", MARK),  # `no-mark` matches unmarked connections
    Field("packet-mark", MARK),
    Field("routing-mark", V6_ROUTING_MARK, dialects=ONLY_V6),
    Field("routing-mark", V7_ROUTING_MARK, dialects=ONLY_V7),
    Field("per-connection-classifier", Negatable(Custom(_pcc))),
    Field("nth", Negatable(Custom(_nth))),
    Field("tcp-flags", Negatable(Flags(("fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr")))),
    Field("icmp-options", Text()),
    Field("connection-limit", Text()),
    Field("connection-rate", Text()),
    Field("connection-bytes", Text()),
    Field("limit", Text()),
    Field("dst-limit", Text()),
    Field("random", Int(1, 99)),
    Field("packet-size", Text()),
    Field("layer7-protocol", Text()),
    Field("content", Text()),
    Field("src-mac-address", Text()),
    Field("ttl", Text()),
    Field("time", Text()),
    Field("hotspot", Text()),
    Field("ipsec-policy", Text()),
    Field("p2p", Negatable(Enum(P2P)), dialects=ONLY_V6),  # the p2p matcher is gone on 7.x
]

COMMON_TAIL = [
    Field("address-list", Name()),
    Field("address-list-timeout", Text()),
    Field("log", Bool(), default="false"),
    Field("log-prefix", Text(), default=""),
    *COMMON,
    Field("bytes", readonly=True),
    Field("packets", readonly=True),
    Field("invalid", readonly=True),
]

FILTER_ACTIONS = (
    "accept", "add-dst-to-address-list", "add-src-to-address-list", "drop", "fasttrack-connection",
    "jump", "log", "passthrough", "reject", "return", "tarpit",
)
NAT_ACTIONS_V6 = (
    "accept", "add-dst-to-address-list", "add-src-to-address-list", "dst-nat", "jump", "log",
    "masquerade", "netmap", "passthrough", "redirect", "return", "same", "src-nat",
)
NAT_ACTIONS_V7 = NAT_ACTIONS_V6 + ("endpoint-independent-nat",)
MANGLE_ACTIONS = (
    "accept", "add-dst-to-address-list", "add-src-to-address-list", "change-dscp", "change-mss",
    "change-ttl", "clear-df", "fasttrack-connection", "jump", "log", "mark-connection",
    "mark-packet", "mark-routing", "passthrough", "return", "route", "set-priority", "sniff-pc",
    "sniff-tzsp", "strip-ipv4-options",
)
# mangle actions after which the packet goes on to the next rule unless passthrough=no;
# RouterOS prints passthrough=yes on them by default
PASSTHROUGH_ACTIONS = (
    "change-dscp", "change-mss", "change-ttl", "clear-df", "mark-connection", "mark-packet",
    "mark-routing", "route", "set-priority", "sniff-pc", "sniff-tzsp", "strip-ipv4-options",
)
# an action that cannot work without its parameter (texts unverified)
ACTION_NEEDS = {
    "jump": "jump-target",
    "mark-connection": "new-connection-mark",
    "mark-packet": "new-packet-mark",
    "mark-routing": "new-routing-mark",
    "add-dst-to-address-list": "address-list",
    "add-src-to-address-list": "address-list",
}


def _rule_check(router, values, old):
    protocol = values.get("protocol", "").lstrip("!")
    if any(name in values for name in PORT_FIELDS) and protocol not in PORT_PROTOCOLS:
        raise failure("ports can be specified if proto is tcp,udp,udp-lite,dccp,sctp")
    if "tcp-flags" in values and protocol != "tcp":
        raise failure("tcp-flags works only with tcp")
    action = values.get("action", "accept")
    needed = ACTION_NEEDS.get(action)
    if needed and needed not in values:
        raise failure(f"{needed} not set")  # unverified


def _mangle_check(router, values, old):
    _rule_check(router, values, old)
    if "passthrough" not in values and values.get("action", "accept") in PASSTHROUGH_ACTIONS:
        values["passthrough"] = "true"


def _rule_compute(router, entry):
    return {"bytes": "0", "packets": "0", "invalid": "false"}


def _rule_menu(path: str, fields: list[Field], validate=_rule_check) -> Menu:
    return Menu(
        path,
        [Field("chain", Name(), required=True), *fields, *MATCHERS, *COMMON_TAIL],
        ordered=True,
        validate=validate,
        compute=_rule_compute,
    )


FILTER = _rule_menu(
    "/ip/firewall/filter",
    [
        Field("action", Enum(FILTER_ACTIONS), default="accept"),
        Field("jump-target", Name()),
        Field("reject-with", Enum((
            "icmp-admin-prohibited", "icmp-host-prohibited", "icmp-host-unreachable",
            "icmp-net-prohibited", "icmp-network-unreachable", "icmp-port-unreachable",
            "icmp-protocol-unreachable", "tcp-reset"))),
        Field("hw-offload", Bool()),
    ],
)

NAT = _rule_menu(
    "/ip/firewall/nat",
    [
        Field("action", Enum(NAT_ACTIONS_V6), default="accept", dialects=ONLY_V6),
        Field("action", Enum(NAT_ACTIONS_V7), default="accept", dialects=ONLY_V7),
        Field("jump-target", Name()),
        Field("to-addresses", AddressMatch()),
        Field("to-ports", Custom(_to_ports)),
    ],
)

MANGLE = _rule_menu(
    "/ip/firewall/mangle",
    [
        Field("action", Enum(MANGLE_ACTIONS), default="accept"),
        Field("jump-target", Name()),
        Field("new-connection-mark", Name()),
        Field("new-packet-mark", Name()),
        Field("new-routing-mark", Name(), dialects=ONLY_V6),
        Field("new-routing-mark", Ref((ROUTING_TABLE,)), dialects=ONLY_V7),
        Field("passthrough", Bool()),
        Field("new-dscp", Int(0, 63)),
        Field("new-mss", Text()),
        Field("new-ttl", Text()),
        Field("new-priority", Text()),
        Field("route-dst", Text()),
        Field("sniff-id", Int(0, 4294967295)),
        Field("sniff-target", Text()),
        Field("sniff-target-port", Int(0, 65535)),
    ],
    validate=_mangle_check,
)


# ---- address lists ----------------------------------------------------------------------------

HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?")


def _dns_name(text: str) -> str:
    # all digits and dots is a (bad) address, not a name
    if re.fullmatch(r"[\d./-]*", text) or not HOSTNAME.fullmatch(text):
        raise Invalid(text)
    return text


def stamp(router) -> str:
    """A date and time as RouterOS prints them: `jan/02/2024 12:00:00` (6.x), ISO-like (7.x)."""
    if router.dialect == V6:
        return time.strftime("%b/%d/%Y %H:%M:%S").lower()
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _address_list_check(router, values, old):
    if old is None:
        values["creation-time"] = stamp(router)


def _address_list_compute(router, entry):
    dynamic = entry.dynamic or "timeout" in entry.values or entry.values.get("dynamic") == "true"
    return {"dynamic": "true" if dynamic else "false"}


ADDRESS_LIST = Menu(
    "/ip/firewall/address-list",
    [
        Field("list", Name(), required=True),
        # an address, a range, a network, or a DNS name the router resolves (6.36 and later)
        Field("address", OneOf((AddressMatch(), Custom(_dns_name))), required=True),
        Field("timeout", Duration()),
        Field("creation-time", readonly=True),
        # 7.x: `dynamic=yes` makes an entry that is not saved with the configuration (unverified)
        Field("dynamic", Bool(), dialects=ONLY_V7, create_only=True),
        *COMMON,
    ],
    unique=[(("list", "address"), "already have such entry")],
    validate=_address_list_check,
    compute=_address_list_compute,
)

MENUS = [FILTER, NAT, MANGLE, ADDRESS_LIST]
