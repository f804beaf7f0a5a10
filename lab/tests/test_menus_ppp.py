"""/ppp/profile, /ppp/secret, /ppp/aaa, /ppp/active and /interface/pppoe-server/server,
driven through librouteros against both dialects."""
from __future__ import annotations

import time

import pytest
from librouteros.exceptions import MultiTrapError

from conftest import connect
from helpers import one, refused, same_fields_in_both_dialects


# ---- /ppp/profile -------------------------------------------------------------------------

def test_builtin_profiles(api):
    rows = {r["name"]: r for r in api.path("ppp", "profile")}
    assert rows["default"][".id"] == "*0"
    assert rows["default-encryption"][".id"] == "*FFFFFFFE"
    assert rows["default"]["default"] is True
    assert rows["default-encryption"]["use-encryption"] is True
    assert rows["default"]["only-one"] == "default"


def test_profile_add_defaults(api):
    profiles = api.path("ppp", "profile")
    new_id = profiles.add()
    row = one(profiles, **{".id": new_id})
    assert row["name"] == "profile1"
    assert row["default"] is False
    for name in ("only-one", "change-tcp-mss", "use-compression", "use-encryption", "use-mpls",
                 "use-upnp", "bridge-learning"):
        assert row[name] == "default", name
    assert row["use-ipv6"] is True
    assert row["address-list"] == "" and row["on-up"] == "" and row["on-down"] == ""
    for unset in ("local-address", "remote-address", "rate-limit", "dns-server", "idle-timeout",
                  "session-timeout", "comment"):
        assert unset not in row
    named = profiles.add(name="pppoe-10M", **{"rate-limit": "10M/10M", "local-address": "10.0.0.1",
                                               "dns-server": "1.1.1.1,8.8.8.8", "idle-timeout": "00:05:00",
                                               "only-one": "yes"})
    row = one(profiles, **{".id": named})
    assert (row["rate-limit"], row["local-address"], row["dns-server"], row["idle-timeout"], row["only-one"]) == (
        "10M/10M", "10.0.0.1", "1.1.1.1,8.8.8.8", "5m", True)  # librouteros turns yes into True


def test_builtin_profiles_editable_not_removable(router, api):
    profiles = api.path("ppp", "profile")
    profiles.update(**{".id": "*0", "rate-limit": "5M/5M", "only-one": "yes"})
    row = one(profiles, name="default")
    assert row["rate-limit"] == "5M/5M" and row["only-one"] is True
    profiles.update(**{".id": "default-encryption", "use-encryption": "required"})
    assert one(profiles, name="default-encryption")["use-encryption"] == "required"
    for builtin in ("*0", "*FFFFFFFE"):
        refused(router, "/ppp/profile", lambda: profiles.remove(builtin), "failure: cannot remove builtin")


def test_profile_refusals(router, api):
    profiles = api.path("ppp", "profile")
    profiles.add(name="p1")
    refused(router, "/ppp/profile", lambda: profiles.add(name="p1"),
            "failure: profile with the same name already exists")
    refused(router, "/ppp/profile", lambda: profiles.add(name="p2", **{"only-one": "maybe"}),
            "input does not match any value of only-one")
    refused(router, "/ppp/profile", lambda: profiles.add(name="p2", **{"rate-limit": "fast"}),
            "invalid value for argument rate-limit")
    # neither an address nor an existing /ip/pool
    refused(router, "/ppp/profile", lambda: profiles.add(name="p2", **{"remote-address": "no-such-pool"}),
            "input does not match any value of remote-address")
    refused(router, "/ppp/profile", lambda: profiles.add(name="p2", bridge="no-such-bridge"),
            "input does not match any value of bridge")
    refused(router, "/ppp/profile", lambda: profiles.update(**{".id": "p1", "dns-server": "1.1.1"}),
            "invalid value for argument dns-server")


def test_profile_used_by_secret_cannot_be_removed(router, api):
    profiles, secrets = api.path("ppp", "profile"), api.path("ppp", "secret")
    profile_id = profiles.add(name="gold")
    secret_id = secrets.add(name="alice", password="x", profile="gold")
    trap = refused(router, "/ppp/profile", lambda: profiles.remove(profile_id), "failure:", prefix=True)
    assert secret_id in trap.message
    # a rename is followed by the secret, and the profile goes once nothing uses it
    profiles.update(**{".id": profile_id, "name": "platinum"})
    assert one(secrets, name="alice")["profile"] == "platinum"
    secrets.remove(secret_id)
    profiles.remove(profile_id)
    assert [r["name"] for r in profiles] == ["default", "default-encryption"]


