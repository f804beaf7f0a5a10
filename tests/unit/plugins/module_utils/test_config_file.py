"""config_file: entries read from JSON or YAML and checked as Ansible checks `config` (the same
values come out, the same inputs are refused), with messages naming entry and option and never
showing a secret."""
from __future__ import annotations

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.ispkit.routeros.plugins.module_utils import _declarations as d
from ansible_collections.ispkit.routeros.plugins.module_utils import _declarations_access as a
from ansible_collections.ispkit.routeros.plugins.module_utils import _declarations_routing as r
from ansible_collections.ispkit.routeros.plugins.module_utils._config_file import (
    HANDLED_SPEC_KEYS, ConfigFileError, conform, load_config_file, read_file,
)
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import argument_spec, takes_file

LIST_MODULES = [d.ADDRESS, d.BRIDGE, d.POOL, d.PPP_SECRET, d.ROUTE, d.MANGLE, d.NAT, a.PPP_PROFILE,
                a.PPPOE_SERVER, a.HOTSPOT, a.HOTSPOT_USER, a.DHCP_SERVER, r.OSPF, r.RADIUS, r.SERVICE,
                r.NETWATCH, r.DHCP_CLIENT]


def config_spec(resource):
    return argument_spec(resource)["config"]


def ansible_config(resource, value):
    """What AnsibleModule makes of `config`: (validated value, error messages)."""
    result = ArgumentSpecValidator({"config": config_spec(resource)}).validate({"config": value})
    return result.validated_parameters.get("config"), result.error_messages


def from_file(resource, value):
    errors = []
    return conform(config_spec(resource), value, "config_file", errors), errors


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_every_list_module_takes_a_file_and_its_spec_is_fully_handled():
    assert not takes_file(d.IDENTITY)

    def keys(spec):
        found = set(spec)
        for sub in (spec.get("options") or {}).values():
            found |= keys(sub)
        return found
    for resource in LIST_MODULES:
        assert takes_file(resource), resource.name
        assert argument_spec(resource)["config_file"] == {"type": "path"}
        assert keys(config_spec(resource)) <= HANDLED_SPEC_KEYS, resource.name


@pytest.mark.parametrize("resource, value", [
    (d.PPP_SECRET, [{"name": "alice", "password": "pw", "service": "pppoe", "limit_bytes_in": "100",
                     "disabled": "yes"}, {"name": 42, "limit_bytes_out": 7, "disabled": False}]),
    (d.BRIDGE, [{"name": "br1", "ageing_time": "5m", "ports": [{"interface": "ether2", "pvid": "10", "hw": "no"}]}]),
    (r.SERVICE, [{"name": "api", "address": "10.0.0.0/8,192.168.0.0/16", "port": 8728}]),
    (r.OSPF, {"instances": [{"name": "default", "redistribute": ["connected"]}],
              "networks": [{"network": "10.0.0.0/24", "area": "backbone"}]}),
    (a.HOTSPOT, {"user_profiles": [{"name": "trial", "rate_limit": "1M/1M", "add_mac_cookie": True}]}),
    (a.PPPOE_SERVER, [{"service_name": "isp", "interface": "ether3"}]),
    (r.RADIUS, {"servers": [{"address": "10.0.0.9", "secret": "s", "service": ["ppp", "hotspot"]}],
                "ppp_aaa": {"use_radius": True}}),
])
def test_valid_entries_come_out_as_ansible_makes_them(resource, value):
    expected, errors = ansible_config(resource, json.loads(json.dumps(value)))
    assert errors == []
    assert from_file(resource, json.loads(json.dumps(value))) == (expected, [])


def test_yaml_booleans_among_choices_map_back_as_ansible_maps_them():
    value = [{"name": "u", "service": True}]  # YAML `service: yes` on a str option without yes in choices
    assert ansible_config(d.PPP_SECRET, value)[1]
    assert from_file(d.PPP_SECRET, value)[1]
    yes_no = {"type": "list", "elements": "dict", "options": {"x": {"type": "str", "choices": ["yes", "no"]}}}
    assert conform(yes_no, [{"x": True}, {"x": False}], "config_file", []) == [{"x": "yes"}, {"x": "no"}]


