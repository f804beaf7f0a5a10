"""ispkit.routeros.ospf on both dialects: one argument spec, written to 6.x's network menu and
7.x's interface templates; instance, areas and networks in one task, removed in reverse."""
from __future__ import annotations

from lifecycle import Lifecycle

OSPF = {
    "instances": [{"name": "ospf1", "router_id": "10.255.255.1", "redistribute": ["connected", "static"],
                   "comment": "managed"}],
    "areas": [{"name": "area0", "area_id": "0.0.0.0", "instance": "ospf1", "comment": "managed"}],
    "networks": [{"network": "10.255.255.0/30", "area": "area0", "comment": "managed"},
                 {"network": "10.10.10.0/24", "area": "area0", "comment": "managed"}],
}


def network_path(major):
    return "/routing/ospf/network" if major == "6" else "/routing/ospf/interface-template"


def networks(major, *prefixes):
    name = "network" if major == "6" else "networks"
    return [{name: prefix, "area": "area0", "comment": "managed"} for prefix in prefixes]


def test_ospf_networks(playbook):
    lifecycle = Lifecycle(
        module="ospf",
        path="",
        fields=("network", "networks", "area", "comment"),
        merged=OSPF,
        after_merged=lambda major: networks(major, "10.255.255.0/30", "10.10.10.0/24"),
        replaced={"networks": [{"network": "10.10.10.0/24", "area": "area0", "comment": "managed",
                                "disabled": True}]},
        foreign=lambda major: [(network_path(major), {
            "network" if major == "6" else "networks": "192.168.88.0/24", "area": "area0", "comment": "by hand"})],
        scope={"networks": {"comment": "managed"}},
        overridden={"networks": [{"network": "10.255.255.0/30", "area": "area0"}]},
        # deleted empties the networks' scope only; the foreign network keeps area0 and ospf1 in use
        after_deleted=lambda major: [{"network" if major == "6" else "networks": "192.168.88.0/24", "area": "area0",
                                      "comment": "by hand"}],
    )

    class PerDialectPath(Lifecycle):
        def assert_state(self, router, expected, state, result):
            self.path = network_path(router.major)
            super().assert_state(router, expected, state, result)

        def assert_rendered_replays(self, lines, major):
            self.path = network_path(major)
            super().assert_rendered_replays(lines, major)

    PerDialectPath(**lifecycle.__dict__).run(playbook)
    for major, router in playbook.routers.items():
        instance = [row for row in router.print("/routing/ospf/instance") if row["name"] == "ospf1"][0]
        assert instance["router-id"] == "10.255.255.1"
        if major == "6":
            assert (instance["redistribute-connected"], instance["redistribute-static"]) == ("as-type-1", "as-type-1")
        else:
            assert sorted(instance["redistribute"].split(",")) == ["connected", "static"]


def test_ospf_builtins_on_6_and_instance_removal(playbook):
    """6.x's built-in instance and backbone are set, never added or removed; 7.x creates them and
    `deleted` removes them, templates first. The facts module gathers every routing resource."""
    config = {"instances": [{"name": "default", "redistribute": ["connected"]}],
              "areas": [{"name": "backbone", "area_id": "0.0.0.0"}],
              "networks": [{"network": "10.255.255.0/30", "area": "backbone"}]}
    tasks = [{"module": "ospf", "args": {"config": config}},
             {"module": "ospf", "args": {"config": config}},
             {"module": "ospf", "args": {"state": "deleted", "scope": {"networks": {}, "areas": {}, "instances": {}}}},
             {"module": "ospf", "args": {"state": "deleted", "scope": {"networks": {}, "areas": {}, "instances": {}}}},
             {"module": "facts", "args": {"gather": ["ospf", "radius", "service", "dhcp_client", "netwatch"]}}]
    runs = playbook.run(tasks)
    for major, run in runs.items():
        first, again, deleted, deleted_again, facts = run.results
        gathered = facts["ansible_facts"]["routeros"]["resources"]
        assert sorted(gathered) == ["dhcp_client", "netwatch", "ospf", "radius", "service"], major
        assert sorted(gathered["ospf"]) == ["areas", "instances", "networks"], major
        verbs = [line.split()[3] for line in first["commands"]]
        assert verbs == (["set", "add"] if major == "6" else ["add", "add", "add"]), (major, first["commands"])
        assert again["changed"] is False, (major, again["commands"])
        assert deleted["changed"] and deleted_again["changed"] is False, (major, deleted_again["commands"])
        if major == "7":
            assert deleted["commands"][0].startswith("/routing ospf interface-template remove"), deleted["commands"]
            assert deleted["commands"][-1].startswith("/routing ospf instance remove"), deleted["commands"]
        router = playbook.routers[major]
        assert [row["name"] for row in router.print("/routing/ospf/instance")] == (["default"] if major == "6" else [])


def test_template_with_several_networks_gathers_as_a_list(playbook):
    """A 7.x interface template may hold several networks: gathered as a list, fed back (in any
    order) it changes nothing. On 6.x each network is an entry of its own."""
    setup = {"instances": [{"name": "ospf1"}], "areas": [{"name": "area0", "area_id": "0.0.0.0", "instance": "ospf1"}]}
    playbook.run([{"module": "ospf", "args": {"config": setup}}])
    for major, router in playbook.routers.items():
        added = [{"networks": "10.1.0.0/24,10.2.0.0/24"}] if major == "7" else [
            {"network": "10.1.0.0/24"}, {"network": "10.2.0.0/24"}]
        Lifecycle.add_foreign(router, [(network_path(major), dict(entry, area="area0")) for entry in added])
    runs = playbook.run([
        {"module": "ospf", "args": {"state": "gathered"}},
        {"module": "ospf", "args": {"config": {"networks": "{{ r0.gathered.networks }}"}}},
        {"module": "ospf", "args": lambda major: {"config": {"networks": [
            {"network": ["10.2.0.0/24", "10.1.0.0/24"] if major == "7" else "10.2.0.0/24", "area": "area0"}]}}},
    ])
    for major, run in runs.items():
        gathered, fed_back, reordered = run.results
        expected = [{"network": ["10.1.0.0/24", "10.2.0.0/24"], "area": "area0", "disabled": False}] if major == "7" \
            else [{"network": ["10.1.0.0/24"], "area": "area0", "disabled": False},
                  {"network": ["10.2.0.0/24"], "area": "area0", "disabled": False}]
        assert gathered["gathered"]["networks"] == expected, (major, gathered["gathered"])
        assert fed_back["changed"] is False and reordered["changed"] is False, (major, fed_back, reordered)
        assert run.journal == [], (major, run.journal)