def test_profile_fields_same_in_both_dialects(router_v6, router_v7):
    # No field of /ppp/profile is known to exist in only one of 6.49 and 7.x: both print the same.
    def add(client):
        profiles = client.path("ppp", "profile")
        new_id = profiles.add(name="x", **{"use-ipv6": "no", "remote-ipv6-prefix-pool": "v6pool",
                                           "bridge-learning": "no", "insert-queue-before": "first"})
        return one(profiles, **{".id": new_id})

    same_fields_in_both_dialects(router_v6, router_v7, add)


# ---- /ppp/secret ----------------------------------------------------------------------------

def test_secret_add_defaults(api):
    secrets = api.path("ppp", "secret")
    row = one(secrets, **{".id": secrets.add(name="alice")})
    assert row["name"] == "alice"
    assert row["password"] == ""
    assert row["service"] == "any"
    assert row["profile"] == "default"
    assert row["caller-id"] == "" and row["routes"] == ""
    assert row["limit-bytes-in"] == 0 and row["limit-bytes-out"] == 0
    assert row["disabled"] is False
    for unset in ("local-address", "remote-address", "comment"):
        assert unset not in row
    # set and remove also take the secret's name
    secrets.update(**{".id": "alice", "remote-address": "10.0.0.9", "service": "pppoe"})
    row = one(secrets, name="alice")
    assert (row["remote-address"], row["service"]) == ("10.0.0.9", "pppoe")


def test_secret_refusals(router, api):
    secrets = api.path("ppp", "secret")
    secrets.add(name="alice", password="a")
    refused(router, "/ppp/secret", lambda: secrets.add(name="alice", password="b"),
            "failure: secret with the same name already exists")
    refused(router, "/ppp/secret", lambda: secrets.add(name="bob", profile="no-such-profile"),
            "input does not match any value of profile")
    refused(router, "/ppp/secret", lambda: secrets.add(name="bob", service="telnet"),
            "input does not match any value of service")
    refused(router, "/ppp/secret", lambda: secrets.add(name="bob", **{"limit-bytes-in": "lots"}),
            "invalid value for argument limit-bytes-in")
    # a secret takes addresses only, not pool names
    refused(router, "/ppp/secret", lambda: secrets.add(name="bob", **{"remote-address": "pool1"}),
            "invalid value for argument remote-address")
    refused(router, "/ppp/secret", lambda: secrets.add(password="x"), "missing value(s) of argument(s) name")
    refused(router, "/ppp/secret", lambda: secrets.update(**{".id": "alice", "last-logged-out": "now"}),
            "unknown parameter")


def test_secret_service_words_per_dialect(router_v6, router_v7):
    client = connect(router_v6)
    client.path("ppp", "secret").add(name="isdn-user", service="isdn")
    assert one(client.path("ppp", "secret"), name="isdn-user")["service"] == "isdn"
    client.close()
    client = connect(router_v7)
    refused(router_v7, "/ppp/secret", lambda: client.path("ppp", "secret").add(name="isdn-user", service="isdn"),
            "input does not match any value of service")
    client.close()


def test_secret_remembers_last_session_on_v7_only(router_v6, router_v7):
    for handle, remembers in ((router_v6, False), (router_v7, True)):
        client = connect(handle)
        secrets = client.path("ppp", "secret")
        secrets.add(name="alice", password="x", service="pppoe")
        session = handle.add_runtime("/ppp/active", name="alice", service="pppoe", caller_id="02:00:00:00:00:01",
                                     address="10.0.0.2")
        client.path("ppp", "active").remove(session)
        row = one(secrets, name="alice")
        assert ("last-caller-id" in row) is remembers
        if remembers:
            assert row["last-caller-id"] == "02:00:00:00:00:01"
            assert row["last-logged-out"].startswith(time.strftime("%Y-"))
        client.close()


# ---- /ppp/aaa ----------------------------------------------------------------------------------

def test_aaa_defaults_and_set(router, api):
    aaa = api.path("ppp", "aaa")
    (row,) = tuple(aaa)
    assert row["use-radius"] is False
    assert row["accounting"] is True
    assert row["interim-update"] == "0s"
    assert row["use-circuit-id-in-nas-port-id"] is False
    assert ".id" not in row
    aaa.update(**{"use-radius": "yes", "interim-update": "00:05:00"})
    (row,) = tuple(aaa)
    assert row["use-radius"] is True and row["interim-update"] == "5m"
    refused(router, "/ppp/aaa", lambda: aaa.update(accounting="maybe"), "invalid value for argument accounting")
    refused(router, "/ppp/aaa", lambda: aaa.update(**{"interim-update": "soon"}),
            "invalid value for argument interim-update")
    with pytest.raises(MultiTrapError):
        aaa.add(**{"use-radius": "yes"})


