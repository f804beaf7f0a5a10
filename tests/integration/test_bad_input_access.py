"""Bad input to the subscriber-side modules never writes: each case fails with a message naming the
problem, on both dialects, and the emulator's journal shows no write. Hotspot passwords never show."""
from __future__ import annotations

from conftest import PASSWORD

SERVER = {"interface": "ether3", "service_name": "internet"}
# (case id, module, args or f(major), words the message must contain)
CASES = [
    ("rate limit in words", "ppp_profile", {"config": [{"name": "p", "rate_limit": "10 Mbit"}]},
     ["config[0].rate_limit", "rate limit"]),
    ("DNS server not an address", "ppp_profile", {"config": [{"name": "p", "dns_server": ["10.0.0.1", "dns.lab"]}]},
     ["config[0].dns_server", "IPv4"]),
    ("built-in profile deleted", "ppp_profile", {"state": "deleted", "config": [{"name": "default"}]},
     ["ppp_profile name=default is built into RouterOS"]),
    ("PPPoE server on an unknown interface", "pppoe_server",
     {"config": [{"interface": "ether42", "service_name": "internet"}]}, ["config[0].interface", "ether42"]),
    ("option of the other dialect", "pppoe_server",  # 7.x has comment: an unknown protocol fails there
     lambda major: {"config": [dict(SERVER, comment="x")]} if major == "6" else
     {"config": [dict(SERVER, authentication=["eap"])]},
     lambda major: ["config[0].comment", "not available on RouterOS 6"] if major == "6" else
     ["authentication", "eap"]),
    ("PPPoE server twice", "pppoe_server", {"config": [SERVER, dict(SERVER, max_sessions="10")]},
     ["config[1]", "duplicate entry interface=ether3 service_name=internet"]),
    ("Hotspot server on an unknown interface", "hotspot",
     {"config": {"servers": [{"name": "hs1", "interface": "ether42"}]}}, ["config.servers[0].interface", "ether42"]),
    ("Hotspot overridden without the section's scope", "hotspot",
     {"state": "overridden", "scope": {"profiles": {}}, "config": {"servers": [{"name": "hs1", "interface": "ether3"}]}},
     ["give scope.servers"]),
    ("Hotspot timeout in words", "hotspot",
     {"config": {"user_profiles": [{"name": "u", "session_timeout": "one hour"}]}},
     ["config.user_profiles[0].session_timeout", "duration"]),
    ("Hotspot profile twice", "hotspot", {"config": {"profiles": [{"name": "p"}, {"name": "p", "dns_name": "x"}]}},
     ["config.profiles[1]", "duplicate entry name=p"]),
    ("Hotspot user with a bad address", "hotspot_user", {"config": [{"name": "u", "address": "10.5.50"}]},
     ["config[0].address", "IPv4"]),
    ("Hotspot user uptime in words", "hotspot_user", {"config": [{"name": "u", "limit_uptime": "a day"}]},
     ["config[0].limit_uptime", "duration"]),
    ("DHCP network given as a host address", "dhcp_server",
     {"config": {"networks": [{"address": "10.5.50.1/24", "gateway": ["10.5.50.1"]}]}},
     ["10.5.50.1/24 is not a network address", "10.5.50.0/24"]),
    ("DHCP gateway not an address", "dhcp_server",
     {"config": {"networks": [{"address": "10.5.50.0/24", "gateway": ["router"]}]}},
     ["config.networks[0].gateway", "IPv4"]),
    ("DHCP server on an unknown interface", "dhcp_server",
     {"config": {"servers": [{"name": "d", "interface": "ether42"}]}}, ["config.servers[0].interface", "ether42"]),
    ("DHCP deleted without config or scope", "dhcp_server", {"state": "deleted"}, ["give scope"]),
    ("DHCP RADIUS accounting on 6.x, a made-up word on 7.x", "dhcp_server",
     lambda major: {"config": {"servers": [{"name": "d", "interface": "ether3",
                                            "use_radius": "accounting" if major == "6" else "maybe"}]}},
     lambda major: ["config.servers[0].use_radius: accounting is not one of yes, no on RouterOS 6"] if major == "6"
     else ["use_radius", "maybe"]),
]


def test_bad_input_writes_nothing(playbook):
    tasks = [{"module": case[1], "args": case[2], "fails": True} for case in CASES]
    runs = playbook.run(tasks)
    for major, run in runs.items():
        assert run.journal == [], (major, run.journal)
        for (case, _module, _args, words), result in zip(CASES, run.results):
            for word in words(major) if callable(words) else words:
                assert word in result["msg"], (major, case, word, result["msg"])
            assert "Traceback" not in result["msg"], (major, case, result)


def test_hotspot_password_never_shown(playbook):
    secret_pw = "Hotspot-Secret-7"
    tasks = [
        {"module": "hotspot_user", "args": {"config": [{"name": "guest", "password": secret_pw}]}},
        {"module": "hotspot_user", "args": {"config": [{"name": "guest", "password": secret_pw + "x"}]},
         "check": True},
        {"module": "hotspot_user", "args": {"state": "rendered", "config": [{"name": "guest", "password": secret_pw}]}},
        {"module": "hotspot_user", "args": {"state": "gathered"}},
    ]
    runs = playbook.run(tasks, verbosity=3)
    for major, run in runs.items():
        output = run.stdout + run.stderr
        for secret in (PASSWORD, secret_pw):
            assert secret not in output, (major, secret)
        assert run.results[0]["changed"] and run.results[1]["changed"]
        assert "password" not in run.results[3]["gathered"][0]
        assert playbook.routers[major].print("/ip/hotspot/user")[0]["password"] == secret_pw
