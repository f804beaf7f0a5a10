"""The sync algorithm without a router: matching, planning, ordering, validation, rendering."""
from __future__ import annotations

import pytest

from ansible_collections.ispkit.routeros.plugins.module_utils import _declarations as d
from ansible_collections.ispkit.routeros.plugins.module_utils._resource import resource_argument_spec
from ansible_collections.ispkit.routeros.plugins.module_utils._sync import (
    Current, PlanError, from_row, plan, render, shape, unknown_interfaces, validate_config,
)


def lines(result):
    return [render(op) for op in result.ops]


def route_row(major, **values):
    return from_row(d.ROUTE, major, values)


# ---- merged / replaced / overridden / deleted ----------------------------------------------------

def test_merged_adds_missing_and_sets_only_what_differs():
    current = {"address": [Current("*1", {"address": "10.1.1.1/30", "interface": "ether2", "disabled": False})]}
    config = [{"address": "10.1.1.1/30", "interface": "ether3", "comment": None, "disabled": None},
              {"address": "10.2.2.1/24", "interface": "ether4", "comment": None, "disabled": None}]
    result = plan(d.ADDRESS, "7", config, "merged", None, current)
    assert lines(result) == ["/ip address set [find address=10.1.1.1/30] interface=ether3",
                             "/ip address add address=10.2.2.1/24 interface=ether4"]


def test_normalised_values_are_no_change():
    current = {"bridge": [Current("*1", {"name": "br1", "ageing_time": "5m", "fast_forward": True, "mtu": 1500})],
               "bridge_port": []}
    config = [{"name": "br1", "ageing_time": "00:05:00", "fast_forward": "yes", "mtu": "1500"}]
    assert plan(d.BRIDGE, "7", config, "merged", None, current).ops == []


def test_replaced_resets_unlisted_options_to_defaults_and_unsets_the_rest():
    current = {"routes": [route_row("6", **{".id": "*5", "dst-address": "0.0.0.0/0", "gateway": "10.1.1.2",
                                            "distance": 3, "check-gateway": "ping"})]}
    result = plan(d.ROUTE, "6", [{"gateway": "10.1.1.2"}], "replaced", None, current)
    assert lines(result) == [
        "/ip route set [find dst-address=0.0.0.0/0 and gateway=10.1.1.2] distance=1",
        "/ip route unset [find dst-address=0.0.0.0/0 and gateway=10.1.1.2] value-name=check-gateway",
    ]


def test_overridden_removes_only_owned_unlisted_entries():
    current = {"pool": [Current("*1", {"name": "a", "ranges": "10.0.0.1", "comment": "ansible"}),
                        Current("*2", {"name": "b", "ranges": "10.0.0.2", "comment": "ansible"}),
                        Current("*3", {"name": "c", "ranges": "10.0.0.3", "comment": "by hand"})]}
    result = plan(d.POOL, "7", [{"name": "a", "ranges": ["10.0.0.1"]}], "overridden", {"comment": "ansible"}, current)
    assert lines(result) == ["/ip pool remove [find name=b]"]


def test_scope_values_tag_new_entries():
    result = plan(d.POOL, "7", [{"name": "a", "ranges": ["10.0.0.1"]}], "merged", {"comment": "ansible"}, {"pool": []})
    assert lines(result) == ["/ip pool add name=a ranges=10.0.0.1 comment=ansible"]


def test_a_prefix_scope_owns_entries_by_the_start_of_their_comment():
    """A role that stops writing a rule (PCC after a switch to NTH) removes it; rules of others stay."""
    current = {"nat": [Current("*1", {"chain": "srcnat", "action": "masquerade", "comment": "dual_isp: masquerade wan1"}),
                       Current("*2", {"chain": "srcnat", "action": "masquerade", "comment": "dual_isp: masquerade wan2"}),
                       Current("*3", {"chain": "srcnat", "action": "masquerade", "comment": "dual_isp_other"}),
                       Current("*4", {"chain": "srcnat", "action": "masquerade"})]}
    scope = {"comment": {"starts_with": "dual_isp:"}}
    config = [{"chain": "srcnat", "action": "masquerade", "out_interface": "ether1", "comment": "dual_isp: masquerade wan1"}]
    result = plan(d.NAT, "7", config, "overridden", scope, current)
    assert lines(result)[-1] == '/ip firewall nat remove [find comment="dual_isp: masquerade wan2"]'
    assert len([line for line in lines(result) if " remove " in line]) == 1
    # the prefix is no value: an entry without a comment does not get one
    pools = plan(d.POOL, "7", [{"name": "a", "ranges": ["10.0.0.1"]}], "merged", {"comment": {"starts_with": "x"}},
                 {"pool": []})
    assert lines(pools) == ["/ip pool add name=a ranges=10.0.0.1"]