@pytest.mark.parametrize("resource, value, words", [
    (d.PPP_SECRET, {"name": "u"}, ["config_file: must be a list of entries, got a mapping"]),
    (d.PPP_SECRET, ["u1"], ["config_file[0]: must be a mapping of options, got a string"]),
    (d.PPP_SECRET, [{"name": "u", "pasword": "x"}], ["config_file[0]: unknown option pasword", "options: caller_id"]),
    (d.PPP_SECRET, [{"password": "x"}], ["config_file[0].name: missing, it is required"]),
    (d.PPP_SECRET, [{"name": "u"}, {"name": "v", "service": "pppoe2"}],
     ["config_file[1].service: pppoe2 is not one of any, async"]),
    (d.PPP_SECRET, [{"name": "u", "limit_bytes_in": "lots"}],
     ["config_file[0].limit_bytes_in: must be an integer, got a string 'lots'"]),
    (d.PPP_SECRET, [{"name": "u", "disabled": "maybe"}], ["config_file[0].disabled: must be a boolean"]),
    (d.BRIDGE, [{"name": "br1", "ports": [{"pvid": 3}]}], ["config_file[0].ports[0].interface: missing"]),
    (d.BRIDGE, [{"name": "br1", "ports": {"interface": "ether2"}}], ["config_file[0].ports: must be a list"]),
    (a.HOTSPOT, [{"name": "x"}], ["config_file: must be a mapping of options, got a list"]),
    (a.HOTSPOT, {"servers": [{"name": "hs", "colour": 1}]}, ["config_file.servers[0]: unknown option colour"]),
    (r.OSPF, {"instances": [{"name": "i", "redistribute": ["ospf"]}]},
     ["config_file.instances[0].redistribute: ospf is not one of connected, static"]),
])
def test_bad_entries_are_refused_as_ansible_refuses_them(resource, value, words):
    assert ansible_config(resource, json.loads(json.dumps(value)))[1], "Ansible accepts it: not a fair case"
    _converted, errors = from_file(resource, value)
    text = "; ".join(errors)
    for word in words:
        assert word in text, (word, text)


def test_secret_values_are_never_shown_in_problems():
    spec = {"type": "list", "elements": "dict", "options": {
        "name": {"type": "str", "required": True},
        "pin": {"type": "int", "no_log": True},
        "word": {"type": "str", "no_log": True, "choices": ["a", "b"]}}}
    errors = []
    conform(spec, [{"name": "n", "pin": "hunter2", "word": "hunter3"}], "config_file", errors)
    text = "; ".join(errors)
    assert "config_file[0].pin: must be an integer, got a string" in text
    assert "config_file[0].word: the value is not one of a, b" in text
    assert "hunter" not in text


def test_json_and_yaml_files_read_alike(tmp_path):
    entries = [{"name": "alice", "password": "pw", "service": "pppoe", "disabled": True}]
    json_file = write(tmp_path, "secrets.json", json.dumps(entries))
    yaml_file = write(tmp_path, "secrets.yml", "- name: alice\n  password: pw\n  service: pppoe\n  disabled: yes\n")
    assert read_file(json_file) == read_file(yaml_file) == entries
    loaded, errors = load_config_file(yaml_file, config_spec(d.PPP_SECRET))
    assert errors == [] and loaded == ansible_config(d.PPP_SECRET, entries)[0]


def test_unreadable_files_say_why_without_quoting_them(tmp_path):
    with pytest.raises(ConfigFileError, match="cannot read .*missing.yml: No such file or directory"):
        read_file(str(tmp_path / "missing.yml"))
    broken = write(tmp_path, "broken.yml", "- name: alice\n  password: \"s3cret-unclosed\n")
    with pytest.raises(ConfigFileError) as raised:
        read_file(broken)
    assert "is neither JSON nor YAML: line" in str(raised.value)
    assert "s3cret" not in str(raised.value)
    empty = write(tmp_path, "empty.yml", "")
    assert load_config_file(empty, config_spec(d.PPP_SECRET)) == (
        None, ["%s is empty; it must hold what config takes (a list of entries)" % empty])
