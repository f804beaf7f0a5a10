# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routing and services: DHCP client, OSPF, RADIUS client, netwatch and /ip service.

Written from MikroTik's documentation (help.mikrotik.com, the v6 wiki), not from the emulator.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Dict, List

from ._resource import COMMENT, DISABLED, V7_ONLY, Bundle, Field, Resource, Section
from ._values import as_text

# /ip/dhcp-client: one client per interface. A client added on 6.x is disabled unless told
# otherwise (6.x exports spell `disabled=no` out); on 7.x it runs.
DHCP_CLIENT = Resource(
    name="dhcp_client",
    path="/ip/dhcp-client",
    identity=("interface",),
    fields=(
        Field("interface", required=True, interface=True),
        Field("add_default_route", choices=("yes", "no", "special-classless"), default="yes"),
        Field("default_route_distance", "int", default=1, minimum=0, maximum=255),
        Field("use_peer_dns", "bool", default=True),
        Field("use_peer_ntp", "bool", default=True),
        Field("script", default=""),
        COMMENT,
        Field("disabled", "bool", default={"6": True, "7": False}),
    ),
)

# ---- OSPF: 6.x and 7.x share no layout, so each option says how each dialect spells it ----

OSPF_REDISTRIBUTE = ("connected", "static", "rip", "bgp")

# /routing/ospf/instance: 6.x has a built-in `default`; 7.x none. 6.x spells redistribution as
# one field per protocol (redistribute-connected=as-type-1), 7.x as one list.
OSPF_INSTANCE = Resource(
    name="ospf_instance",
    path="/routing/ospf/instance",
    identity=("name",),
    fields=(
        Field("name", required=True),
        # automatic: 0.0.0.0 on 6.x, the router's own id (`main`) on 7.x
        Field("router_id", default={"6": "0.0.0.0", "7": "main"}),
        Field("redistribute", "flags", choices=OSPF_REDISTRIBUTE, default="",
              spread={"6": ("redistribute-%s", "as-type-1", "no")}),
        Field("originate_default", api={"6": "distribute-default", "7": "originate-default"},
              choices={"6": ("never", "if-installed-as-type-1", "if-installed-as-type-2", "always-as-type-1",
                             "always-as-type-2"),
                       "7": ("never", "if-installed", "always")}, default="never"),
        Field("version", "int", default=2, dialects=V7_ONLY, minimum=2, maximum=3),
        COMMENT,
        DISABLED,
    ),
    builtins={"6": (("default",),)},
)

# /routing/ospf/area: 6.x has a built-in `backbone` (0.0.0.0) in instance `default`.
OSPF_AREA = Resource(
    name="ospf_area",
    path="/routing/ospf/area",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("area_id", "ipv4", required=True),
        # 6.x defaults to its built-in instance; 7.x needs it named: the module names `default`
        Field("instance", default={"6": "default"}, module_default="default"),
        Field("type", choices=("default", "stub", "nssa"), default="default"),
        COMMENT,
        DISABLED,
    ),
    builtins={"6": (("backbone",),)},
)

# Networks in an area: a /routing/ospf/network entry (one network) on 6.x, an interface template
# (`networks`, one or more) on 7.x; a list on both, so a template with several networks gathers
# as it is and feeds back unchanged.
OSPF_NETWORK = Resource(
    name="ospf_network",
    path={"6": "/routing/ospf/network", "7": "/routing/ospf/interface-template"},
    identity=("network",),
    fields=(
        Field("network", "prefix_list", api={"6": "network", "7": "networks"}, required=True, max_items={"6": 1}),
        Field("area", required=True),
        COMMENT,
        DISABLED,
    ),
)


OSPF = Bundle(
    name="ospf",
    sections=(
        Section("instances", OSPF_INSTANCE),
        Section("areas", OSPF_AREA),
        Section("networks", OSPF_NETWORK),
    ),
)

# ---- RADIUS client ----

RADIUS_SERVICES = ("ppp", "login", "hotspot", "wireless", "dhcp", "ipsec", "dot1x")