def test_a_prefix_scope_is_checked():
    from ansible_collections.ispkit.routeros.plugins.module_utils._runner import check_task
    assert check_task(d.NAT, "overridden", [], {"comment": {"starts_with": "dual_isp:"}}) == []
    for bad in ({"starts_with": ""}, {"starts_with": 3}, {"begins": "x"}):
        assert check_task(d.NAT, "overridden", [], {"comment": bad}) == [
            "scope.comment: give a value, or {starts_with: TEXT} (a non-empty text) for a text option"]
    assert check_task(d.POOL, "overridden", [], {"comment": {"starts_with": "x"}}) == []


def test_deleted_with_config_removes_listed_without_config_removes_scope():
    current = {"pool": [Current("*1", {"name": "a", "comment": "x"}), Current("*2", {"name": "b"})]}
    assert lines(plan(d.POOL, "7", [{"name": "b"}], "deleted", None, current)) == ["/ip pool remove [find name=b]"]
    assert lines(plan(d.POOL, "7", None, "deleted", {"comment": "x"}, current)) == ["/ip pool remove [find name=a]"]


def test_dynamic_and_builtin_entries_are_never_removed():
    current = {"routes": [route_row("7", **{".id": "*1", "dst-address": "10.1.1.0/30", "gateway": "ether1",
                                            "dynamic": True}),
                          route_row("7", **{".id": "*2", "dst-address": "0.0.0.0/0", "gateway": "10.1.1.2"})]}
    result = plan(d.ROUTE, "7", None, "deleted", {}, current)
    assert lines(result) == ["/ip route remove [find dst-address=0.0.0.0/0 and gateway=10.1.1.2 and routing-table=main]"]
    tables = {"routing_table": [from_row(d.ROUTING_TABLE, "7", {".id": "*0", "name": "main", "fib": ""})]}
    with pytest.raises(PlanError, match="built into RouterOS"):
        plan(d.ROUTING_TABLE, "7", [{"name": "main"}], "deleted", None, tables)


def test_a_keyed_entry_is_never_added_twice():
    current = {"ppp_secret": [Current("*1", {"name": "alice", "password": "old"})]}
    result = plan(d.PPP_SECRET, "7", [{"name": "alice", "password": "new"}], "merged", None, current)
    assert [op.action for op in result.ops] == ["set"]
    assert lines(result) == ["/ppp secret set [find name=alice] password=********"]


def test_new_entry_needs_its_required_options():
    with pytest.raises(PlanError, match="give ranges"):
        plan(d.POOL, "7", [{"name": "p"}], "merged", None, {"pool": []})


# ---- dialects ------------------------------------------------------------------------------------

def test_routing_table_is_spelled_per_dialect_and_created_on_7():
    config = [{"gateway": "10.1.1.2", "routing_table": "to_WAN1"}]
    assert lines(plan(d.ROUTE, "6", config, "merged", None, {"routes": []})) == [
        "/ip route add gateway=10.1.1.2 routing-mark=to_WAN1"]
    current = {"routing_table": [from_row(d.ROUTING_TABLE, "7", {".id": "*0", "name": "main", "fib": ""})],
               "routes": []}
    assert lines(plan(d.ROUTE, "7", config, "merged", None, current)) == [
        "/routing table add fib name=to_WAN1", "/ip route add gateway=10.1.1.2 routing-table=to_WAN1"]


def test_route_to_main_on_7_matches_a_route_without_table():
    current = {"routing_table": [], "routes": [route_row("7", **{".id": "*2", "dst-address": "0.0.0.0/0",
                                                                 "gateway": "10.1.1.2", "routing-table": "main"})]}
    assert plan(d.ROUTE, "7", [{"gateway": "10.1.1.2"}], "merged", None, current).ops == []


def test_options_the_dialect_cannot_do_are_errors():
    errors = validate_config(d.ROUTE, [{"gateway": "10.1.1.2", "check_gateway": "bfd"}], "6")
    assert errors == ["config[0].check_gateway: bfd is not one of arp, ping on RouterOS 6"]
    assert validate_config(d.ROUTE, [{"gateway": "10.1.1.2", "check_gateway": "bfd"}], "7") == []
    assert "RouterOS 6 has no" in validate_config(d.ROUTING_TABLE, [{"name": "t"}], "6")[0]


# ---- validation ----------------------------------------------------------------------------------

