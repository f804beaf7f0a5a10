"""ispkit.routeros.service on both dialects: the router's own entries, set only."""
from __future__ import annotations

import shlex

import librouteros
import ros_emulator
from conftest import CHECKER, DIALECTS, PASSWORD

FIELDS = ("name", "port", "address", "disabled")
CONFIG = [{"name": "api", "address": ["127.0.0.0/8", "192.0.2.7"]},
          {"name": "telnet", "disabled": True},
          {"name": "ftp", "disabled": True, "port": 2121}]
REPLACED = [{"name": "api"}, {"name": "telnet"}, {"name": "ftp", "disabled": True}]


def services(router, names=("api", "telnet", "ftp")):
    rows = {row["name"]: row for row in router.print("/ip/service")}
    return {name: {k: rows[name].get(k) for k in FIELDS[1:]} for name in names}


def replay_with_find(router, lines):
    """Paste rendered `set [find name=X] k=v` lines through the API, finding ids as a console would."""
    api = librouteros.connect("127.0.0.1", "admin", PASSWORD, port=router.port)
    try:
        for line in lines:
            head, rest = line.split(" set [find ", 1)
            where, words = rest.split("] ", 1)
            path = api.path(*head.strip("/").split(" "))
            name, value = where.split("=", 1)
            ids = [row[".id"] for row in path if str(row.get(name)) == value]
            attrs = dict(word.split("=", 1) for word in shlex.split(words))
            for item in ids:
                path.update(**{".id": item}, **attrs)
    finally:
        api.close()


def test_service_set_only(playbook):
    tasks = [
        {"module": "service", "args": {"config": CONFIG}, "check": True},
        {"module": "service", "args": {"config": CONFIG}},
        {"module": "service", "args": {"config": CONFIG}},
        {"module": "service", "args": {"state": "gathered"}},
        {"module": "service", "args": {"config": "{{ r3.gathered }}"}},
        {"module": "service", "args": lambda major: {"state": "rendered", "config": CONFIG, "ros_version": major,
                                                     "hostname": "192.0.2.254", "port": 9}},
        # replaced: telnet back on (disabled reset), api open to all; ftp's port is not reset
        {"module": "service", "args": {"state": "replaced", "config": REPLACED}},
        {"module": "service", "args": {"state": "replaced", "config": REPLACED}},
    ]
    runs = playbook.run(tasks)
    for major, run in runs.items():
        check, real, again, gathered, fed_back, rendered, replaced, replaced_again = run.results
        assert check["changed"] and real["changed"] and check["commands"] == real["commands"], major
        assert run.writes_by(CHECKER) == [], major
        assert again["changed"] is False and again["before"] == real["after"], major
        assert fed_back["changed"] is False, (major, fed_back["commands"])
        assert sorted(entry["name"] for entry in gathered["gathered"]) == sorted(
            ("api", "api-ssl", "ftp", "ssh", "telnet", "winbox", "www", "www-ssl"))
        assert all(line.startswith("/ip service set [find name=") for line in rendered["rendered"]), rendered
        assert replaced["changed"] and replaced_again["changed"] is False, (major, replaced_again["commands"])
        assert services(playbook.routers[major]) == {
            "api": {"port": str(playbook.routers[major].port), "address": "", "disabled": "false"},
            "telnet": {"port": "23", "address": "", "disabled": "false"},
            "ftp": {"port": "2121", "address": "", "disabled": "true"},
        }, major
        fresh = ros_emulator.start_router(version=DIALECTS[major], password=PASSWORD)
        try:
            replay_with_find(fresh, rendered["rendered"])
            assert services(fresh) == {
                "api": {"port": str(fresh.port), "address": "127.0.0.0/8,192.0.2.7/32", "disabled": "false"},
                "telnet": {"port": "23", "address": "", "disabled": "true"},
                "ftp": {"port": "2121", "address": "", "disabled": "true"},
            }, (major, rendered["rendered"])
        finally:
            fresh.stop()
