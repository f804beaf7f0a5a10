"""Unit tests of value parsing (ros_emulator.values): what a client sends -> what RouterOS prints."""
from __future__ import annotations

import pytest

from ros_emulator import start_router
from ros_emulator.values import (
    AddressMatch, Bool, Duration, Enum, Flags, Int, Interface, Invalid, IPAddress, ListOf, MacAddress, Name,
    Negatable, NoMatch, OutOfRange, PortList, Prefix, Ranges, RateLimit, Ref, Text, format_duration_ms,
    parse_duration_ms,
)

# ---- durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize("given,printed", [
    ("5m", "5m"),
    ("1h30m", "1h30m"),
    ("00:05:00", "5m"),
    ("90s", "1m30s"),
    ("1d00:00:00", "1d"),
    ("8d", "1w1d"),
    ("300ms", "300ms"),
    ("1500ms", "1s500ms"),
    ("10", "10s"),  # a bare number is seconds
    ("0", "0s"),
    ("0s", "0s"),
    ("1h90m", "2h30m"),
    ("01:30:00", "1h30m"),
    ("2d03:04:05", "2d3h4m5s"),
    ("00:00:01.5", "1s500ms"),
    ("1w2d3h4m5s", "1w2d3h4m5s"),
    ("3d", "3d"),
    ("14d", "2w"),
    ("86400", "1d"),
])
def test_durations_print_compact(given, printed):
    assert Duration().parse(given) == printed


@pytest.mark.parametrize("given", ["", "5x", "m5", "1h 30m", "5mm", "1:2", "-5m", "five"])
def test_invalid_durations(given):
    with pytest.raises(Invalid):
        Duration().parse(given)


def test_duration_bare_unit_and_limit():
    assert Duration(bare_unit="ms").parse("300") == "300ms"
    assert parse_duration_ms("2m", bare_unit="ms") == 120_000
    with pytest.raises(Invalid):
        Duration(max_ms=60_000).parse("2m")
    assert format_duration_ms(604_800_000 + 1) == "1w1ms"


# ---- booleans, numbers, words ------------------------------------------------------------------------

@pytest.mark.parametrize("given,printed", [("yes", "true"), ("true", "true"), ("no", "false"), ("false", "false")])
def test_booleans(given, printed):
    assert Bool().parse(given) == printed


@pytest.mark.parametrize("given", ["", "1", "0", "on", "off", "y"])
def test_invalid_booleans(given):
    with pytest.raises(Invalid):
        Bool().parse(given)


def test_integers_and_ranges():
    assert Int(0, 255).parse("10") == "10"
    assert Int(0, 65535).parse("0x8000") == "32768"
    with pytest.raises(Invalid):
        Int().parse("ten")
    with pytest.raises(OutOfRange) as info:
        Int(1, 4094).parse("4095")
    assert (info.value.low, info.value.high) == (1, 4094)


def test_enums_and_names():
    assert Enum(("rstp", "stp")).parse("stp") == "stp"
    with pytest.raises(NoMatch):
        Enum(("rstp", "stp")).parse("STP")
    assert Name().parse("br-lan") == "br-lan"
    with pytest.raises(Invalid):
        Name().parse("")
    with pytest.raises(Invalid):
        Text(max_length=3).parse("abcd")


def test_flags_print_in_routeros_order_not_the_clients():
    auth = Flags(("pap", "chap", "mschap1", "mschap2"))
    assert auth.parse("mschap2,pap") == "pap,mschap2"
    assert auth.parse("mschap2,mschap1,chap,pap") == "pap,chap,mschap1,mschap2"
    assert auth.parse("chap,chap") == "chap"
    with pytest.raises(NoMatch):
        auth.parse("pap,eap")
    with pytest.raises(Invalid):
        auth.parse("")
    assert Flags(("a", "b"), allow_empty=True).parse("") == ""


# ---- addresses ---------------------------------------------------------------------------------------

def test_ip_addresses():
    assert IPAddress().parse("10.0.0.1") == "10.0.0.1"
    for bad in ("10.0.0.256", "10.0.0", "10.0.0.1/24", "host", ""):
        with pytest.raises(Invalid):
            IPAddress().parse(bad)


