"""/radius and /radius/incoming, driven through librouteros against both dialects."""
from __future__ import annotations

import pytest
from librouteros.exceptions import MultiTrapError

from conftest import connect
from helpers import one, refused

RADIUS_MENUS = ("/radius", "/radius/incoming")


# ---- /radius ------------------------------------------------------------------------------------

def test_radius_add_defaults(router, api):
    servers = api.path("radius")
    row = one(servers, **{".id": servers.add(address="192.0.2.10")})
    assert row["address"] == "192.0.2.10"
    assert row["service"] == ""
    assert row["secret"] == ""
    assert row["authentication-port"] == 1812
    assert row["accounting-port"] == 1813
    assert row["timeout"] == "300ms"
    assert row["accounting-backup"] is False
    assert row["src-address"] == "0.0.0.0"
    assert row["protocol"] == "udp"
    assert row["realm"] == "" and row["called-id"] == "" and row["domain"] == ""
    assert row["disabled"] is False
    # services print in RouterOS's order; the secret stays out of the journal
    second = servers.add(address="2001:db8::10", secret="s3cret", service="hotspot,ppp", timeout="1s")
    row = one(servers, **{".id": second})
    assert (row["address"], row["service"], row["secret"], row["timeout"]) == (
        "2001:db8::10", "ppp,hotspot", "s3cret", "1s")
    assert router.writes()[-1].attrs["secret"] == "<hidden>"


def test_radius_refusals(router, api):
    servers = api.path("radius")
    first = servers.add(address="192.0.2.10", service="ppp")
    refused(router, RADIUS_MENUS, lambda: servers.add(service="ppp"), "missing value(s) of argument(s) address")
    refused(router, RADIUS_MENUS, lambda: servers.add(address="radius.example.net"),
            "invalid value for argument address")
    refused(router, RADIUS_MENUS, lambda: servers.add(address="192.0.2.11", service="ppp,telnet"),
            "input does not match any value of service")
    refused(router, RADIUS_MENUS, lambda: servers.add(address="192.0.2.11", timeout="2m"),
            "invalid value for argument timeout")
    refused(router, RADIUS_MENUS, lambda: servers.add(address="192.0.2.11", **{"authentication-port": "70000"}),
            "value of authentication-port out of range (1..65535)")
    refused(router, RADIUS_MENUS, lambda: servers.add(address="192.0.2.11", protocol="tcp"),
            "input does not match any value of protocol")
    refused(router, RADIUS_MENUS, lambda: servers.update(**{".id": first, "src-address": "any"}),
            "invalid value for argument src-address")
    # /radius names no other menu, and RouterOS keeps two entries for the same server
    twin = servers.add(address="192.0.2.10", service="ppp")
    assert len([r for r in servers if r["address"] == "192.0.2.10"]) == 2
    assert twin != first


def test_radius_order_is_kept(api):
    servers = api.path("radius")
    first = servers.add(address="192.0.2.1")
    second = servers.add(address="192.0.2.2")
    third = servers.add(address="192.0.2.3", **{"place-before": first})
    assert [r[".id"] for r in servers] == [third, first, second]
    tuple(servers("move", numbers=second, destination=third))
    assert [r[".id"] for r in servers] == [second, third, first]


def test_radius_v7_only_fields(router_v6, router_v7):
    client = connect(router_v7)
    servers = client.path("radius")
    row = one(servers, **{".id": servers.add(address="192.0.2.10@mgmt")})
    assert row["address"] == "192.0.2.10@mgmt"
    assert row["require-message-auth"] == "yes-for-request-resp"
    servers.update(**{".id": row[".id"], "require-message-auth": "no"})
    assert one(servers, **{".id": row[".id"]})["require-message-auth"] is False  # librouteros: "no" -> False
    client.close()
    client = connect(router_v6)
    servers = client.path("radius")
    refused(router_v6, RADIUS_MENUS, lambda: servers.add(address="192.0.2.10", **{"require-message-auth": "no"}),
            "unknown parameter")
    refused(router_v6, RADIUS_MENUS, lambda: servers.add(address="192.0.2.10@mgmt"),
            "invalid value for argument address")
    assert "require-message-auth" not in one(servers, **{".id": servers.add(address="192.0.2.10")})
    client.close()


# ---- /radius/incoming -------------------------------------------------------------------------

def test_incoming_defaults_and_set(router, api):
    incoming = api.path("radius", "incoming")
    (row,) = tuple(incoming)
    assert row["accept"] is False
    assert row["port"] == 3799
    assert ".id" not in row
    incoming.update(accept="yes", port="1700")
    (row,) = tuple(incoming)
    assert (row["accept"], row["port"]) == (True, 1700)
    refused(router, RADIUS_MENUS, lambda: incoming.update(port="70000"), "value of port out of range (1..65535)")
    refused(router, RADIUS_MENUS, lambda: incoming.update(accept="sometimes"), "invalid value for argument accept")
    with pytest.raises(MultiTrapError):
        incoming.add(accept="yes")
    with pytest.raises(MultiTrapError):
        incoming.remove("*1")
    assert tuple(incoming) == (row,)


def test_incoming_vrf_only_on_v7(router_v6, router_v7):
    client = connect(router_v7)
    incoming = client.path("radius", "incoming")
    assert tuple(incoming)[0]["vrf"] == "main"
    incoming.update(vrf="mgmt")
    assert tuple(incoming)[0]["vrf"] == "mgmt"
    client.close()
    client = connect(router_v6)
    incoming = client.path("radius", "incoming")
    assert "vrf" not in tuple(incoming)[0]
    refused(router_v6, RADIUS_MENUS, lambda: incoming.update(vrf="mgmt"), "unknown parameter")
    client.close()
