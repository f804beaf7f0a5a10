"""ispkit.routeros.radius on both dialects: servers (a list, in order) with /ppp aaa and /radius
incoming (single settings) in one task; the secret never shows."""
from __future__ import annotations

from lifecycle import Lifecycle

SECRET = "Radius-Secret-77"
RADIUS = {
    "servers": [{"address": "192.0.2.10", "service": ["ppp", "hotspot"], "secret": SECRET, "timeout": "1s",
                 "comment": "managed"},
                {"address": "192.0.2.11", "service": ["ppp"], "secret": SECRET, "comment": "managed"}],
    "ppp_aaa": {"use_radius": True, "interim_update": "5m"},
    "incoming": {"accept": True},
}


def test_radius_lifecycle(playbook):
    Lifecycle(
        module="radius",
        path="/radius",
        fields=("address", "service", "secret", "timeout", "comment"),
        secret_fields=("secret",),
        merged=RADIUS,
        after_merged=[
            {"address": "192.0.2.10", "service": "ppp,hotspot", "secret": SECRET, "timeout": "1s", "comment": "managed"},
            {"address": "192.0.2.11", "service": "ppp", "secret": SECRET, "timeout": "300ms", "comment": "managed"},
        ],
        # reversed order, timeout back to 300ms, a new secret
        replaced={"servers": [{"address": "192.0.2.11", "service": ["ppp"], "secret": "other", "comment": "managed"},
                              {"address": "192.0.2.10", "service": ["hotspot", "ppp"], "secret": SECRET,
                               "comment": "managed"}],
                  "ppp_aaa": {"use_radius": True}},
        foreign=[("/radius", {"address": "198.51.100.5", "service": "login", "comment": "by hand"})],
        scope={"servers": {"comment": "managed"}},
        overridden={"servers": [{"address": "192.0.2.10", "service": ["ppp", "hotspot"], "secret": SECRET}]},
        after_deleted=[{"address": "198.51.100.5", "service": "login", "secret": "", "timeout": "300ms",
                        "comment": "by hand"}],
    ).run(playbook)
    for router in playbook.routers.values():
        aaa = router.print("/ppp/aaa")[0]
        assert (aaa["use-radius"], aaa["interim-update"]) == ("true", "0s"), aaa  # replaced reset interim-update
        assert router.print("/radius/incoming")[0]["accept"] == "true"


def test_radius_secret_never_shows(playbook):
    tasks = [{"module": "radius", "args": {"config": RADIUS}},
             {"module": "radius", "args": {"config": {"servers": [dict(RADIUS["servers"][0], secret=SECRET + "x")]}},
              "check": True},
             {"module": "radius", "args": {"state": "gathered"}},
             {"module": "radius", "args": {"state": "rendered", "config": RADIUS}}]
    runs = playbook.run(tasks, verbosity=3)
    for major, run in runs.items():
        assert SECRET not in run.stdout + run.stderr, major
        assert run.results[1]["changed"] is True, major  # a changed secret is a change
        assert all("secret" not in server for server in run.results[2]["gathered"]["servers"]), major