def test_duplicates_and_overlaps_name_the_entries():
    errors = validate_config(d.ADDRESS, [{"address": "10.1.1.1/30", "interface": "ether1"},
                                         {"address": "10.1.1.1/30", "interface": "ether2"},
                                         {"address": "10.1.1.2/29", "interface": "ether3"}], "7")
    assert "config[1]: duplicate entry address=10.1.1.1/30, already given as config[0]" in errors
    assert any("overlaps" in error for error in errors)


def test_unknown_interfaces_in_nested_and_negated_options():
    config = [{"name": "br1", "ports": [{"interface": "ether9"}]}]
    assert unknown_interfaces(d.BRIDGE, config, {"ether1"}) == [
        "config[0].ports[0].interface: unknown interface 'ether9' (the router has ether1)"]
    assert unknown_interfaces(d.MANGLE, [{"comment": "r", "in_interface": "!ether1"}], {"ether1"}) == []


# ---- children ------------------------------------------------------------------------------------

def test_bridge_before_ports_and_ports_removed_before_bridges():
    current = {"bridge": [Current("*1", {"name": "old", "comment": "a"})],
               "bridge_port": [Current("*2", {"interface": "ether5", "bridge": "old"})]}
    config = [{"name": "new", "ports": [{"interface": "ether3"}]}]
    assert lines(plan(d.BRIDGE, "7", config, "overridden", {}, current)) == [
        "/interface bridge add name=new",
        "/interface bridge port add interface=ether3 bridge=new",
        "/interface bridge port remove [find interface=ether5]",
        "/interface bridge remove [find name=old]",
    ]


def test_ports_not_given_are_left_alone():
    current = {"bridge": [Current("*1", {"name": "br"})],
               "bridge_port": [Current("*2", {"interface": "ether5", "bridge": "br"})]}
    assert plan(d.BRIDGE, "7", [{"name": "br"}], "replaced", None, current).ops == []
    assert lines(plan(d.BRIDGE, "7", [{"name": "br", "ports": []}], "replaced", None, current)) == [
        "/interface bridge port remove [find interface=ether5]"]


def test_shape_nests_children_and_hides_secrets():
    entries = {"bridge": [Current("*1", {"name": "br", "mtu": "auto"})],
               "bridge_port": [Current("*2", {"interface": "ether5", "bridge": "br", "pvid": 1})]}
    shaped = shape(d.BRIDGE, "7", entries)
    assert shaped[0]["ports"] == [{"interface": "ether5", "pvid": 1, "horizon": "none", "edge": "auto",
                                   "point_to_point": "auto", "hw": True, "disabled": False}]
    secrets = shape(d.PPP_SECRET, "7", {"ppp_secret": [Current("*1", {"name": "a", "password": "p"})]})
    assert "password" not in secrets[0]


# ---- ordered menus -------------------------------------------------------------------------------

def rule(rule_id, comment, chain="prerouting"):
    return Current(rule_id, {"comment": comment, "chain": chain, "action": "accept"})


def test_rules_are_put_in_config_order_without_moving_foreign_rules():
    current = {"routing_table": [], "mangle": [rule("*1", "b"), rule("*2", "foreign", "forward"), rule("*3", "a")]}
    config = [{"comment": c, "chain": "prerouting"} for c in ("a", "b")]
    # b goes right after a (here: to the end); the foreign rule is not moved
    assert lines(plan(d.MANGLE, "7", config, "merged", None, current)) == ["/ip firewall mangle move [find comment=b]"]


def test_new_rules_go_right_after_their_predecessor():
    current = {"routing_table": [], "mangle": [rule("*1", "a"), rule("*2", "foreign", "forward")]}
    config = [{"comment": c, "chain": "prerouting"} for c in ("new0", "a", "new1")]
    result = plan(d.MANGLE, "7", config, "merged", None, current)
    assert lines(result) == [
        "/ip firewall mangle add comment=new0 chain=prerouting place-before=[find comment=a]",
        "/ip firewall mangle add comment=new1 chain=prerouting place-before=[find comment=foreign]",
    ]
    assert [op.destination for op in result.ops] == ["*1", "*2"]


def test_rules_already_in_order_need_nothing():
    current = {"routing_table": [], "mangle": [rule("*1", "a"), rule("*2", "x", "forward"), rule("*3", "b")]}
    config = [{"comment": c, "chain": "prerouting"} for c in ("a", "b")]
    assert plan(d.MANGLE, "7", config, "merged", None, current).ops == []


def test_an_add_placed_before_another_new_rule_waits_for_it():
    current = {"routing_table": [], "mangle": [rule("*1", "z")]}
    config = [{"comment": c, "chain": "prerouting"} for c in ("n1", "n2", "z")]
    result = plan(d.MANGLE, "7", config, "merged", None, current)
    assert [op.target for op in result.ops] == ["+1", "+2"]
    assert result.ops[0].destination == "*1" and result.ops[1].destination == "*1"


