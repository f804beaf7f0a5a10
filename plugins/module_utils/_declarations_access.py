# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The subscriber side's resources: PPP profiles, PPPoE servers, Hotspot, Hotspot users, DHCP
servers. Written from MikroTik's documentation (help.mikrotik.com, the v6 wiki), not from the
emulator; `_declarations.GATHERABLE` lists them for the facts module.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Dict, List

from ._resource import COMMENT, DISABLED, V7_ONLY, Bundle, Field, Resource, Section
from ._values import as_text

YES_NO_DEFAULT = ("default", "no", "yes")
YES_NO_DEFAULT_REQUIRED = ("default", "no", "required", "yes")
PPP_AUTHENTICATION = ("pap", "chap", "mschap1", "mschap2")
HOTSPOT_LOGIN_BY = ("mac", "cookie", "http-chap", "https", "http-pap", "trial", "mac-cookie")


def network_addresses(option: str) -> Any:
    """A check: the option is a network address (10.5.50.0/24), as RouterOS's DHCP networks need."""
    def check(entries: List[Dict[str, Any]]) -> List[str]:
        errors = []
        for index, entry in enumerate(entries):
            text = as_text(entry.get(option))
            try:
                address = ipaddress.IPv4Interface(text)
            except ValueError:
                continue  # reported by the field check
            if address.ip != address.network.network_address:
                errors.append("entry %d: %s %s is not a network address (did you mean %s?)"
                              % (index, option, text, address.network))
        return errors
    return check


# /ppp/profile: session settings (addresses, DNS, rate limit) PPP users get. `default` and
# `default-encryption` are built in: they can be changed, never removed.
PPP_PROFILE = Resource(
    name="ppp_profile",
    path="/ppp/profile",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("local_address"),  # an address or the name of an /ip/pool
        Field("remote_address"),  # an address or the name of an /ip/pool
        Field("dns_server", "ipv4_list"),
        Field("rate_limit", "rate_limit"),
        Field("only_one", choices=YES_NO_DEFAULT, default="default"),
        # built-in profiles differ from added ones (change-tcp-mss=yes): replaced leaves them alone
        Field("change_tcp_mss", choices=YES_NO_DEFAULT, default="default", reset=False),
        Field("use_encryption", choices=YES_NO_DEFAULT_REQUIRED, default="default", reset=False),
        Field("use_compression", choices=YES_NO_DEFAULT, default="default"),
        Field("address_list", default=""),
        Field("idle_timeout", "duration"),
        Field("session_timeout", "duration"),
        Field("bridge"),
        Field("on_up", default=""),
        Field("on_down", default=""),
        COMMENT,
    ),
    builtins=(("default",), ("default-encryption",)),
)

# /interface/pppoe-server/server: a PPPoE service on an interface. Several services may share an
# interface, so interface and service name together identify one. RouterOS adds a server
# disabled; the module's default is a server that runs (disabled=false).
PPPOE_SERVER = Resource(
    name="pppoe_server",
    path="/interface/pppoe-server/server",
    identity=("interface", "service_name"),
    fields=(
        Field("interface", required=True, interface=True),
        Field("service_name", required=True),
        Field("default_profile", default="default"),
        Field("authentication", "flags", choices=PPP_AUTHENTICATION, default="pap,chap,mschap1,mschap2"),
        Field("one_session_per_host", "bool", default=False),
        Field("max_sessions", "number_or_word", default="unlimited"),
        Field("keepalive_timeout", "number_or_word", default=10),
        Field("max_mtu", "number_or_word", default="auto"),
        Field("max_mru", "number_or_word", default="auto"),
        Field("mrru", "number_or_word", default="disabled"),
        Field("pado_delay", "int", default=0, minimum=0, maximum=60000),
        Field("accept_empty_service", "bool", default=True, dialects=V7_ONLY),
        Field("comment", dialects=V7_ONLY),
        Field("disabled", "bool", default=True, module_default=False),
    ),
)

# /ip/hotspot/user/profile: what a logged-in Hotspot user gets. `default` is built in.
HOTSPOT_USER_PROFILE = Resource(
    name="hotspot_user_profile",
    path="/ip/hotspot/user/profile",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("rate_limit", "rate_limit", default=""),
        Field("shared_users", "number_or_word", default=1),
        Field("address_pool", default="none"),
        Field("session_timeout", "duration"),
        Field("idle_timeout", "duration_or_word", default="none"),
        Field("keepalive_timeout", "duration_or_word", default="2m"),
        Field("status_autorefresh", "duration_or_word", default="1m"),
        Field("add_mac_cookie", "bool", default=True),
        Field("mac_cookie_timeout", "duration", default="3d"),
        Field("address_list", default=""),
        Field("open_status_page", choices=("always", "http-login"), default="always"),
        Field("transparent_proxy", "bool", default=False),
        Field("incoming_filter"),
        Field("outgoing_filter"),
        Field("parent_queue"),
        Field("on_login", default=""),
        Field("on_logout", default=""),
    ),
    builtins=(("default",),),
)

