"""/ip/hotspot, /ip/hotspot/profile, /ip/hotspot/user/profile, /ip/hotspot/user and
/ip/hotspot/active, driven through librouteros against both dialects."""
from __future__ import annotations

from conftest import connect
from helpers import one, refused, same_fields_in_both_dialects

HOTSPOT_MENUS = ("/ip/hotspot", "/ip/hotspot/profile", "/ip/hotspot/user/profile", "/ip/hotspot/user")


# ---- /ip/hotspot --------------------------------------------------------------------------

def test_hotspot_add_defaults(api):
    hotspots = api.path("ip", "hotspot")
    row = one(hotspots, **{".id": hotspots.add(interface="ether2")})
    assert row["name"] == "hotspot1"
    assert row["interface"] == "ether2"
    assert row["address-pool"] == "none"
    assert row["profile"] == "default"
    assert row["idle-timeout"] == "5m"
    assert row["keepalive-timeout"] == "none"
    assert row["login-timeout"] == "none"
    assert row["addresses-per-mac"] == 2
    assert row["disabled"] is False
    assert row["HTTPS"] is False
    row = one(hotspots, **{".id": hotspots.add(interface="ether3", **{"idle-timeout": "00:10:00",
                                                                      "addresses-per-mac": "unlimited"})})
    assert (row["name"], row["idle-timeout"], row["addresses-per-mac"]) == ("hotspot2", "10m", "unlimited")


def test_hotspot_refusals(router, api):
    hotspots = api.path("ip", "hotspot")
    hotspots.add(interface="ether2", name="guests")
    refused(router, HOTSPOT_MENUS, lambda: hotspots.add(interface="ether3", name="guests"),
            "failure: hotspot with the same name already exists")
    refused(router, HOTSPOT_MENUS, lambda: hotspots.add(interface="ether2", name="more-guests"),
            "failure: hotspot already configured on this interface")
    refused(router, HOTSPOT_MENUS, lambda: hotspots.add(interface="ether99"),
            "input does not match any value of interface")
    refused(router, HOTSPOT_MENUS, lambda: hotspots.add(interface="ether3", profile="hsprof9"),
            "input does not match any value of profile")
    refused(router, HOTSPOT_MENUS, lambda: hotspots.add(interface="ether3", **{"address-pool": "no-such-pool"}),
            "input does not match any value of address-pool")
    refused(router, HOTSPOT_MENUS, lambda: hotspots.add(interface="ether3", **{"idle-timeout": "a-while"}),
            "input does not match any value of idle-timeout")  # `none` or a time: the words win
    refused(router, HOTSPOT_MENUS, lambda: hotspots.add(name="nowhere"), "missing value(s) of argument(s) interface")


def test_hotspot_fields_same_in_both_dialects(router_v6, router_v7):
    def add(client):
        hotspots = client.path("ip", "hotspot")
        return one(hotspots, **{".id": hotspots.add(interface="ether2", **{"login-timeout": "1m"})})

    same_fields_in_both_dialects(router_v6, router_v7, add)


# ---- /ip/hotspot/profile ------------------------------------------------------------------

def test_builtin_server_profile(api):
    row = one(api.path("ip", "hotspot", "profile"), name="default")
    assert row["default"] is True
    assert row["login-by"] == "cookie,http-chap"
    assert row["html-directory"] == "hotspot"
    assert row["http-cookie-lifetime"] == "3d"
    assert row["use-radius"] is False and row["radius-accounting"] is True


def test_server_profile_add_defaults(api):
    profiles = api.path("ip", "hotspot", "profile")
    row = one(profiles, **{".id": profiles.add()})
    assert row["name"] == "hsprof1"
    assert row.get("default", False) is False
    assert row["login-by"] == "cookie,http-chap"
    assert row["html-directory"] == "hotspot"
    assert row["http-cookie-lifetime"] == "3d"
    assert row["use-radius"] is False
    assert row["radius-accounting"] is True
    assert row["radius-interim-update"] == "received"
    assert row["rate-limit"] == "" and row["dns-name"] == ""
    assert row["smtp-server"] == "0.0.0.0"
    assert row["split-user-domain"] is False
    assert row["trial-user-profile"] == "default"
    # login methods print in RouterOS's order, whatever order the client sent
    row = one(profiles, **{".id": profiles.add(name="pap", **{"login-by": "http-pap,mac-cookie,cookie",
                                                             "hotspot-address": "10.5.50.1"})})
    assert (row["login-by"], row["hotspot-address"]) == ("cookie,http-pap,mac-cookie", "10.5.50.1")


