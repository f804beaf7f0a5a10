"""The `resources` module's pure parts: blocks checked as their modules check a task, secrets
masked in any shape, the combined result and per-block diff headers."""
from __future__ import annotations

from ansible_collections.ispkit.routeros.plugins.module_utils._blocks import (
    SECRET_OPTIONS, Menus, combined, masked, read_blocks,
)
from ansible_collections.ispkit.routeros.plugins.module_utils._declarations import POOL
from ansible_collections.ispkit.routeros.plugins.module_utils._sync import Current


def test_blocks_get_their_modules_defaults_and_conversions():
    blocks, errors = read_blocks([
        {"resource": "pool", "config": [{"name": "p", "ranges": "10.0.0.2-10.0.0.9"}]},
        {"name": "uplinks", "resource": "dhcp_client", "config": [{"interface": "ether1", "add_default_route": "yes"}]},
        {"resource": "identity", "config": {"name": "r1"}},
    ])
    assert errors == []
    assert [(b.name, b.state) for b in blocks] == [("pool", "merged"), ("uplinks", "merged"), ("identity", "merged")]
    assert blocks[0].config[0]["ranges"] == ["10.0.0.2-10.0.0.9"]  # str -> list, as Ansible converts
    assert blocks[0].config[0]["comment"] is None  # options not given are None, as in a module's config
    assert blocks[1].config[0]["add_default_route"] in ("yes", True)


def test_every_problem_names_its_block_and_option():
    _blocks, errors = read_blocks([
        {"resource": "identity", "state": "overridden", "config": {"name": "r1"}},
        {"resource": "nat", "state": "overridden", "config": [{"chain": "srcnat", "action": "masquerade", "comment": "x"}]},
        {"resource": "pool", "config": [{"name": "p", "ranges": ["10.0.0.2-10.0.0.9"], "colour": "red"}]},
        {"resource": "nat", "scope": {"comment": "x"}, "config": []},
        {"resource": "nope"},
        "pool",
    ])
    text = "\n".join(errors)
    assert "resources[0] (identity).state: overridden is not one of merged, replaced, gathered, rendered" in text
    assert "resources[1] (nat): state=overridden removes every entry in scope" in text
    assert "resources[2] (pool).config[0]: unknown option colour" in text
    assert "resources[3] (nat): the name is taken by resources[1]" in text
    assert "resources[4].resource: 'nope' is not a resource" in text
    assert "resources[5]: must be a mapping" in text


def test_rendered_does_not_mix_with_states_that_need_a_router():
    _blocks, errors = read_blocks([{"resource": "pool", "state": "rendered", "config": []},
                                   {"name": "b", "resource": "pool", "state": "gathered"}])
    assert any("give rendered blocks a task of their own" in error for error in errors)
    assert read_blocks([])[1] == ["resources: give at least one block (resource, config, state)"]


def test_secrets_are_masked_wherever_they_are():
    assert {"password", "secret"} <= SECRET_OPTIONS
    given = [{"resource": "ppp_secret", "config": [{"name": "a", "password": "pw1"}]},
             {"resource": "radius", "config": {"servers": [{"address": "10.0.0.1", "secret": "s3"}]}},
             {"resource": "ppp_secret", "config": "password"},  # malformed: left as it is
             {"resource": "radius", "config": {"servers": [{"secret": None}]}}]
    shown = masked(given)
    assert "pw1" not in repr(shown) and "s3" not in repr(shown)
    assert shown[0]["config"][0] == {"name": "a", "password": "********"}
    assert shown[3]["config"]["servers"][0]["secret"] is None
    assert given[0]["config"][0]["password"] == "pw1"  # the input is not touched


def test_menus_are_read_once_and_then_follow_the_blocks():
    reads = []

    def read(menus):
        reads.append([menu.name for menu in menus])
        return {menu.name: [Current("*1", {"name": "old"})] for menu in menus}
    menus = Menus(read)
    assert menus.get([POOL, POOL])["pool"][0].values == {"name": "old"}
    menus.get([POOL])
    assert reads == [["pool"]]
    menus.update({"pool": [Current(None, {"name": "new"})]})
    assert menus.get([POOL])["pool"][0].values == {"name": "new"}
    menus.forget([POOL])
    menus.get([POOL])
    assert reads == [["pool"], ["pool"]]


def test_combined_result_and_diff_headers():
    done = [{"name": "a", "changed": True, "commands": ["/ip pool add name=a"], "diff": {"before": "", "after": "x\n"}},
            {"name": "b", "changed": False, "commands": [], "diff": {"before": "y\n", "after": "y\n"}}]
    output = combined(done, with_diff=True)
    assert output["changed"] is True and output["commands"] == ["/ip pool add name=a"]
    assert output["diff"] == [{"before": "", "after": "x\n", "before_header": "a", "after_header": "a"}]
    assert all("diff" not in result for result in output["results"])
    assert "diff" not in combined(done, with_diff=False)


def test_diff_lines_write_values_as_routeros_does():
    from ansible_collections.ispkit.routeros.plugins.module_utils._runner import diff_value
    assert [diff_value(v) for v in (True, False, ["10.0.0.2-10.0.0.9", "10.0.1.2"], "a b", "", 5)] == [
        "yes", "no", "10.0.0.2-10.0.0.9,10.0.1.2", '"a b"', '""', "5"]


def test_a_block_file_is_checked_like_config(tmp_path):
    (tmp_path / "pools.json").write_text('[{"name": "p", "ranges": "10.0.0.2-10.0.0.9"}]')
    blocks, errors = read_blocks([{"resource": "pool", "config_file": str(tmp_path / "pools.json")}])
    assert errors == [] and blocks[0].config[0]["ranges"] == ["10.0.0.2-10.0.0.9"]
    _blocks, errors = read_blocks([
        {"resource": "pool", "config": [], "config_file": str(tmp_path / "pools.json")},
        {"name": "b", "resource": "pool", "config_file": str(tmp_path / "none.json")},
    ])
    assert errors[0] == "resources[0] (pool): give config or config_file, not both"
    assert errors[1].startswith("resources[1] (b).config_file: cannot read %s" % (tmp_path / "none.json"))