# ---- argument spec -------------------------------------------------------------------------------

def test_argument_spec_comes_from_the_declaration():
    spec = resource_argument_spec(d.ROUTE)
    options = spec["config"]["options"]
    assert options["gateway"]["required"] is True and "required" not in options["dst_address"]
    assert options["check_gateway"]["choices"] == ["arp", "bfd", "bfd-multihop", "none", "ping"]
    assert spec["state"]["default"] == "merged"
    assert resource_argument_spec(d.PPP_SECRET)["config"]["options"]["password"]["no_log"] is True
    assert resource_argument_spec(d.IDENTITY)["config"]["type"] == "dict"


# ---- routing and services: spread options, fixed entries, per-dialect built-ins -------------------

def test_spread_option_is_one_field_per_word_on_6_and_one_list_on_7():
    from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import OSPF_INSTANCE
    v6 = from_row(OSPF_INSTANCE, "6", {".id": "*0", "name": "default", "redistribute-connected": "as-type-1",
                                       "redistribute-static": "no"})
    assert v6.values["redistribute"] == ["connected"] and v6.builtin
    config = [{"name": "default", "redistribute": ["static", "connected"]}]
    assert lines(plan(OSPF_INSTANCE, "6", config, "merged", None, {"ospf_instance": [v6]})) == [
        "/routing ospf instance set [find name=default] redistribute-connected=as-type-1 "
        "redistribute-static=as-type-1 redistribute-rip=no redistribute-bgp=no"]
    v7 = from_row(OSPF_INSTANCE, "7", {".id": "*1", "name": "default", "redistribute": "static,connected"})
    assert not v7.builtin  # 7.x has no built-in instance
    assert plan(OSPF_INSTANCE, "7", config, "merged", None, {"ospf_instance": [v7]}).ops == []
    assert lines(plan(OSPF_INSTANCE, "7", [{"name": "default"}], "replaced", None, {"ospf_instance": [v7]})) == [
        '/routing ospf instance set [find name=default] redistribute=""']


def test_fixed_entries_are_set_never_added():
    from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import SERVICE
    from ansible_collections.ispkit.routeros.plugins.module_utils._sync import fresh_router
    current = {"service": fresh_router(SERVICE, "7")}
    assert lines(plan(SERVICE, "7", [{"name": "api", "address": ["10.0.0.0/24", "10.9.9.9/32"]}], "merged", None,
                      current)) == ["/ip service set [find name=api] address=10.0.0.0/24,10.9.9.9/32"]
    with pytest.raises(PlanError, match="service name=gopher does not exist"):
        plan(SERVICE, "7", [{"name": "gopher"}], "merged", None, current)
    assert "state" in resource_argument_spec(SERVICE) and "scope" not in resource_argument_spec(SERVICE)


def test_prefix_list_compares_a_bare_address_with_its_32():
    from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import SERVICE
    current = {"service": [from_row(SERVICE, "6", {".id": "*1", "name": "api", "address": "10.9.9.9/32,10.0.0.0/24"})]}
    assert plan(SERVICE, "6", [{"name": "api", "address": ["10.9.9.9", "10.0.0.5/24"]}], "merged", None,
                current).ops == []
    assert validate_config(SERVICE, [{"name": "api", "address": ["10.0.0.0/33"]}], "6")


def test_ospf_template_networks_are_a_set_gathered_as_a_list():
    from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import OSPF_NETWORK
    template = from_row(OSPF_NETWORK, "7", {".id": "*1", "networks": "10.2.0.0/24,10.1.0.0/24", "area": "a0"})
    assert shape(OSPF_NETWORK, "7", {"ospf_network": [template]}) == [
        {"network": ["10.2.0.0/24", "10.1.0.0/24"], "area": "a0", "disabled": False}]
    wanted = [{"network": ["10.1.0.0/24", "10.2.0.0/24"], "area": "a0"}]
    assert plan(OSPF_NETWORK, "7", wanted, "merged", None, {"ospf_network": [template]}).ops == []
    assert validate_config(OSPF_NETWORK, wanted, "7") == []
    assert validate_config(OSPF_NETWORK, wanted, "6") == [
        "config[0].network: takes at most 1 on RouterOS 6, got 10.1.0.0/24,10.2.0.0/24"]
    single = plan(OSPF_NETWORK, "6", [{"network": ["10.1.0.0/24"], "area": "a0"}], "merged", None, {"ospf_network": []})
    assert lines(single) == ["/routing ospf network add network=10.1.0.0/24 area=a0"]