def test_builtin_server_profile_editable_not_removable(router, api):
    profiles = api.path("ip", "hotspot", "profile")
    default = one(profiles, name="default")
    profiles.update(**{".id": default[".id"], "use-radius": "yes", "login-by": "http-pap"})
    row = one(profiles, name="default")
    assert row["use-radius"] is True and row["login-by"] == "http-pap"
    refused(router, HOTSPOT_MENUS, lambda: profiles.remove(default[".id"]), "failure: cannot remove builtin")


def test_server_profile_refusals(router, api):
    profiles = api.path("ip", "hotspot", "profile")
    used = profiles.add(name="hsprof1")
    api.path("ip", "hotspot").add(interface="ether2", profile="hsprof1")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="hsprof1"),
            "failure: profile with the same name already exists")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="x", **{"login-by": "http-chap,telepathy"}),
            "input does not match any value of login-by")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="x", **{"hotspot-address": "10.5.50"}),
            "invalid value for argument hotspot-address")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="x", **{"trial-user-profile": "no-such"}),
            "input does not match any value of trial-user-profile")
    # a profile a hotspot uses cannot be removed
    refused(router, HOTSPOT_MENUS, lambda: profiles.remove(used), "failure:", prefix=True)


def test_server_profile_https_redirect_only_on_v6(router_v6, router_v7):
    client = connect(router_v6)
    profiles = client.path("ip", "hotspot", "profile")
    row = one(profiles, **{".id": profiles.add(name="p", **{"https-redirect": "no"})})
    assert row["https-redirect"] is False
    assert one(profiles, name="default")["https-redirect"] is True
    client.close()
    client = connect(router_v7)
    profiles = client.path("ip", "hotspot", "profile")
    refused(router_v7, HOTSPOT_MENUS, lambda: profiles.add(name="p", **{"https-redirect": "no"}), "unknown parameter")
    assert "https-redirect" not in one(profiles, name="default")
    client.close()


# ---- /ip/hotspot/user/profile -------------------------------------------------------------

def test_builtin_user_profile_editable_not_removable(router, api):
    profiles = api.path("ip", "hotspot", "user", "profile")
    default = one(profiles, name="default")
    assert default["default"] is True
    assert default["shared-users"] == 1
    profiles.update(**{".id": default[".id"], "rate-limit": "2M/4M", "shared-users": "unlimited"})
    row = one(profiles, name="default")
    assert (row["rate-limit"], row["shared-users"]) == ("2M/4M", "unlimited")
    refused(router, HOTSPOT_MENUS, lambda: profiles.remove(default[".id"]), "failure: cannot remove builtin")


def test_user_profile_add_defaults(api):
    profiles = api.path("ip", "hotspot", "user", "profile")
    row = one(profiles, **{".id": profiles.add(name="1day")})
    assert row["name"] == "1day"
    assert row["shared-users"] == 1
    assert row["idle-timeout"] == "none"
    assert row["keepalive-timeout"] == "2m"
    assert row["status-autorefresh"] == "1m"
    assert row["address-pool"] == "none"
    assert row["add-mac-cookie"] is True
    assert row["mac-cookie-timeout"] == "3d"
    assert row["transparent-proxy"] is False
    assert row["rate-limit"] == "" and row["address-list"] == ""
    assert "session-timeout" not in row
    assert one(profiles, **{".id": profiles.add()})["name"] == "uprof1"


def test_user_profile_refusals(router, api):
    profiles = api.path("ip", "hotspot", "user", "profile")
    gold = profiles.add(name="gold")
    api.path("ip", "hotspot", "user").add(name="alice", profile="gold")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="gold"),
            "failure: profile with the same name already exists")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="x", **{"shared-users": "many"}),
            "input does not match any value of shared-users")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="x", **{"rate-limit": "quick"}),
            "invalid value for argument rate-limit")
    refused(router, HOTSPOT_MENUS, lambda: profiles.add(name="x", **{"address-pool": "no-such-pool"}),
            "input does not match any value of address-pool")
    refused(router, HOTSPOT_MENUS, lambda: profiles.remove(gold), "failure:", prefix=True)  # alice uses it


def test_user_profile_fields_same_in_both_dialects(router_v6, router_v7):
    def add(client):
        profiles = client.path("ip", "hotspot", "user", "profile")
        return one(profiles, **{".id": profiles.add(name="p", **{"session-timeout": "1h", "on-login": ":log info in"})})

    same_fields_in_both_dialects(router_v6, router_v7, add)


# ---- /ip/hotspot/user -----------------------------------------------------------------------