def test_aaa_ipv6_accounting_only_on_v7(router_v6, router_v7):
    client = connect(router_v7)
    aaa = client.path("ppp", "aaa")
    assert tuple(aaa)[0]["enable-ipv6-accounting"] is False
    aaa.update(**{"enable-ipv6-accounting": "yes"})
    assert tuple(aaa)[0]["enable-ipv6-accounting"] is True
    client.close()
    client = connect(router_v6)
    aaa = client.path("ppp", "aaa")
    assert "enable-ipv6-accounting" not in tuple(aaa)[0]
    refused(router_v6, "/ppp/aaa", lambda: aaa.update(**{"enable-ipv6-accounting": "yes"}), "unknown parameter")
    client.close()


# ---- /ppp/active ------------------------------------------------------------------------------

def test_active_session_and_its_dynamic_interface(router, api):
    session = router.add_runtime("/ppp/active", name="alice", service="pppoe", caller_id="02:AA:BB:CC:DD:EE",
                                 address="10.10.10.2")
    row = one(api.path("ppp", "active"), **{".id": session})
    assert (row["name"], row["service"], row["caller-id"], row["address"]) == (
        "alice", "pppoe", "02:AA:BB:CC:DD:EE", "10.10.10.2")
    assert row["uptime"] in ("0s", "1s")
    assert row["encoding"] == "" and row["radius"] is False
    assert row["limit-bytes-in"] == 0 and row["limit-bytes-out"] == 0
    assert row["session-id"].startswith("0x")
    iface = one(api.path("interface", "pppoe-server"), name="<pppoe-alice>")
    assert iface["dynamic"] is True and iface["user"] == "alice"
    assert iface["remote-address"] == "02:AA:BB:CC:DD:EE"
    assert one(api.path("interface"), name="<pppoe-alice>")["type"] == "pppoe-in"
    # the dynamic interface belongs to the session: it cannot be removed or changed on its own
    refused(router, "/interface/pppoe-server", lambda: api.path("interface", "pppoe-server").remove(iface[".id"]),
            "failure: cannot remove dynamic")
    # removing the session (disconnecting the user) takes the interface with it
    api.path("ppp", "active").remove(session)
    assert tuple(api.path("ppp", "active")) == ()
    assert not [r for r in api.path("interface") if r["name"] == "<pppoe-alice>"]
    assert router.writes()[-1].command == "/ppp/active/remove"


def test_active_runtime_removal_and_other_services(router, api):
    pppoe = router.add_runtime("/ppp/active", name="bob", service="pppoe", caller_id="02:00:00:00:00:02")
    router.add_runtime("/ppp/active", name="carol", service="l2tp", caller_id="198.51.100.7", address="10.1.0.2")
    names = sorted(r["name"] for r in api.path("interface", "pppoe-server"))
    assert names == ["<pppoe-bob>"]  # an L2TP session makes no PPPoE interface
    router.remove_runtime("/ppp/active", pppoe)
    assert tuple(api.path("interface", "pppoe-server")) == ()
    assert [r["name"] for r in api.path("ppp", "active")] == ["carol"]


def test_active_session_of_a_static_binding_adds_no_dynamic_interface(router, api):
    api.path("interface", "pppoe-server").add(name="pppoe-dave", user="dave")
    router.add_runtime("/ppp/active", name="dave", service="pppoe", caller_id="02:00:00:00:00:04")
    assert [r["name"] for r in api.path("interface", "pppoe-server")] == ["pppoe-dave"]


def test_active_uptime_grows_from_the_given_value(router, api):
    session = router.add_runtime("/ppp/active", name="erin", service="pppoe", uptime="1h")
    assert one(api.path("ppp", "active"), name="erin")["uptime"] in ("1h", "1h1s")
    with router.router.lock:  # pretend the session started 65 seconds ago
        entry = router.router.menus["/ppp/active"].entries[int(session[1:], 16)]
        entry.values["_since"] = repr(time.time() - 65)
    assert one(api.path("ppp", "active"), name="erin")["uptime"] in ("1h1m5s", "1h1m6s")
    router.update_runtime("/ppp/active", session, uptime="2d")
    assert one(api.path("ppp", "active"), name="erin")["uptime"] in ("2d", "2d1s")


def test_active_is_read_only(router, api):
    active = api.path("ppp", "active")
    refused(router, "/ppp/active", lambda: active.add(name="mallory"), "no such command or directory (add)")
    session = router.add_runtime("/ppp/active", name="frank", service="pppoe")
    with pytest.raises(MultiTrapError):
        active.update(**{".id": session, "address": "10.0.0.9"})
    refused(router, "/interface/pppoe-server", lambda: active.remove("*FFFF"), "no such item")
    assert one(active, name="frank")


def test_active_fields_same_in_both_dialects(router_v6, router_v7):
    # No field of /ppp/active is known to differ between 6.49 and 7.x.
    for handle in (router_v6, router_v7):
        handle.add_runtime("/ppp/active", name="u", service="pppoe", caller_id="02:00:00:00:00:09", address="10.0.0.9")
    same_fields_in_both_dialects(router_v6, router_v7, lambda client: one(client.path("ppp", "active"), name="u"))