# /radius: servers, tried in menu order; a server is its address and the services it serves.
RADIUS_SERVER = Resource(
    name="radius_server",
    path="/radius",
    identity=("address", "service"),
    ordered=True,
    fields=(
        Field("address", "ipv4", required=True),
        Field("service", "flags", choices=RADIUS_SERVICES, default=""),
        Field("secret", secret=True, default=""),
        Field("authentication_port", "int", default=1812, minimum=1, maximum=65535),
        Field("accounting_port", "int", default=1813, minimum=1, maximum=65535),
        Field("timeout", "duration", default="300ms"),
        Field("src_address", "ipv4", default="0.0.0.0"),
        Field("called_id", default=""),
        Field("domain", default=""),
        Field("realm", default=""),
        Field("accounting_backup", "bool", default=False),
        # BlastRADIUS hardening (7.15 and later)
        Field("require_message_auth", choices=("no", "yes-for-request-resp"), default="yes-for-request-resp",
              dialects=V7_ONLY),
        COMMENT,
        DISABLED,
    ),
)

# /ppp/aaa: whether PPP asks RADIUS, and accounting.
PPP_AAA = Resource(
    name="ppp_aaa",
    path="/ppp/aaa",
    single=True,
    fields=(
        Field("use_radius", "bool", default=False),
        Field("accounting", "bool", default=True),
        Field("interim_update", "duration", default="0s"),
        Field("use_circuit_id_in_nas_port_id", "bool", default=False),
    ),
)

# /radius/incoming: CoA and Disconnect-Request from the RADIUS server.
RADIUS_INCOMING = Resource(
    name="radius_incoming",
    path="/radius/incoming",
    single=True,
    fields=(
        Field("accept", "bool", default=False),
        Field("port", "int", default=3799, minimum=1, maximum=65535),
    ),
)

RADIUS = Bundle(
    name="radius",
    sections=(
        Section("servers", RADIUS_SERVER),
        Section("ppp_aaa", PPP_AAA),
        Section("incoming", RADIUS_INCOMING),
    ),
)

# ---- netwatch ----

NETWATCH_TYPES = ("simple", "icmp", "tcp-conn", "http-get", "https-get", "dns")


def netwatch_hosts(entries: List[Dict[str, Any]]) -> List[str]:
    """A host is an address, except for 7.x's dns probes, which resolve a name."""
    errors = []
    for index, entry in enumerate(entries):
        if entry.get("type") == "dns" or entry.get("host") is None:
            continue
        try:
            ipaddress.ip_address(as_text(entry["host"]).split("@", 1)[0])
        except ValueError:
            errors.append("entry %d: host %r is not an IP address" % (index, entry["host"]))
    return errors


# /tool/netwatch: one watcher per host. 7.x (7.4 and later) adds probe types, names and
# thresholds; 6.x has the plain ping watcher.
NETWATCH = Resource(
    name="netwatch",
    path="/tool/netwatch",
    identity=("host",),
    fields=(
        Field("host", required=True),
        # 6.x prints its defaults; 7.x applies 10s and 3s without printing them
        Field("interval", "duration", default={"6": "1m"}),
        Field("timeout", "duration", default={"6": "1s"}),
        Field("up_script", default=""),
        Field("down_script", default=""),
        Field("name", dialects=V7_ONLY),
        Field("type", choices=NETWATCH_TYPES, default="simple", dialects=V7_ONLY),
        Field("test_script", default="", dialects=V7_ONLY),
        Field("src_address", "ipv4", dialects=V7_ONLY),
        Field("port", "int", minimum=1, maximum=65535, dialects=V7_ONLY),
        Field("packet_count", "int", minimum=1, maximum=10000, dialects=V7_ONLY),
        Field("thr_max", "duration", dialects=V7_ONLY),
        Field("thr_avg", "duration", dialects=V7_ONLY),
        Field("thr_loss_count", "int", minimum=0, dialects=V7_ONLY),
        COMMENT,
        DISABLED,
    ),
    checks=(netwatch_hosts,),
)


# ---- /ip/service: the router's own services, set only ----

SERVICE_NAMES = ("api", "api-ssl", "ftp", "ssh", "telnet", "winbox", "www", "www-ssl")


SERVICE = Resource(
    name="service",
    path="/ip/service",
    identity=("name",),
    fixed=True,
    fields=(
        Field("name", choices=SERVICE_NAMES, required=True),
        Field("port", "int", minimum=1, maximum=65535, reset=False),  # each service has its own default
        Field("address", "prefix_list", default=""),
        Field("certificate", reset=False),  # TLS services only
        DISABLED,
    ),
    builtins=tuple((name,) for name in SERVICE_NAMES),
)

ROUTING_GATHERABLE = (DHCP_CLIENT, NETWATCH, SERVICE, OSPF, RADIUS)
