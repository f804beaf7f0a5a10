"""Bundles (several menus under one module's config keys), module defaults and the value kinds
the subscriber-side modules added: planning order, section scopes, argument spec."""
from __future__ import annotations

from ansible_collections.ispkit.routeros.plugins.module_utils import _declarations_access as a
from ansible_collections.ispkit.routeros.plugins.module_utils._resource import bundle_argument_spec, resource_argument_spec
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import check_task, masked_config, parts
from ansible_collections.ispkit.routeros.plugins.module_utils._sync import (
    Current, PlanError, plan, plan_bundle, render, shape_bundle, validate_config,
)
from ansible_collections.ispkit.routeros.plugins.module_utils._values import KINDS, canonical

import pytest


def lines(result):
    return [render(op) for op in result.ops]


def empty_hotspot():
    return {"hotspot_user_profile": [Current("*0", {"name": "default"}, builtin=True)],
            "hotspot_profile": [Current("*1", {"name": "default"}, builtin=True)],
            "hotspot_server": []}


HOTSPOT_CONFIG = {
    "servers": [{"name": "hs1", "interface": "bridge1", "profile": "hsprof1", "address_pool": "hs-pool"}],
    "profiles": [{"name": "hsprof1", "dns_name": "login.example", "trial_user_profile": "trial"}],
    "user_profiles": [{"name": "trial", "rate_limit": "1M/1M"}],
}


def test_bundle_adds_what_others_name_first():
    result = plan_bundle(a.HOTSPOT, "7", HOTSPOT_CONFIG, "merged", None, empty_hotspot())
    assert lines(result) == [
        "/ip hotspot user profile add name=trial rate-limit=1M/1M",
        "/ip hotspot profile add name=hsprof1 dns-name=login.example trial-user-profile=trial",
        "/ip hotspot add name=hs1 interface=bridge1 profile=hsprof1 address-pool=hs-pool",
    ]


def test_bundle_removes_users_of_a_menu_first_and_keeps_builtins():
    current = empty_hotspot()
    current["hotspot_profile"].append(Current("*2", {"name": "old"}))
    current["hotspot_server"].append(Current("*3", {"name": "hs-old", "interface": "ether9", "profile": "old"}))
    current["hotspot_user_profile"].append(Current("*4", {"name": "kept"}))
    config = {"profiles": [{"name": "hsprof1"}], "servers": [{"name": "hs1", "interface": "bridge1"}]}
    result = plan_bundle(a.HOTSPOT, "6", config, "overridden", {"profiles": {}, "servers": {}}, current)
    assert lines(result) == [
        "/ip hotspot profile add name=hsprof1",
        "/ip hotspot add name=hs1 interface=bridge1",
        "/ip hotspot remove [find name=hs-old]",
        "/ip hotspot profile remove [find name=old]",
    ]  # user profiles were not in config: untouched


def test_bundle_deleted_empties_only_sections_in_scope():
    current = empty_hotspot()
    current["hotspot_server"].append(Current("*3", {"name": "hs1", "interface": "ether9"}))
    current["hotspot_user_profile"].append(Current("*4", {"name": "u1"}))
    result = plan_bundle(a.HOTSPOT, "7", None, "deleted", {"servers": {}}, current)
    assert lines(result) == ["/ip hotspot remove [find name=hs1]"]


def test_bundle_builtin_profile_is_editable_not_deletable():
    result = plan_bundle(a.HOTSPOT, "7", {"profiles": [{"name": "default", "use_radius": True}]}, "merged", None,
                         empty_hotspot())
    assert lines(result) == ["/ip hotspot profile set [find name=default] use-radius=yes"]
    with pytest.raises(PlanError, match="built into RouterOS"):
        plan_bundle(a.HOTSPOT, "7", {"profiles": [{"name": "default"}]}, "deleted", None, empty_hotspot())


def test_bundle_shape_feeds_back_and_checks_name_the_section():
    current = empty_hotspot()
    current["hotspot_server"].append(Current("*3", {"name": "hs1", "interface": "ether9", "idle-timeout": "5m"}))
    shaped = shape_bundle(a.HOTSPOT, "7", current)
    assert sorted(shaped) == ["profiles", "servers", "user_profiles"]
    assert shaped["servers"][0]["name"] == "hs1" and shaped["servers"][0]["disabled"] is False
    assert plan_bundle(a.HOTSPOT, "7", shaped, "merged", None, current).ops == []
    errors = check_task(a.HOTSPOT, "overridden", {"servers": []}, None)
    assert any("scope.servers" in error for error in errors)
    assert check_task(a.HOTSPOT, "deleted", None, None)
    assert check_task(a.HOTSPOT, "overridden", {"servers": []}, {"servers": {}}) == []
    assert [where for where, _menu, _entries in parts(a.HOTSPOT, HOTSPOT_CONFIG)] == [
        "config.user_profiles", "config.profiles", "config.servers"]


def test_bundle_argument_spec_and_masking():
    spec = bundle_argument_spec(a.HOTSPOT)
    assert spec["config"]["type"] == "dict"
    assert spec["config"]["options"]["servers"]["elements"] == "dict"
    assert sorted(spec["scope"]["options"]) == ["profiles", "servers", "user_profiles"]
    assert masked_config(a.HOTSPOT, {"servers": None, "profiles": [{"name": "p"}]}) == {
        "servers": None, "profiles": [{"name": "p"}]}


def test_module_default_is_in_the_argument_spec():
    """A new PPPoE or DHCP server runs unless told otherwise, though RouterOS adds it disabled."""
    options = resource_argument_spec(a.PPPOE_SERVER)["config"]["options"]
    assert options["disabled"]["default"] is False
    assert "default" not in options["one_session_per_host"]
    current = {"pppoe_server": [Current("*1", {"interface": "bridge1", "service_name": "internet",
                                               "disabled": "true"})]}
    config = [{"interface": "bridge1", "service_name": "internet", "disabled": False}]
    assert lines(plan(a.PPPOE_SERVER, "6", config, "merged", None, current)) == [
        "/interface pppoe-server server set [find interface=bridge1 and service-name=internet] disabled=no"]


def test_dhcp_network_must_be_a_network_address():
    errors = validate_config(a.DHCP_NETWORK, [{"address": "10.5.50.1/24"}], "7")
    assert errors == ["config: entry 0: address 10.5.50.1/24 is not a network address (did you mean 10.5.50.0/24?)"]


def test_ppp_profile_replaced_leaves_builtin_mss_alone():
    current = {"ppp_profile": [Current("*0", {"name": "default", "change_tcp_mss": "yes", "only_one": "yes"},
                                       builtin=True)]}
    result = plan(a.PPP_PROFILE, "7", [{"name": "default"}], "replaced", None, current)
    assert lines(result) == ["/ppp profile set [find name=default] only-one=default"]


@pytest.mark.parametrize("kind, good, bad", [
    ("rate_limit", ["10M/10M", "512k", "2M/4M 4M/8M 1M/2M 16/16 8"], ["10 M", "fast"]),
    ("ipv4_list", [["10.0.0.1", "8.8.8.8"], "1.1.1.1,8.8.8.8"], [["10.0.0"], "a,b"]),
    ("duration_or_word", ["none", "5m", "00:05:00"], ["5 minutes"]),
])
def test_new_kinds_check(kind, good, bad):
    assert all(KINDS[kind].check(value) is None for value in good)
    assert all(KINDS[kind].check(value) for value in bad)


def test_duration_or_word_compares_as_routeros_prints():
    assert canonical("duration_or_word", "00:05:00") == canonical("duration_or_word", "5m")
    assert canonical("duration_or_word", "none") == "none"