# /ip/hotspot/profile: a Hotspot server's login settings (login page DNS name, login methods,
# RADIUS). `default` is built in.
HOTSPOT_PROFILE = Resource(
    name="hotspot_profile",
    path="/ip/hotspot/profile",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("hotspot_address", "ipv4", default="0.0.0.0"),
        Field("dns_name", default=""),
        # `hotspot`, or `flash/hotspot` on boards with flash storage (the same directory to the
        # comparison; a check run there predicts `hotspot` for a new profile); never reset
        Field("html_directory", "storage_path", default="hotspot", reset=False),
        Field("login_by", "flags", choices=HOTSPOT_LOGIN_BY, default="cookie,http-chap"),
        Field("http_cookie_lifetime", "duration", default="3d"),
        Field("rate_limit", "rate_limit", default=""),
        Field("smtp_server", "ipv4", default="0.0.0.0"),
        Field("split_user_domain", "bool", default=False),
        Field("install_hotspot_queue", "bool", default=False),
        Field("use_radius", "bool", default=False),
        Field("radius_accounting", "bool", default=True),
        Field("radius_interim_update", "duration_or_word", default="received"),
        Field("radius_default_domain", default=""),
        Field("radius_location_id", default=""),
        Field("radius_location_name", default=""),
        Field("nas_port_type", default="wireless-802.11"),
        Field("trial_uptime_limit", "duration", default="30m"),
        Field("trial_user_profile", default="default"),
    ),
    builtins=(("default",),),
)

# /ip/hotspot: a Hotspot server on an interface (one per interface).
HOTSPOT_SERVER = Resource(
    name="hotspot_server",
    path="/ip/hotspot",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("interface", required=True, interface=True),
        Field("address_pool", default="none"),
        Field("profile", default="default"),
        Field("idle_timeout", "duration_or_word", default="5m"),
        Field("keepalive_timeout", "duration_or_word", default="none"),
        Field("login_timeout", "duration_or_word", default="none"),
        Field("addresses_per_mac", "number_or_word", default=2),
        DISABLED,
    ),
)

# A Hotspot: user profiles (a server profile names its trial user profile), then server
# profiles, then the servers that use them; removed in the reverse order.
HOTSPOT = Bundle(
    name="hotspot",
    sections=(
        Section("user_profiles", HOTSPOT_USER_PROFILE),
        Section("profiles", HOTSPOT_PROFILE),
        Section("servers", HOTSPOT_SERVER),
    ),
)

# /ip/hotspot/user: local Hotspot users (RADIUS users live on the RADIUS server instead).
HOTSPOT_USER = Resource(
    name="hotspot_user",
    path="/ip/hotspot/user",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("password", secret=True, default=""),
        Field("server", default="all"),
        Field("profile", default="default"),
        Field("address", "ipv4"),
        Field("mac_address"),
        Field("email"),
        Field("routes"),
        Field("limit_uptime", "duration"),
        Field("limit_bytes_in", "int", minimum=0),
        Field("limit_bytes_out", "int", minimum=0),
        Field("limit_bytes_total", "int", minimum=0),
        COMMENT,
        DISABLED,
    ),
)

# /ip/dhcp-server: a DHCP server on an interface. 6.x adds a server disabled, 7.x enabled; the
# module's default is a server that runs (disabled=false) on both.
DHCP_SERVER_ENTRY = Resource(
    name="dhcp_server",
    path="/ip/dhcp-server",
    identity=("name",),
    fields=(
        Field("name", required=True),
        Field("interface", required=True, interface=True),
        Field("address_pool", default="static-only"),
        Field("lease_time", "duration", default={"6": "10m", "7": "30m"}),
        Field("authoritative", choices=("after-10sec-delay", "after-2sec-delay", "no", "yes"), default="yes"),
        Field("bootp_support", choices=("none", "static", "dynamic"), default="static"),
        Field("add_arp", "bool", default=False),
        Field("always_broadcast", "bool", default=False),
        Field("relay", "ipv4", default="0.0.0.0"),
        Field("src_address", "ipv4", default="0.0.0.0"),
        Field("lease_script", default=""),
        # a boolean on 6.x; 7.x adds `accounting` (RADIUS accounting only)
        Field("use_radius", "switch", choices={"6": ("yes", "no"), "7": ("yes", "no", "accounting")}, default="no"),
        COMMENT,
        Field("disabled", "bool", default={"6": True, "7": False}, module_default=False),
    ),
)

# /ip/dhcp-server/network: what clients in a network are told (gateway, DNS); identified by the
# network address. A network cannot be disabled.
DHCP_NETWORK = Resource(
    name="dhcp_network",
    path="/ip/dhcp-server/network",
    identity=("address",),
    fields=(
        Field("address", "interface_address", required=True),
        Field("gateway", "ipv4_list", default=""),
        Field("netmask", "int", minimum=0, maximum=32),
        Field("dns_server", "ipv4_list", default=""),
        Field("ntp_server", "ipv4_list", default=""),
        Field("domain"),
        Field("next_server", "ipv4"),
        Field("boot_file_name"),
        Field("dhcp_option", default=""),
        COMMENT,
    ),
    checks=(network_addresses("address"),),
)

# A DHCP service: servers and the networks they hand out.
DHCP_SERVER = Bundle(
    name="dhcp_server",
    sections=(
        Section("servers", DHCP_SERVER_ENTRY),
        Section("networks", DHCP_NETWORK),
    ),
)

GATHERABLE_ACCESS = (PPP_PROFILE, PPPOE_SERVER, HOTSPOT, HOTSPOT_USER, DHCP_SERVER)
