"""Bad input to the routing/services modules never writes: each case fails on both dialects with
a message naming the problem, and the emulator's journal shows no write at all."""
from __future__ import annotations

from conftest import resolve


def v6_or_v7(v6, v7):
    return lambda major: v6 if major == "6" else v7


OSPF_NET = {"network": "10.255.255.0/30", "area": "backbone"}
SERVER = {"address": "192.0.2.10", "service": ["ppp"], "secret": "x"}
# (case id, module, args or f(major), words (or f(major)) the message must contain)
CASES = [
    ("dhcp client on an unknown interface", "dhcp_client", {"config": [{"interface": "ether99"}]},
     ["config[0].interface", "unknown interface 'ether99'"]),
    ("dhcp client distance out of range", "dhcp_client", {"config": [{"interface": "ether1", "default_route_distance": 300}]},
     ["config[0].default_route_distance", "0..255"]),
    ("two dhcp clients on one interface", "dhcp_client", {"config": [{"interface": "ether1"}, {"interface": "ether1"}]},
     ["config[1]", "duplicate entry interface=ether1"]),
    ("ospf network with prefix 33", "ospf", {"config": {"networks": [{"network": "10.0.0.0/33", "area": "backbone"}]}},
     ["config.networks[0].network"]),
    ("ospf option of the other dialect", "ospf",
     v6_or_v7({"config": {"instances": [{"name": "default", "version": 2}]}},
              {"config": {"instances": [{"name": "default", "originate_default": "always-as-type-1"}]}}),
     v6_or_v7(["config.instances[0].version", "not available on RouterOS 6"],
              ["config.instances[0].originate_default", "always-as-type-1", "RouterOS 7"])),
    ("ospf overridden without the networks' scope", "ospf", {"state": "overridden", "config": {"networks": [OSPF_NET]}},
     ["scope.networks"]),
    ("two networks in one entry on 6.x, a bad one on 7.x", "ospf",
     v6_or_v7({"config": {"networks": [{"network": ["10.1.0.0/24", "10.2.0.0/24"], "area": "backbone"}]}},
              {"config": {"networks": [{"network": ["10.1.0.0/24", "10.2.0.0/33"], "area": "backbone"}]}}),
     v6_or_v7(["config.networks[0].network: takes at most 1 on RouterOS 6"],
              ["config.networks[0].network", "10.2.0.0/33"])),
    ("ospf network twice", "ospf", {"config": {"networks": [OSPF_NET, dict(OSPF_NET, area="other")]}},
     ["config.networks[1]", "duplicate entry network=10.255.255.0/30"]),
    ("radius server with a bad address", "radius", {"config": {"servers": [dict(SERVER, address="192.0.2.300")]}},
     ["config.servers[0].address", "192.0.2.300"]),
    ("radius server twice", "radius", {"config": {"servers": [SERVER, dict(SERVER, secret="y")]}},
     ["config.servers[1]", "duplicate entry address=192.0.2.10"]),
    ("radius 7.x hardening on 6.x, bad port on 7.x", "radius",
     v6_or_v7({"config": {"servers": [dict(SERVER, require_message_auth="no")]}},
              {"config": {"incoming": {"accept": True, "port": 70000}}}),
     v6_or_v7(["config.servers[0].require_message_auth", "not available on RouterOS 6"],
              ["config.incoming.port", "1..65535"])),
    ("radius interim update in words", "radius", {"config": {"ppp_aaa": {"interim_update": "five minutes"}}},
     ["config.ppp_aaa.interim_update"]),
    ("netwatch host not an address", "netwatch", {"config": [{"host": "gateway.example"}]},
     ["host 'gateway.example' is not an IP address"]),
    ("netwatch 7.x probe on 6.x, bad threshold on 7.x", "netwatch",
     v6_or_v7({"config": [{"host": "10.1.1.2", "type": "icmp"}]},
              {"config": [{"host": "10.1.1.2", "thr_max": "fast"}]}),
     v6_or_v7(["config[0].type", "not available on RouterOS 6"], ["config[0].thr_max"])),
    ("unknown service", "service", {"config": [{"name": "gopher", "disabled": True}]}, ["name", "gopher"]),
    ("service address not a network", "service", {"config": [{"name": "api", "address": ["10.0.0.0/33"]}]},
     ["config[0].address", "10.0.0.0/33"]),
    ("services cannot be deleted", "service", {"state": "deleted"}, ["state", "merged, replaced"]),
]


def test_bad_routing_input_writes_nothing(playbook):
    tasks = [{"module": case[1], "args": case[2], "fails": True} for case in CASES]
    runs = playbook.run(tasks)
    for major, run in runs.items():
        assert run.journal == [], (major, run.journal)
        for (case, _module, _args, words), result in zip(CASES, run.results):
            for word in resolve(words, major):
                assert word in result["msg"], (major, case, word, result["msg"])
            assert "Traceback" not in result["msg"], (major, case, result)
