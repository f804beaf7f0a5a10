"""config_file: entries from a JSON or YAML file instead of config, on both dialects.

The whole life of a list module and of a bundle module with every config given as a file found
next to the playbook; a vault-encrypted file; bad files fail naming file, entry and option, and
write nothing; secrets from a file never appear in output, even at -vvv.
"""
from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

from conftest import PASSWORD, VENV_BIN
from lifecycle import Lifecycle
from test_hotspot import HOTSPOT

SECRET = "file-Secret-77"


def test_ppp_secret_lifecycle_from_files(playbook):
    Lifecycle(
        module="ppp_secret",
        path="/ppp/secret",
        fields=("name", "password", "service", "profile", "remote-address", "disabled"),
        secret_fields=("password",),
        from_file=True,
        merged=[{"name": "alice", "password": "alice-pw", "service": "pppoe", "remote_address": "10.10.10.5"},
                {"name": "bob", "password": "bob pw $x", "service": "pppoe", "disabled": True}],
        after_merged=[
            {"name": "alice", "password": "alice-pw", "service": "pppoe", "profile": "default",
             "remote-address": "10.10.10.5", "disabled": "false"},
            {"name": "bob", "password": "bob pw $x", "service": "pppoe", "profile": "default", "disabled": "true"},
        ],
        replaced=[{"name": "alice", "password": "new-pw"}],
        scope={},
        overridden=[{"name": "carol", "password": "carol-pw"}],
        deleted=[{"name": "carol"}],
        after_deleted=[],
    ).run(playbook)


def test_hotspot_lifecycle_from_files(playbook):
    """A bundle: the file holds the sections, as config does."""
    Lifecycle(
        module="hotspot",
        path="/ip/hotspot",
        fields=("name", "interface", "profile", "idle-timeout"),
        from_file=True,
        merged=HOTSPOT,
        after_merged=[
            {"name": "hotspot1", "interface": "ether3", "profile": "hsprof1", "idle-timeout": "none"},
            {"name": "hotspot2", "interface": "ether4", "profile": "default", "idle-timeout": "5m"},
        ],
        replaced={"servers": [{"name": "hotspot1", "interface": "ether3", "profile": "hsprof1"}]},
        scope={"servers": {}},
        overridden={"servers": [{"name": "hotspot1", "interface": "ether3", "profile": "hsprof1"}]},
        after_deleted=[],
    ).run(playbook)


def test_vault_encrypted_file(playbook, monkeypatch):
    """A vaulted file is decrypted for the module's run only; messages name the vaulted file."""
    workdir = playbook.workdir
    password_file = workdir / "vault-pass"
    password_file.write_text("vault-pw\n")
    (workdir / "files").mkdir()
    good, bad = workdir / "files" / "secrets.yml", workdir / "files" / "bad.yml"
    good.write_text(yaml.safe_dump([{"name": "vaulted", "password": SECRET, "service": "pppoe"}]))
    bad.write_text(yaml.safe_dump([{"name": "vaulted", "password": SECRET, "servise": "pppoe"}]))
    for path in (good, bad):
        subprocess.run([str(VENV_BIN / "ansible-vault"), "encrypt", "--vault-password-file", str(password_file),
                        str(path)], check=True, capture_output=True)
        assert SECRET not in path.read_text()
    monkeypatch.setenv("ANSIBLE_VAULT_PASSWORD_FILE", str(password_file))
    runs = playbook.run([
        {"module": "ppp_secret", "args": {"config_file": "secrets.yml"}},  # found in the playbook's files/
        {"module": "ppp_secret", "args": {"config_file": "secrets.yml"}},
        {"module": "ppp_secret", "args": {"config_file": "bad.yml"}, "fails": True},
    ], verbosity=3)
    for major, run in runs.items():
        assert run.results[0]["changed"] is True and run.results[1]["changed"] is False
        message = run.results[2]["msg"]
        assert "in config_file %s" % bad in message and "config_file[0]: unknown option servise" in message, message
        assert '"config_file": "%s"' % good in run.stdout  # the echoed arguments (-vvv) name the user's file
        assert playbook.routers[major].print("/ppp/secret", name="vaulted")[0]["password"] == SECRET
        assert SECRET not in run.stdout + run.stderr
    leftovers = [name for _root, _dirs, files in os.walk(workdir / "tmp") for name in files]
    assert leftovers == [], leftovers  # decrypted copies are removed


def test_config_file_with_async(playbook, monkeypatch):
    """An async task reads a plain config_file as a normal one does; a vaulted file is refused
    before the module runs (its decrypted copy would outlive the task)."""
    workdir = playbook.workdir
    (workdir / "files").mkdir()
    plain, vaulted = workdir / "files" / "plain.yml", workdir / "files" / "vaulted.yml"
    plain.write_text(yaml.safe_dump([{"name": "background", "password": SECRET, "service": "pppoe"}]))
    vaulted.write_text(plain.read_text())
    password_file = workdir / "vault-pass"
    password_file.write_text("vault-pw\n")
    subprocess.run([str(VENV_BIN / "ansible-vault"), "encrypt", "--vault-password-file", str(password_file),
                    str(vaulted)], check=True, capture_output=True)
    monkeypatch.setenv("ANSIBLE_VAULT_PASSWORD_FILE", str(password_file))
    runs = playbook.run([
        {"module": "ppp_secret", "args": {"config_file": "plain.yml"}, "async": 60},
        {"module": "ppp_secret", "args": {"config_file": "plain.yml"}, "async": 60},
        {"module": "ppp_secret", "args": {"config_file": "vaulted.yml"}, "async": 60, "fails": True},
    ])
    for major, run in runs.items():
        first, again, refused = run.results
        assert first["changed"] is True and again["changed"] is False, (major, first, again)
        assert "cannot be read by an async task" in refused["msg"], refused["msg"]
        assert playbook.routers[major].print("/ppp/secret", name="background")[0]["password"] == SECRET
        assert SECRET not in run.stdout + run.stderr + json.dumps(run.results)


