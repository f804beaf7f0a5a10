"""/radius (the RADIUS client's servers) and /radius/incoming (CoA / Disconnect).

Written from MikroTik's RADIUS manual pages (wiki Manual:RADIUS_Client, help.mikrotik.com
RADIUS), RouterOS's `/console/inspect` argument lists (7.15) and routeros-api.md. Facts not seen
in a primary source say "unverified".
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ..schema import SINGLE, V6, Field, Menu
from ..values import (
    Bool, Enum, Flags, Int, Invalid, IPAddress, Text, ValueType, format_duration_ms, parse_duration_ms,
)
from ._common import COMMON, ONLY_V7


@dataclass(frozen=True)
class ServerAddress(ValueType):
    """An IPv4 or IPv6 address; 7.x also takes `address@vrf`."""

    def parse(self, text, router=None):
        address, at, vrf = text.partition("@")
        if at and (not vrf or router is None or router.dialect == V6):
            raise Invalid(text)
        try:
            out = str(ipaddress.ip_address(address))
        except ValueError:
            raise Invalid(text) from None
        return f"{out}@{vrf}" if at else out


@dataclass(frozen=True)
class Timeout(ValueType):
    """`timeout`: 10ms..1m; a bare number counts milliseconds (unverified)."""

    def parse(self, text, router=None):
        ms = parse_duration_ms(text, "ms")
        if not 10 <= ms <= 60000:
            raise Invalid(text)
        return format_duration_ms(ms)


SERVICES = ("ppp", "login", "hotspot", "wireless", "dhcp", "ipsec", "dot1x")  # dot1x on 6.49: unverified

RADIUS = Menu(
    "/radius",
    [
        Field("service", Flags(SERVICES, allow_empty=True), default=""),
        Field("called-id", Text(), default=""),
        Field("domain", Text(), default=""),
        Field("address", ServerAddress(), required=True),
        Field("secret", Text(), default=""),
        Field("authentication-port", Int(1, 65535), default="1812"),
        Field("accounting-port", Int(1, 65535), default="1813"),
        Field("timeout", Timeout(), default="300ms"),
        Field("accounting-backup", Bool(), default="false"),
        Field("realm", Text(), default=""),
        Field("src-address", IPAddress(), default="0.0.0.0"),
        Field("protocol", Enum(("radsec", "udp")), default="udp"),
        Field("certificate", Text(), default="none"),
        # BlastRADIUS hardening, 7.15 and later (unverified values and default)
        Field("require-message-auth", Enum(("no", "yes-for-request-resp")), default="yes-for-request-resp",
              dialects=ONLY_V7),
        *COMMON,
    ],
    ordered=True,  # the order of the servers is significant
    on_change=lambda router, entry, op: _incoming_changed(router, entry, op),  # src-address: where to listen
)


def _incoming_changed(router, entry, op):
    """A running router listens for Disconnect/CoA-Request where /radius incoming says, on the
    address its RADIUS requests leave from."""
    from ..subscribers import incoming_changed

    incoming_changed(router)


INCOMING = Menu(
    "/radius/incoming",
    [
        Field("accept", Bool(), default="false"),
        Field("port", Int(1, 65535), default="3799"),
        Field("vrf", Text(), default="main", dialects=ONLY_V7),
    ],
    kind=SINGLE,
    builtins=[{}],
    on_change=_incoming_changed,
)

MENUS = [RADIUS, INCOMING]
