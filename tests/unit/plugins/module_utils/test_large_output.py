"""Large tasks: before/after (and the diff) list only the entries the task changes, with counts;
commands stay complete."""
from __future__ import annotations

from ansible_collections.ispkit.routeros.plugins.module_utils import _declarations as d
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import MANY_ENTRIES, exit_with
from ansible_collections.ispkit.routeros.plugins.module_utils._sync import Current, plan, render


class FakeModule:
    def __init__(self, config, diff=False):
        self._diff = diff
        self.params = {"hostname": "192.0.2.1", "password": "x", "state": "merged", "config": config}
        self.output = None

    def exit_json(self, **output):
        self.output = output


def secrets(count, changed=()):
    return [{"name": "u%05d" % i, "password": "new" if i in changed else "pw%d" % i, "service": "pppoe",
             "profile": None, "comment": None} for i in range(count)]


def router_secrets(count):
    return {"ppp_secret": [Current("*%X" % i, {"name": "u%05d" % i, "password": "pw%d" % i, "service": "pppoe"})
                           for i in range(count)]}


def run(config, current, diff=False, state="merged", scope=None):
    module = FakeModule(config, diff)
    exit_with(module, d.PPP_SECRET, "7", plan(d.PPP_SECRET, "7", config, state, scope, current))
    return module.output


def test_planner_notes_the_entries_operations_touch():
    current = router_secrets(4)
    config = [{"name": "u00001", "password": "new"}, {"name": "u00002", "password": "pw2", "service": "pppoe"},
              {"name": "added"}]
    result = plan(d.PPP_SECRET, "7", config, "overridden", {}, current)
    assert result.touched == {"ppp_secret": {("u00001",), ("added",), ("u00000",), ("u00003",)}}


def test_small_tasks_list_every_entry():
    count = MANY_ENTRIES
    output = run(secrets(count, changed={7}), router_secrets(count), diff=True)
    assert len(output["before"]) == len(output["after"]) == count
    assert "entry_counts" not in output and "invocation" not in output  # Ansible echoes the arguments
    assert output["diff"]["before"].count("\n") == count


def test_large_tasks_list_only_changed_entries_with_counts():
    count = MANY_ENTRIES + 100
    new = {"name": "zz-new", "password": "p", "service": "any", "profile": None, "comment": None}
    config = secrets(count, changed={3, 400}) + [new]
    output = run(config, router_secrets(count), diff=True)
    assert output["commands"] == [render(op) for op in plan(d.PPP_SECRET, "7", config, "merged", None,
                                                            router_secrets(count)).ops]
    assert len(output["commands"]) == 3
    assert output["entry_counts"] == {"before": count, "after": count + 1, "changed": 3, "listed": 3}
    assert [e["name"] for e in output["before"]] == ["u00003", "u00400"]
    assert [e["name"] for e in output["after"]] == ["u00003", "u00400", "zz-new"]
    assert [line.split(" name=")[1].split()[0] for line in output["diff"]["after"].splitlines()] == [
        "u00003", "u00400", "zz-new"]
    assert len(output["diff"]["before"].splitlines()) == 2
    echoed = output["invocation"]["module_args"]["config"]
    assert len(echoed) == count + 1 and echoed[0] == {"name": "u00000", "password": "pw0", "service": "pppoe"}


def test_large_no_change_task_returns_empty_lists():
    count = MANY_ENTRIES + 1
    output = run(secrets(count), router_secrets(count))
    assert output["changed"] is False and output["commands"] == []
    assert output["before"] == output["after"] == []
    assert output["entry_counts"] == {"before": count, "after": count, "changed": 0, "listed": 0}


def test_large_overridden_lists_removed_entries_in_before_only():
    count = MANY_ENTRIES + 10
    output = run(secrets(count - 1), router_secrets(count), state="overridden", scope={})
    assert output["commands"] == ["/ppp secret remove [find name=u%05d]" % (count - 1)]
    assert [e["name"] for e in output["before"]] == ["u%05d" % (count - 1)] and output["after"] == []
    assert output["entry_counts"] == {"before": count, "after": count - 1, "changed": 1, "listed": 1}


def test_large_bridge_task_shows_a_changed_port_with_its_bridge_and_all_its_ports():
    count = MANY_ENTRIES + 1
    current = {"bridge": [Current("*%X" % i, {"name": "br%d" % i}) for i in range(count)],
               "bridge_port": [Current("*A1", {"bridge": "br5", "interface": "ether1"}),
                               Current("*A2", {"bridge": "br5", "interface": "ether2", "pvid": "1"})]}
    config = [{"name": "br5", "ports": [{"interface": "ether1", "pvid": 7}, {"interface": "ether2"}]}]
    module = FakeModule(config)
    result = plan(d.BRIDGE, "7", config, "merged", None, current)
    exit_with(module, d.BRIDGE, "7", result)
    output = module.output
    assert output["commands"] == [render(op) for op in result.ops] and len(output["commands"]) == 1
    assert [e["name"] for e in output["after"]] == ["br5"]
    assert sorted(port["interface"] for port in output["after"][0]["ports"]) == ["ether1", "ether2"]
    assert output["entry_counts"]["changed"] == 1


def test_large_tasks_list_at_most_many_changed_entries_commands_stay_complete():
    """A first run of 10,000 entries would list them all: before/after list the first 500 (in
    after's order, then removed ones) and entry_counts says how many changed."""
    count = 2 * MANY_ENTRIES + 50
    current = router_secrets(count)
    config = [dict(entry, password="new") for entry in secrets(count)[:-20]]  # sets all but the last 20
    output = run(config, current, diff=True, state="overridden", scope={})  # and removes the last 20
    assert len(output["commands"]) == count
    assert output["entry_counts"] == {"before": count, "after": count - 20, "changed": count, "listed": MANY_ENTRIES}
    assert [e["name"] for e in output["before"]] == [e["name"] for e in output["after"]] == [
        "u%05d" % i for i in range(MANY_ENTRIES)]
    assert len(output["diff"]["after"].splitlines()) == MANY_ENTRIES
    first_run = run(secrets(count), {"ppp_secret": []})
    assert first_run["entry_counts"]["listed"] == MANY_ENTRIES and len(first_run["after"]) == MANY_ENTRIES
    assert first_run["before"] == [] and len(first_run["commands"]) == count
