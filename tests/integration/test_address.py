"""ispkit.routeros.address on both dialects."""
from __future__ import annotations

from lifecycle import Lifecycle

FIELDS = ("address", "interface", "comment", "disabled")


def test_address_lifecycle(playbook):
    Lifecycle(
        module="address",
        path="/ip/address",
        fields=FIELDS,
        merged=[
            {"address": "10.1.1.1/30", "interface": "ether2", "comment": "managed"},
            {"address": "10.10.10.1/24", "interface": "ether3", "comment": "managed", "disabled": True},
        ],
        after_merged=[
            {"address": "10.1.1.1/30", "interface": "ether2", "comment": "managed", "disabled": "false"},
            {"address": "10.10.10.1/24", "interface": "ether3", "comment": "managed", "disabled": "true"},
        ],
        # replaced resets disabled to its default and moves the address to another interface
        replaced=[{"address": "10.10.10.1/24", "interface": "ether4", "comment": "managed"}],
        after_replaced=[
            {"address": "10.1.1.1/30", "interface": "ether2", "comment": "managed", "disabled": "false"},
            {"address": "10.10.10.1/24", "interface": "ether4", "comment": "managed", "disabled": "false"},
            {"address": "192.168.88.1/24", "interface": "ether8", "comment": "by hand", "disabled": "false"},
        ],
        foreign=[("/ip/address", {"address": "192.168.88.1/24", "interface": "ether8", "comment": "by hand"})],
        scope={"comment": "managed"},
        overridden=[{"address": "10.1.1.1/30", "interface": "ether2"}, {"address": "10.20.0.1/24", "interface": "ether5"}],
        after_overridden=[
            {"address": "10.1.1.1/30", "interface": "ether2", "comment": "managed", "disabled": "false"},
            {"address": "192.168.88.1/24", "interface": "ether8", "comment": "by hand", "disabled": "false"},
            {"address": "10.20.0.1/24", "interface": "ether5", "comment": "managed", "disabled": "false"},
        ],
        after_deleted=[
            {"address": "192.168.88.1/24", "interface": "ether8", "comment": "by hand", "disabled": "false"},
        ],
    ).run(playbook)
