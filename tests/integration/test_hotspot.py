"""ispkit.routeros.hotspot on both dialects: user profiles, server profiles and servers in one task,
written in an order the router accepts; a menu the task does not name is left alone."""
from __future__ import annotations

from lifecycle import Lifecycle

HOTSPOT = {
    "user_profiles": [{"name": "hotspot-2M", "rate_limit": "2M/2M", "shared_users": 2, "idle_timeout": "00:10:00"}],
    "profiles": [{"name": "hsprof1", "hotspot_address": "10.5.50.1", "dns_name": "login.example.net",
                  "login_by": ["http-chap", "cookie"], "use_radius": True, "trial_user_profile": "hotspot-2M"}],
    "servers": [{"name": "hotspot1", "interface": "ether3", "profile": "hsprof1", "idle_timeout": "none"},
                {"name": "hotspot2", "interface": "ether4"}],
}


def test_hotspot_servers(playbook):
    Lifecycle(
        module="hotspot",
        path="/ip/hotspot",
        fields=("name", "interface", "profile", "address-pool", "idle-timeout", "disabled"),
        merged=HOTSPOT,
        after_merged=[
            {"name": "hotspot1", "interface": "ether3", "profile": "hsprof1", "address-pool": "none",
             "idle-timeout": "none", "disabled": "false"},
            {"name": "hotspot2", "interface": "ether4", "profile": "default", "address-pool": "none",
             "idle-timeout": "5m", "disabled": "false"},
        ],
        # a pool another task made; idle-timeout back to RouterOS's 5m
        replaced={"servers": [{"name": "hotspot1", "interface": "ether3", "profile": "hsprof1",
                               "address_pool": "hotspot-pool"}]},
        foreign=[("/ip/pool", {"name": "hotspot-pool", "ranges": "10.5.50.2-10.5.50.254"})],
        scope={"servers": {}},
        # hotspot2 goes; profiles are not in config, so they stay
        overridden={"servers": [{"name": "hotspot1", "interface": "ether3", "profile": "hsprof1",
                                 "address_pool": "hotspot-pool"}]},
        after_deleted=[],
    ).run(playbook)
    for router in playbook.routers.values():  # deleted emptied the servers' scope only
        assert [p["name"] for p in router.print("/ip/hotspot/profile")] == ["default", "hsprof1"]
        assert [p["name"] for p in router.print("/ip/hotspot/user/profile")] == ["default", "hotspot-2M"]


def test_hotspot_profiles(playbook):
    Lifecycle(
        module="hotspot",
        path="/ip/hotspot/profile",
        fields=("name", "hotspot-address", "dns-name", "login-by", "use-radius", "rate-limit"),
        merged={"profiles": [{"name": "hsprof1", "hotspot_address": "10.5.50.1", "dns_name": "login.example.net",
                              "login_by": ["http-chap", "cookie"], "use_radius": True}]},
        after_merged=[
            {"name": "default", "hotspot-address": "0.0.0.0", "dns-name": "", "login-by": "cookie,http-chap",
             "use-radius": "false", "rate-limit": ""},
            {"name": "hsprof1", "hotspot-address": "10.5.50.1", "dns-name": "login.example.net",
             "login-by": "cookie,http-chap", "use-radius": "true", "rate-limit": ""},
        ],
        # the built-in profile is changed like any other; hsprof1 is reset but for what is given
        replaced={"profiles": [{"name": "hsprof1", "dns_name": "login.example.net", "login_by": ["http-pap"]},
                               {"name": "default", "use_radius": True, "rate_limit": "1M/1M"}]},
        scope={"profiles": {}},
        overridden={"profiles": [{"name": "hsprof2"}]},
        after_deleted=[{"name": "default", "hotspot-address": "0.0.0.0", "dns-name": "", "login-by": "cookie,http-chap",
                        "use-radius": "true", "rate-limit": "1M/1M"}],
    ).run(playbook)