def test_interface_addresses_keep_host_bits():
    assert Interface().parse("10.0.0.5/24") == "10.0.0.5/24"
    assert Interface().parse("192.168.88.1") == "192.168.88.1/32"
    for bad in ("10.0.0.5/33", "10.0.0.5/", "10.0.0.5/x", "300.0.0.1/24"):
        with pytest.raises(Invalid):
            Interface().parse(bad)


def test_prefixes_clear_host_bits():
    assert Prefix().parse("10.0.0.5/8") == "10.0.0.0/8"
    assert Prefix().parse("192.168.1.77/30") == "192.168.1.76/30"
    assert Prefix().parse("10.1.2.3") == "10.1.2.3/32"
    assert Prefix().parse("0.0.0.0/0") == "0.0.0.0/0"
    for bad in ("10.0.0.0/40", "10.0.0.0/"):
        with pytest.raises(Invalid):
            Prefix().parse(bad)


def test_firewall_address_matchers():
    match = AddressMatch()
    assert match.parse("10.0.0.1") == "10.0.0.1"  # a /32 prints without its mask
    assert match.parse("10.0.0.1/32") == "10.0.0.1"
    assert match.parse("10.0.0.5/24") == "10.0.0.0/24"
    assert match.parse("10.0.0.1-10.0.0.9") == "10.0.0.1-10.0.0.9"
    with pytest.raises(Invalid):
        match.parse("10.0.0.9-10.0.0.1")
    assert Negatable(match).parse("!192.168.0.0/16") == "!192.168.0.0/16"
    assert Negatable(Enum(("local",))).parse("!local") == "!local"


def test_pool_ranges():
    ranges = Ranges()
    assert ranges.parse("10.10.10.2-10.10.10.254") == "10.10.10.2-10.10.10.254"
    assert ranges.parse("10.0.0.2-10.0.0.9,10.0.1.1") == "10.0.0.2-10.0.0.9,10.0.1.1"
    for bad in ("", "10.0.0.9-10.0.0.2", "10.0.0.2-x", "nope"):
        with pytest.raises(Invalid):
            ranges.parse(bad)


def test_mac_addresses_print_upper_case():
    assert MacAddress().parse("02:aa:bb:cc:dd:0e") == "02:AA:BB:CC:DD:0E"
    for bad in ("02:aa:bb:cc:dd", "02-aa-bb-cc-dd-ee", "zz:aa:bb:cc:dd:ee"):
        with pytest.raises(Invalid):
            MacAddress().parse(bad)


def test_lists():
    servers = ListOf(IPAddress())
    assert servers.parse("8.8.8.8,1.1.1.1") == "8.8.8.8,1.1.1.1"
    assert servers.parse("") == ""
    with pytest.raises(Invalid):
        servers.parse("8.8.8.8,nope")
    with pytest.raises(Invalid):
        ListOf(IPAddress(), allow_empty=False).parse("")


def test_port_lists():
    assert PortList().parse("80,443") == "80,443"
    assert PortList().parse("1000-2000") == "1000-2000"
    for bad in ("70000", "http", "80-", "1-2-3"):
        with pytest.raises(Invalid):
            PortList().parse(bad)


# ---- rates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("given", [
    "10M/10M",
    "10M",
    "512k/1M",
    "2M/4M 4M/8M 1M/2M 16/16",
    "2M/4M 4M/8M 1M/2M 16/16 8",
    "2M/4M 4M/8M 1M/2M 16/16 8 1M/2M",
    "1.5M/3M",
    "0/0",
])
def test_rate_limits(given):
    assert RateLimit().parse(given) == given


@pytest.mark.parametrize("given", ["", "10Mbps", "fast", "10M/10M/10M", "10M/10M 5M/5M 1M/1M 16/16 9", "10M  10M"])
def test_invalid_rate_limits(given):
    with pytest.raises(Invalid):
        RateLimit().parse(given)


# ---- references ----------------------------------------------------------------------------------------

def test_references_need_an_existing_target():
    handle = start_router()
    try:
        bridge = Ref(("/interface/bridge",), special=("none",))
        with pytest.raises(NoMatch):
            bridge.parse("br-missing", handle.router)
        assert bridge.parse("none", handle.router) == "none"
        handle.router.execute("/interface/bridge/add", {"name": "br-here"}, [], _admin())
        assert bridge.parse("br-here", handle.router) == "br-here"
    finally:
        handle.stop()


def _admin():
    from ros_emulator.router import User

    return User("admin")
