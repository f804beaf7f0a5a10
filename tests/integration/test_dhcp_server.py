"""ispkit.routeros.dhcp_server on both dialects: servers and their networks in one task. A server
the module adds runs on both dialects (6.x would add it disabled)."""
from __future__ import annotations

from lifecycle import Lifecycle

DHCP = {
    "servers": [{"name": "dhcp1", "interface": "ether3", "lease_time": "00:10:00", "comment": "managed"},
                {"name": "dhcp2", "interface": "ether4", "authoritative": "after-2sec-delay", "comment": "managed"}],
    "networks": [{"address": "10.5.50.0/24", "gateway": ["10.5.50.1"], "dns_server": ["10.5.50.1", "8.8.8.8"],
                  "domain": "lab.example", "comment": "managed"}],
}


def lease(major):
    return "10m" if major == "6" else "30m"


def test_dhcp_server_lifecycle(playbook):
    Lifecycle(
        module="dhcp_server",
        path="/ip/dhcp-server",
        fields=("name", "interface", "lease-time", "authoritative", "disabled", "comment"),
        merged=DHCP,
        after_merged=lambda major: [
            {"name": "dhcp1", "interface": "ether3", "lease-time": "10m", "authoritative": "yes", "disabled": "false",
             "comment": "managed"},
            {"name": "dhcp2", "interface": "ether4", "lease-time": lease(major), "authoritative": "after-2sec-delay",
             "disabled": "false", "comment": "managed"}],
        # replaced: lease time and authoritative back to RouterOS's defaults, the network's DNS unset
        replaced={"servers": [{"name": "dhcp2", "interface": "ether4", "comment": "managed"}],
                  "networks": [{"address": "10.5.50.0/24", "gateway": ["10.5.50.1"], "comment": "managed"}]},
        foreign=[("/ip/dhcp-server", {"name": "by-hand", "interface": "ether8"}),
                 ("/ip/dhcp-server/network", {"address": "192.168.88.0/24", "gateway": "192.168.88.1"})],
        scope={"servers": {"comment": "managed"}, "networks": {"comment": "managed"}},
        overridden={"servers": [{"name": "dhcp3", "interface": "ether5"}],
                    "networks": [{"address": "10.5.60.0/24", "gateway": ["10.5.60.1"]}]},
        after_deleted=lambda major: [{"name": "by-hand", "interface": "ether8", "lease-time": lease(major),
                                      "authoritative": "yes", "disabled": "true" if major == "6" else "false"}],
    ).run(playbook)
    for router in playbook.routers.values():  # deleted emptied the networks' scope too
        assert [n["address"] for n in router.print("/ip/dhcp-server/network")] == ["192.168.88.0/24"]


def test_dhcp_server_use_radius(playbook):
    """A boolean on 6.x, yes/no/accounting on 7.x: shown as yes/no (or accounting) on both."""
    Lifecycle(
        module="dhcp_server",
        path="/ip/dhcp-server",
        fields=("name", "use-radius"),
        merged=lambda major: {"servers": [
            {"name": "dhcp1", "interface": "ether3", "use_radius": True},
            {"name": "dhcp2", "interface": "ether4", "use_radius": "no" if major == "6" else "accounting"}]},
        after_merged=lambda major: [
            {"name": "dhcp1", "use-radius": "true" if major == "6" else "yes"},
            {"name": "dhcp2", "use-radius": "false" if major == "6" else "accounting"}],
        replaced={"servers": [{"name": "dhcp1", "interface": "ether3"}]},  # back to RouterOS's `no`
        deleted={"servers": [{"name": "dhcp1"}, {"name": "dhcp2"}]},
    ).run(playbook)