def test_user_add_defaults(api):
    users = api.path("ip", "hotspot", "user")
    row = one(users, **{".id": users.add(name="alice")})
    assert row["name"] == "alice"
    assert row["password"] == ""
    assert row["profile"] == "default"
    assert row["server"] == "all"
    assert row["disabled"] is False
    assert row["uptime"] == "0s"
    assert row["bytes-in"] == 0 and row["bytes-out"] == 0
    assert row["packets-in"] == 0 and row["packets-out"] == 0
    for unset in ("address", "mac-address", "limit-uptime", "limit-bytes-total", "email", "comment"):
        assert unset not in row
    api.path("ip", "hotspot").add(interface="ether2")
    users.update(**{".id": "alice", "server": "hotspot1", "limit-uptime": "02:00:00",
                    "mac-address": "02:aa:bb:cc:dd:ee"})
    row = one(users, name="alice")
    assert (row["server"], row["limit-uptime"], row["mac-address"]) == ("hotspot1", "2h", "02:AA:BB:CC:DD:EE")


def test_user_refusals(router, api):
    users = api.path("ip", "hotspot", "user")
    users.add(name="alice", password="a")
    refused(router, HOTSPOT_MENUS, lambda: users.add(name="alice"), "failure: user with the same name already exists")
    refused(router, HOTSPOT_MENUS, lambda: users.add(name="bob", profile="no-such"),
            "input does not match any value of profile")
    refused(router, HOTSPOT_MENUS, lambda: users.add(name="bob", server="hotspot9"),
            "input does not match any value of server")
    refused(router, HOTSPOT_MENUS, lambda: users.add(name="bob", **{"mac-address": "02:aa:bb"}),
            "invalid value for argument mac-address")
    refused(router, HOTSPOT_MENUS, lambda: users.add(name="bob", **{"limit-bytes-total": "1G"}),
            "invalid value for argument limit-bytes-total")
    refused(router, HOTSPOT_MENUS, lambda: users.update(**{".id": "alice", "bytes-in": "5"}), "unknown parameter")


def test_user_fields_same_in_both_dialects(router_v6, router_v7):
    def add(client):
        users = client.path("ip", "hotspot", "user")
        return one(users, **{".id": users.add(name="u", email="u@example.net", **{"limit-bytes-total": "1000"})})

    same_fields_in_both_dialects(router_v6, router_v7, add)


# ---- /ip/hotspot/active ------------------------------------------------------------------------

def test_active_login_defaults_and_logout(router, api):
    api.path("ip", "hotspot").add(interface="ether2")
    login = router.add_runtime("/ip/hotspot/active", server="hotspot1", user="alice", address="10.5.50.10",
                               mac_address="02:00:00:00:00:0A")
    row = one(api.path("ip", "hotspot", "active"), **{".id": login})
    assert (row["server"], row["user"], row["address"], row["mac-address"]) == (
        "hotspot1", "alice", "10.5.50.10", "02:00:00:00:00:0A")
    assert row["uptime"] in ("0s", "1s")
    assert row["login-by"] == "http-chap"
    assert row["bytes-in"] == 0 and row["bytes-out"] == 0
    assert row["radius"] is False
    router.update_runtime("/ip/hotspot/active", login, bytes_in="1500", uptime="10m")
    row = one(api.path("ip", "hotspot", "active"), **{".id": login})
    assert row["bytes-in"] == 1500 and row["uptime"] in ("10m", "10m1s")
    api.path("ip", "hotspot", "active").remove(login)  # logs the user out
    assert tuple(api.path("ip", "hotspot", "active")) == ()


def test_active_is_read_only(router, api):
    active = api.path("ip", "hotspot", "active")
    refused(router, "/ip/hotspot/active", lambda: active.add(user="mallory"), "no such command or directory (add)")
    refused(router, HOTSPOT_MENUS, lambda: active.remove("*FFFF"), "no such item")


def test_active_fields_same_in_both_dialects(router_v6, router_v7):
    for handle in (router_v6, router_v7):
        handle.add_runtime("/ip/hotspot/active", user="u", address="10.5.50.9", mac_address="02:00:00:00:00:09")
    same_fields_in_both_dialects(router_v6, router_v7,
                                 lambda client: one(client.path("ip", "hotspot", "active"), user="u"))


def test_hotspot_and_user_profile_take_an_existing_pool(router, api):
    pools = api.path("ip", "pool")
    pool_id = pools.add(name="hs-pool", ranges="10.5.50.2-10.5.50.254")
    hotspot = api.path("ip", "hotspot").add(interface="ether2", **{"address-pool": "hs-pool"})
    api.path("ip", "hotspot", "user", "profile").add(name="p", **{"address-pool": "hs-pool"})
    assert one(api.path("ip", "hotspot"), **{".id": hotspot})["address-pool"] == "hs-pool"
    refused(router, "/ip/pool", lambda: pools.remove(pool_id), "failure:", prefix=True)
