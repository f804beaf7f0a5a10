"""ispkit.routeros.pppoe_server on both dialects: a server the module adds runs (RouterOS would add it disabled)."""
from __future__ import annotations

from lifecycle import Lifecycle

FIELDS = ("interface", "service-name", "authentication", "one-session-per-host", "default-profile", "disabled",
          "comment")


def merged(major):
    return [{"interface": "ether3", "service_name": "internet", "authentication": ["pap", "chap", "mschap2"],
             "one_session_per_host": True, **({"comment": "managed"} if major == "7" else {})},
            {"interface": "ether4", "service_name": "internet", "max_sessions": "100", "keepalive_timeout": "30"}]


def after_merged(major):
    return [{"interface": "ether3", "service-name": "internet", "authentication": "pap,chap,mschap2",
             "one-session-per-host": "true", "default-profile": "default", "disabled": "false",
             **({"comment": "managed"} if major == "7" else {})},
            {"interface": "ether4", "service-name": "internet", "authentication": "pap,chap,mschap1,mschap2",
             "one-session-per-host": "false", "default-profile": "default", "disabled": "false"}]


def test_pppoe_server_lifecycle(playbook):
    Lifecycle(
        module="pppoe_server",
        path="/interface/pppoe-server/server",
        fields=FIELDS,
        merged=merged,
        after_merged=after_merged,
        # replaced resets authentication, one-session-per-host (and the 7.x comment) to RouterOS's defaults
        replaced=[{"interface": "ether3", "service_name": "internet", "disabled": True}],
        scope={},  # the whole menu
        overridden=[{"interface": "ether5", "service_name": "other", "default_profile": "default"}],
        after_deleted=[],
    ).run(playbook)
