"""Applying a plan: runs of like operations on one menu go to the router as batches; a refusal
message says exactly what was applied before the refused command and with it."""
from __future__ import annotations

from ansible_collections.ispkit.routeros.plugins.module_utils._runner import applied_text, batches, op_words
from ansible_collections.ispkit.routeros.plugins.module_utils._sync import Op


def add(path, name, destination=None):
    return Op("add", path, "+" + name, {"name": name}, {"name": name}, destination=destination)


def test_runs_of_the_same_action_on_one_menu_are_batched():
    ops = [add("/interface/bridge", "br1"), add("/interface/bridge/port", "p1"), add("/interface/bridge/port", "p2"),
           Op("set", "/interface/bridge/port", "*1", {"interface": "e1"}, {"pvid": "2"}),
           Op("set", "/interface/bridge/port", "*2", {"interface": "e2"}, {"pvid": "3"}),
           Op("unset", "/interface/bridge/port", "*3", {"interface": "e3"}, {"horizon": ""}),
           Op("remove", "/interface/bridge/port", "*4", {"interface": "e4"}),
           Op("remove", "/interface/bridge/port", "*5", {"interface": "e5"})]
    assert [[op.action for op in run] for run in batches(ops)] == [
        ["add"], ["add", "add"], ["set", "set"], ["unset"], ["remove", "remove"]]


def test_placed_and_moved_rules_go_one_by_one():
    ops = [add("/ip/firewall/mangle", "a"), add("/ip/firewall/mangle", "b", destination="*9"),
           add("/ip/firewall/mangle", "c", destination="+b"), Op("move", "/ip/firewall/mangle", "*1", destination="*2"),
           Op("move", "/ip/firewall/mangle", "*3")]
    assert [len(run) for run in batches(ops)] == [1, 1, 1, 1, 1]


def test_words_resolve_placeholders_of_earlier_adds():
    created = {"+b": "*1B"}
    assert op_words(add("/ip/firewall/mangle", "c", destination="+b"), created) == {"name": "c", "place-before": "*1B"}
    assert op_words(Op("set", "/ip/pool", "+b", {}, {"ranges": "x"}), created) == {"ranges": "x", ".id": "*1B"}
    assert op_words(Op("remove", "/ip/pool", "*7"), created) == {".id": "*7"}
    assert op_words(Op("set", "/system/identity", None, {}, {"name": "r1"}), created) == {"name": "r1"}


def test_refusal_text_names_what_was_applied_around_it():
    ops = [add("/ip/pool", name) for name in ("p1", "p2", "p3", "p4")]
    assert applied_text(ops, [], 0) == "; nothing was changed"
    assert applied_text(ops, [0], 1) == "; applied before it: /ip pool add name=p1"
    assert applied_text(ops, [0, 2], 1) == (
        "; applied before it: /ip pool add name=p1; applied after it (sent with it): /ip pool add name=p3")