# (case id, file name, file text or None for no file, extra args, words the message must contain)
BAD_FILES = [
    ("missing file", "nowhere.yml", None, {}, ["config_file: cannot use nowhere.yml", "Could not find or access"]),
    ("not a list", "one.yml", "name: alice\n", {}, ["config_file: must be a list of entries, got a mapping"]),
    ("entry not a mapping", "names.yml", "- alice\n- bob\n", {}, ["config_file[0]: must be a mapping", "2 problems"]),
    ("unknown option", "typo.json", json.dumps([{"name": "a"}, {"name": "b", "pasword": SECRET}]), {},
     ["config_file[1]: unknown option pasword"]),
    ("bad choice", "choice.yml", "- {name: a, service: pppoe2}\n", {}, ["config_file[0].service: pppoe2 is not one of"]),
    ("bad type", "type.yml", "- {name: a, limit_bytes_in: lots}\n", {},
     ["config_file[0].limit_bytes_in: must be an integer"]),
    ("missing name", "noname.yml", "- {password: %s}\n" % SECRET, {}, ["config_file[0].name: missing, it is required"]),
    ("bad address", "address.yml", "- {name: a, remote_address: 10.10.10}\n", {},
     ["config_file[0].remote_address: must be an IPv4 address"]),
    ("duplicate entry", "twice.yml", "- {name: a}\n- {name: a, password: %s}\n" % SECRET, {},
     ["config_file[1]: duplicate entry name=a, already given as config_file[0]"]),
    ("broken YAML", "broken.yml", "- name: a\n  password: \"%s\n" % SECRET, {}, ["is neither JSON nor YAML: line"]),
    ("empty file", "empty.yml", "", {}, ["is empty; it must hold what config takes (a list of entries)"]),
    ("both config and config_file", "both.yml", "- {name: a}\n", {"config": [{"name": "b"}]},
     ["mutually exclusive", "config|config_file"]),
]


@pytest.mark.parametrize("case", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_files_fail_naming_the_problem_and_never_write(playbook, case):
    _case_id, name, text, extra, words = case
    if text is not None:
        (playbook.workdir / name).write_text(text)
    runs = playbook.run([{"module": "ppp_secret", "args": dict(extra, config_file=name), "fails": True}], verbosity=3)
    for major, run in runs.items():
        message = run.results[0]["msg"]
        for word in words:
            assert word in message, (major, word, message)
        if text is not None and "mutually" not in message:
            assert "in config_file %s" % (playbook.workdir / name) in message or "config_file:" in message, message
        assert run.journal == [], (major, run.journal)
        assert SECRET not in run.stdout + run.stderr


def test_file_secrets_never_shown_even_at_vvv(playbook):
    (playbook.workdir / "users.json").write_text(json.dumps([{"name": "alice", "password": SECRET}]))
    (playbook.workdir / "changed.json").write_text(json.dumps([{"name": "alice", "password": SECRET + "x"}]))
    runs = playbook.run([
        {"module": "ppp_secret", "args": {"config_file": "users.json"}},
        {"module": "ppp_secret", "args": {"config_file": "changed.json"}, "check": True},
        {"module": "ppp_secret", "args": {"config_file": "users.json", "state": "rendered"}},
        {"module": "ppp_secret", "args": {"config_file": "users.json", "state": "deleted"}},
    ], verbosity=3)
    for major, run in runs.items():
        assert [result["changed"] for result in run.results] == [True, True, False, True], major
        assert run.results[2]["rendered"] == ["/ppp secret add name=alice password=********"]
        for secret in (SECRET, PASSWORD):
            assert secret not in run.stdout + run.stderr, (major, secret)


def test_large_task_reports_a_prediction_equal_to_the_router(playbook):
    """Over 500 entries `after` is predicted, not read back, and lists the first 500 changed
    entries: they must equal what the router holds (gathered afterwards), in check mode and for
    real; a second run changes nothing."""
    entries = [{"name": "user%04d" % i, "password": "pw%d" % i, "service": "pppoe", "limit_bytes_in": str(i),
                "disabled": "yes" if i % 7 == 0 else False, "remote_address": "10.10.%d.%d" % (i // 250, i % 250 + 1)}
               for i in range(600)]
    (playbook.workdir / "many.json").write_text(json.dumps(entries))
    runs = playbook.run([
        {"module": "ppp_secret", "args": {"config_file": "many.json"}, "check": True},
        {"module": "ppp_secret", "args": {"config_file": "many.json"}},
        {"module": "ppp_secret", "args": {"config_file": "many.json"}},
        {"module": "ppp_secret", "args": {"state": "gathered"}},
    ])
    for major, run in runs.items():
        check, real, again, gathered = run.results
        assert real["entry_counts"] == {"before": 0, "after": 600, "changed": 600, "listed": 500}, major
        assert len(real["commands"]) == 600 and check["commands"] == real["commands"], major
        assert len(gathered["gathered"]) == 600, major
        assert check["after"] == real["after"] == gathered["gathered"][:500], major
        assert again["changed"] is False and again["commands"] == [], major
        assert len(playbook.routers[major].print("/ppp/secret")) == 600
