"""ispkit.routeros.dhcp_client on both dialects."""
from __future__ import annotations

from lifecycle import Lifecycle

FIELDS = ("interface", "add-default-route", "default-route-distance", "use-peer-dns", "comment", "disabled")


def test_dhcp_client_lifecycle(playbook):
    Lifecycle(
        module="dhcp_client",
        path="/ip/dhcp-client",
        fields=FIELDS,
        merged=[
            {"interface": "ether1", "default_route_distance": 1, "disabled": False, "comment": "managed"},
            {"interface": "ether2", "default_route_distance": 2, "use_peer_dns": False, "disabled": False,
             "comment": "managed"},
        ],
        after_merged=[
            {"interface": "ether1", "add-default-route": "yes", "default-route-distance": "1", "use-peer-dns": "true",
             "comment": "managed", "disabled": "false"},
            {"interface": "ether2", "add-default-route": "yes", "default-route-distance": "2",
             "use-peer-dns": "false", "comment": "managed", "disabled": "false"},
        ],
        # replaced resets use_peer_dns and distance to RouterOS's defaults
        replaced=[{"interface": "ether2", "add_default_route": "no", "disabled": False, "comment": "managed"}],
        foreign=[("/ip/dhcp-client", {"interface": "ether8", "comment": "by hand", "disabled": "no"})],
        scope={"comment": "managed"},
        overridden=[{"interface": "ether1", "default_route_distance": 5, "disabled": False}],
        after_overridden=None,
        after_deleted=[
            {"interface": "ether8", "add-default-route": "yes", "default-route-distance": "1", "use-peer-dns": "true",
             "comment": "by hand", "disabled": "false"},
        ],
    ).run(playbook)


def test_dhcp_client_new_client_follows_the_dialect_default(playbook):
    """Without `disabled`, 6.x adds a disabled client and 7.x a running one; no change after."""
    tasks = [{"module": "dhcp_client", "args": {"config": [{"interface": "ether3"}]}},
             {"module": "dhcp_client", "args": {"config": [{"interface": "ether3"}]}}]
    runs = playbook.run(tasks)
    for major, run in runs.items():
        first, again = run.results
        assert first["after"][0]["disabled"] is (major == "6"), (major, first["after"])
        assert again["changed"] is False, (major, again)
