"""ispkit.routeros.netwatch on both dialects."""
from __future__ import annotations

from lifecycle import Lifecycle

FIELDS = ("host", "interval", "down-script", "name", "comment", "disabled")


def merged(major):
    extra = {"name": "isp1-gw"} if major == "7" else {}
    return [{"host": "10.1.1.2", "interval": "30s", "down_script": ':log warning "isp1 down"', "comment": "managed",
             **extra},
            {"host": "10.2.2.2", "interval": "00:01:30", "comment": "managed"}]


def after_merged(major):
    extra = {"name": "isp1-gw"} if major == "7" else {}
    return [{"host": "10.1.1.2", "interval": "30s", "down-script": ':log warning "isp1 down"', "comment": "managed",
             "disabled": "false", **extra},
            {"host": "10.2.2.2", "interval": "1m30s", "down-script": "", "comment": "managed", "disabled": "false"}]


def test_netwatch_lifecycle(playbook):
    Lifecycle(
        module="netwatch",
        path="/tool/netwatch",
        fields=FIELDS,
        merged=merged,
        after_merged=after_merged,
        # replaced drops the down script (back to empty) and the interval (6.x: 1m; 7.x: unset)
        replaced=[{"host": "10.1.1.2", "comment": "managed"}],
        foreign=[("/tool/netwatch", {"host": "192.0.2.9", "comment": "by hand"})],
        scope={"comment": "managed"},
        overridden=[{"host": "10.2.2.2", "interval": "2m"}],
        after_overridden=None,
        after_deleted=lambda major: [{"host": "192.0.2.9", "down-script": "", "comment": "by hand", "disabled": "false",
                                      **({"interval": "1m"} if major == "6" else {})}],
    ).run(playbook)