# ---- /interface/pppoe-server/server -----------------------------------------------------------

def test_pppoe_server_add_defaults(router, api):
    servers = api.path("interface", "pppoe-server", "server")
    row = one(servers, **{".id": servers.add(interface="ether1")})
    assert row["service-name"] == "service1"
    assert row["interface"] == "ether1"
    assert row["disabled"] is True  # a new server is disabled unless told otherwise
    assert row["default-profile"] == "default"
    assert row["authentication"] == "pap,chap,mschap1,mschap2"
    assert row["keepalive-timeout"] == 10
    assert (row["max-mtu"], row["max-mru"], row["mrru"]) == ("auto", "auto", "disabled")
    assert row["max-sessions"] == "unlimited"
    assert row["one-session-per-host"] is False
    assert row["pado-delay"] == 0
    # RouterOS prints the methods in its own order
    second = servers.add(interface="ether1", **{"service-name": "isp2", "authentication": "mschap2,pap",
                                                "disabled": "no", "max-mtu": "1480"})
    row = one(servers, **{".id": second})
    assert (row["authentication"], row["disabled"], row["max-mtu"]) == ("pap,mschap2", False, 1480)


def test_pppoe_server_refusals(router, api):
    servers = api.path("interface", "pppoe-server", "server")
    servers.add(interface="ether1", **{"service-name": "isp"})
    servers.add(interface="ether2", **{"service-name": "isp"})  # the same service on another interface
    servers.add(interface="ether1", **{"service-name": "isp-b"})  # another service on the same interface
    path = "/interface/pppoe-server/server"
    refused(router, path, lambda: servers.add(interface="ether1", **{"service-name": "isp"}),
            "failure: already have such entry")
    refused(router, path, lambda: servers.add(interface="ether99"), "input does not match any value of interface")
    refused(router, path, lambda: servers.add(interface="ether3", **{"default-profile": "gold"}),
            "input does not match any value of default-profile")
    refused(router, path, lambda: servers.add(interface="ether3", authentication="pap,eap"),
            "input does not match any value of authentication")
    refused(router, path, lambda: servers.add(interface="ether3", **{"one-session-per-host": "maybe"}),
            "invalid value for argument one-session-per-host")
    refused(router, path, lambda: servers.add(**{"service-name": "lonely"}),
            "missing value(s) of argument(s) interface")


def test_pppoe_server_default_profile_is_a_reference(router, api):
    profiles = api.path("ppp", "profile")
    gold = profiles.add(name="gold")
    api.path("interface", "pppoe-server", "server").add(interface="ether1", **{"default-profile": "gold"})
    refused(router, "/ppp/profile", lambda: profiles.remove(gold), "failure:", prefix=True)


def test_pppoe_server_comment_and_empty_service_only_on_v7(router_v6, router_v7):
    client = connect(router_v7)
    servers = client.path("interface", "pppoe-server", "server")
    row = one(servers, **{".id": servers.add(interface="ether1", comment="subscribers")})
    assert row["comment"] == "subscribers"
    assert row["accept-empty-service"] is True
    client.close()
    client = connect(router_v6)
    servers = client.path("interface", "pppoe-server", "server")
    path = "/interface/pppoe-server/server"
    refused(router_v6, path, lambda: servers.add(interface="ether1", comment="subscribers"), "unknown parameter")
    refused(router_v6, path, lambda: servers.add(interface="ether1", **{"accept-empty-service": "no"}),
            "unknown parameter")
    assert "accept-empty-service" not in one(servers, **{".id": servers.add(interface="ether1")})
    client.close()


def test_profile_addresses_take_a_pool_or_an_address(router, api):
    pools, profiles = api.path("ip", "pool"), api.path("ppp", "profile")
    pool_id = pools.add(name="pppoe-pool", ranges="10.10.10.2-10.10.10.254")
    profile_id = profiles.add(name="subscribers", **{"local-address": "10.10.10.1", "remote-address": "pppoe-pool"})
    row = one(profiles, **{".id": profile_id})
    assert (row["local-address"], row["remote-address"]) == ("10.10.10.1", "pppoe-pool")
    # the pool is in use: it cannot be removed, and a rename is followed by the profile
    refused(router, "/ip/pool", lambda: pools.remove(pool_id), "failure:", prefix=True)
    pools.update(**{".id": pool_id, "name": "pppoe-pool-2"})
    assert one(profiles, **{".id": profile_id})["remote-address"] == "pppoe-pool-2"
    profiles.update(**{".id": profile_id, "remote-address": "10.10.10.9"})
    pools.remove(pool_id)
    assert tuple(pools) == ()
