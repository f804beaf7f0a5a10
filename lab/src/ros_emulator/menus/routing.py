"""/routing: OSPF (6.x and 7.x, which share no menu layout), routing tables and router ids (7.x).

6.49 keeps OSPF in /routing/ospf/{instance,area,network,interface,neighbor} with a built-in
instance `default` and area `backbone`. 7.x rebuilt it: /routing/ospf/{instance,area,
interface-template,neighbor}, nothing built in, and policy routing moved to /routing/table
(built-in `main`). A path of one generation does not exist on the other.

Sources: the v6 wiki page Manual:Routing/OSPF, help.mikrotik.com OSPF and Policy Routing
pages, and API print samples published with the RouterOS Terraform provider. Values marked
"unverified" were inferred, not read.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..errors import failure
from ..schema import RUNTIME, V7, Field, Menu
from ..values import (
    Bool, Duration, Enum, Flags, Int, InterfaceRef, IPAddress, ListOf, Name, OneOf, Prefix, Ref,
    Text, ValueType,
)
from ._common import COMMON, ONLY_V6, ONLY_V7, builtin_default_flag
from .ppp import current_uptime, stamp_uptime

OSPF_INSTANCE = "/routing/ospf/instance"
OSPF_AREA = "/routing/ospf/area"
ROUTING_TABLE = "/routing/table"


@dataclass(frozen=True)
class FlagValue(ValueType):
    """A RouterOS "flag" argument (`/routing/table add fib`): present or absent, no value.

    On the API it is sent with any value (usually empty) and printed as an empty value while
    set; `unset` clears it. Any value sets it (community.routeros #368 reports `fib=yes` and
    `fib=Test` both setting the flag)."""

    def parse(self, text, router=None):
        return ""


# ---- 6.x OSPF ---------------------------------------------------------------------------

REDISTRIBUTE_V6 = Enum(("as-type-1", "as-type-2", "no"))
METRIC = Int(0, 4294967295)

OSPF_INSTANCE_V6 = Menu(
    OSPF_INSTANCE,
    [
        Field("name", Name(), required=True),
        Field("router-id", IPAddress(), default="0.0.0.0"),
        Field("distribute-default", Enum(("never", "if-installed-as-type-1", "if-installed-as-type-2",
                                          "always-as-type-1", "always-as-type-2")), default="never"),
        Field("redistribute-connected", REDISTRIBUTE_V6, default="no"),
        Field("redistribute-static", REDISTRIBUTE_V6, default="no"),
        Field("redistribute-rip", REDISTRIBUTE_V6, default="no"),
        Field("redistribute-bgp", REDISTRIBUTE_V6, default="no"),
        Field("redistribute-other-ospf", REDISTRIBUTE_V6, default="no"),
        Field("metric-default", METRIC, default="1"),
        Field("metric-connected", METRIC, default="20"),
        Field("metric-static", METRIC, default="20"),
        Field("metric-rip", METRIC, default="20"),
        # 6.x exports show metric-bgp=auto metric-other-ospf=auto (older manuals say 20): unverified
        Field("metric-bgp", OneOf((Enum(("auto",)), METRIC)), default="auto"),
        Field("metric-other-ospf", OneOf((Enum(("auto",)), METRIC)), default="auto"),
        Field("in-filter", Text(), default="ospf-in"),
        Field("out-filter", Text(), default="ospf-out"),
        Field("mpls-te-area", Text()),
        Field("mpls-te-router-id", Text()),
        Field("domain-id", Text()),
        Field("domain-tag", Int(0, 4294967295)),
        Field("routing-table", Text()),
        Field("use-dn", Bool()),
        *COMMON,
    ],
    dialects=ONLY_V6,
    name_field="name",
    unique=[(("name",), "already have instance with such name")],  # text unverified
    builtins=[{"name": "default"}],
    compute=builtin_default_flag,
)

OSPF_AREA_V6 = Menu(
    OSPF_AREA,
    [
        Field("name", Name(), required=True),
        Field("area-id", IPAddress(), required=True),  # required on 6.x: unverified
        Field("instance", Ref((OSPF_INSTANCE,)), default="default"),
        Field("type", Enum(("default", "stub", "nssa")), default="default"),
        Field("inject-summary-lsas", Bool(), default="true"),
        Field("default-cost", Int(0, 4294967295)),
        Field("translator-role", Enum(("translate-always", "translate-candidate", "translate-never"))),
        *COMMON,
    ],
    dialects=ONLY_V6,
    name_field="name",
    unique=[
        (("name",), "already have area with such name"),  # text unverified
        (("instance", "area-id"), "already have area with such area-id"),  # text unverified
    ],
    builtins=[{"name": "backbone", "area-id": "0.0.0.0", "instance": "default"}],
    compute=builtin_default_flag,
)

OSPF_NETWORK_V6 = Menu(
    "/routing/ospf/network",
    [
        Field("network", Prefix(), required=True),
        Field("area", Ref((OSPF_AREA,)), required=True),
        Field("invalid", readonly=True),
        *COMMON,
    ],
    dialects=ONLY_V6,
    compute=lambda router, entry: {"invalid": "false"},
)

OSPF_INTERFACE_V6 = Menu(
    "/routing/ospf/interface",
    [
        Field("interface", InterfaceRef("all"), required=True),
        Field("cost", Int(1, 65535), default="10"),
        Field("priority", Int(0, 255), default="1"),
        Field("authentication", Enum(("none", "simple", "md5")), default="none"),
        Field("authentication-key", Text(), default=""),
        Field("authentication-key-id", Int(0, 255), default="1"),
        Field("network-type", Enum(("default", "broadcast", "nbma", "point-to-point", "ptmp")), default="default"),
        Field("instance-id", Int(0, 255), default="0"),
        Field("passive", Bool(), default="false"),
        Field("use-bfd", Bool(), default="false"),
        Field("retransmit-interval", Duration(), default="5s"),
        Field("transmit-delay", Duration(), default="1s"),
        Field("hello-interval", Duration(), default="10s"),
        Field("dead-interval", Duration(), default="40s"),
        *COMMON,
    ],
    dialects=ONLY_V6,
)

def _neighbor_added(router, entry, op):
    """A new neighbour: its adjacency time counts from now."""
    if op == "add" and "adjacency" not in entry.values:
        stamp_uptime(entry)


def _neighbor_compute(router, entry):
    """`adjacency` grows while the neighbour lasts; 7.x `timeout` counts the dead interval (40s)
    down between hellos (every 10s)."""
    if "_since" not in entry.values:
        return {}
    computed = {"adjacency": current_uptime(entry)}
    if router.dialect == V7:
        computed["timeout"] = f"{40 - int(time.time() - float(entry.values['_since'])) % 10}s"
    return computed


OSPF_NEIGHBOR_V6 = Menu(
    "/routing/ospf/neighbor",
    [Field(name, readonly=True) for name in (
        "instance", "router-id", "address", "interface", "priority", "dr-address",
        "backup-dr-address", "state", "state-changes", "ls-retransmits", "ls-requests",
        "db-summaries", "adjacency")],
    kind=RUNTIME,
    dialects=ONLY_V6,
    on_change=_neighbor_added,
    compute=_neighbor_compute,
)

# ---- 7.x OSPF -----------------------------------------------------------------------------

ROUTING_ID = "/routing/id"

OSPF_INSTANCE_V7 = Menu(
    OSPF_INSTANCE,
    [
        Field("name", Name(), required=True),
        Field("version", Int(2, 3), default="2"),
        Field("vrf", Text(), default="main"),
        # an address, or the name of a /routing/id entry (`main` is the router's own)
        Field("router-id", OneOf((IPAddress(), Ref((ROUTING_ID,), special=("main",)))), default="main"),
        Field("redistribute", Flags(("connected", "static", "bgp", "rip", "ospf", "dhcp", "fantasy",
                                     "modem", "vpn", "copy"), allow_empty=True)),
        Field("originate-default", Enum(("always", "if-installed", "never")), default="never"),
        Field("in-filter-chain", Text()),
        Field("out-filter-chain", Text()),
        Field("out-filter-select", Text()),
        Field("domain-id", Text()),
        Field("domain-tag", Int(0, 4294967295)),
        Field("mpls-te-address", Text()),
        Field("mpls-te-area", Text()),
        Field("use-dn", Bool()),
        *COMMON,
    ],
    dialects=ONLY_V7,
    name_field="name",
    unique=[(("name",), "already have instance with such name")],  # text unverified
)

OSPF_AREA_V7 = Menu(
    OSPF_AREA,
    [
        Field("name", Name(), required=True),
        Field("area-id", IPAddress(), default="0.0.0.0"),
        Field("instance", Ref((OSPF_INSTANCE,)), required=True),
        Field("type", Enum(("default", "stub", "nssa")), default="default"),
        Field("default-cost", Int(0, 4294967295)),
        Field("no-summaries", FlagValue()),
        Field("nssa-translate", Enum(("no", "yes", "candidate"))),
        *COMMON,
    ],
    dialects=ONLY_V7,
    name_field="name",
    unique=[
        (("name",), "already have area with such name"),  # text unverified
        (("instance", "area-id"), "already have area with such area-id"),  # text unverified
    ],
)

OSPF_TEMPLATE_V7 = Menu(
    "/routing/ospf/interface-template",
    [
        Field("interfaces", ListOf(InterfaceRef())),
        Field("networks", ListOf(Prefix())),
        Field("area", Ref((OSPF_AREA,)), required=True),
        Field("type", Enum(("broadcast", "nbma", "ptp", "ptmp", "ptp-unnumbered", "virtual-link")), default="broadcast"),
        Field("cost", Int(0, 65535), default="1"),
        Field("priority", Int(0, 255), default="128"),
        Field("instance-id", Int(0, 255), default="0"),
        Field("hello-interval", Duration(), default="10s"),
        Field("dead-interval", Duration(), default="40s"),
        Field("retransmit-interval", Duration(), default="5s"),
        Field("transmit-delay", Duration(), default="1s"),
        Field("passive", FlagValue()),  # a flag on 7.x, printed empty while set (unverified)
        Field("auth", Enum(("simple", "md5", "sha1", "sha256", "sha384", "sha512"))),
        Field("auth-id", Int(0, 255)),
        Field("auth-key", Text()),
        Field("prefix-list", Text()),
        Field("vlink-neighbor-id", IPAddress()),
        Field("vlink-transit-area", Text()),
        Field("use-bfd", Bool()),
        Field("inactive", readonly=True),
        *COMMON,
    ],
    dialects=ONLY_V7,
    compute=lambda router, entry: {"inactive": "true" if entry.values.get("disabled") == "true" else "false"},
)

OSPF_NEIGHBOR_V7 = Menu(
    "/routing/ospf/neighbor",
    [Field(name, readonly=True) for name in (
        "instance", "area", "address", "interface", "priority", "router-id", "dr", "bdr", "state",
        "state-changes", "adjacency", "timeout", "dynamic")],
    kind=RUNTIME,
    dialects=ONLY_V7,
    on_change=_neighbor_added,
    compute=_neighbor_compute,
)

# ---- 7.x routing tables and router ids ------------------------------------------------------


def _table_check(router, values, old):
    # `main` is the router's own table: listed as dynamic, not editable
    if old is not None and old.get("name") == "main" and values != old:
        raise failure("cannot change dynamic")


ROUTING_TABLE_V7 = Menu(
    ROUTING_TABLE,
    [
        Field("name", Name(), required=True),
        Field("fib", FlagValue()),
        Field("invalid", readonly=True),
        *COMMON,
    ],
    dialects=ONLY_V7,
    name_field="name",
    unique=[(("name",), "already have table with such name")],  # text unverified
    # seen on 7.x: `.id=*0 dynamic=true fib= invalid=false name=main`
    builtins=[{".id": "*0", "name": "main", "fib": ""}],
    validate=_table_check,
    compute=lambda router, entry: {"invalid": "false", **({"dynamic": "true"} if entry.builtin else {})},
)

ROUTING_ID_V7 = Menu(
    ROUTING_ID,
    [
        Field("name", Name(), required=True),
        Field("id", IPAddress()),
        Field("select-dynamic-id", Flags(("any", "only-active", "only-loopback", "only-static", "only-vrf"), allow_empty=True)),
        Field("select-from-vrf", Text()),
        Field("dynamic-id", readonly=True),
        *COMMON,
    ],
    dialects=ONLY_V7,
    name_field="name",
    unique=[(("name",), "already have id with such name")],  # text unverified
)

MENUS = [
    OSPF_INSTANCE_V6, OSPF_AREA_V6, OSPF_NETWORK_V6, OSPF_INTERFACE_V6, OSPF_NEIGHBOR_V6,
    OSPF_INSTANCE_V7, OSPF_AREA_V7, OSPF_TEMPLATE_V7, OSPF_NEIGHBOR_V7,
    ROUTING_TABLE_V7, ROUTING_ID_V7,
]
