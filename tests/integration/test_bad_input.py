"""Bad input never writes: each case fails with a message naming the problem, on both dialects,
and the emulator's journal shows no write at all. No secret appears in any output, even at -vvv."""
from __future__ import annotations

import socket
import threading

import pytest

from conftest import DIALECTS, PASSWORD

A = "10.1.1.1/30"
# (case id, module, args or f(major), words the message must contain)
CASES = [
    ("malformed address", "address", {"config": [{"address": "10.1.1.300/24", "interface": "ether2"}]},
     ["config[0].address", "10.1.1.300/24"]),
    ("address without prefix", "address", {"config": [{"address": "10.1.1.1", "interface": "ether2"}]},
     ["config[0].address", "prefix length"]),
    ("overlapping addresses", "address", {"config": [{"address": A, "interface": "ether2"},
                                                     {"address": "10.1.1.2/30", "interface": "ether3"}]},
     ["overlaps", "10.1.1.0/30"]),
    ("unknown interface", "address", {"config": [{"address": A, "interface": "ether99"}]},
     ["config[0].interface", "unknown interface 'ether99'"]),
    ("duplicate address", "address", {"config": [{"address": A, "interface": "ether2"},
                                                 {"address": A, "interface": "ether2"}]},
     ["config[1]", "duplicate entry address=10.1.1.1/30"]),
    ("overridden without scope", "address", {"state": "overridden", "config": [{"address": A, "interface": "ether2"}]},
     ["give scope"]),
    ("deleted everything without scope", "pool", {"state": "deleted"}, ["give scope"]),
    ("scope names no option", "address", {"state": "overridden", "scope": {"colour": "red"}, "config": []},
     ["scope.colour", "not an option"]),
    ("merged without config", "pool", {}, ["config is required"]),
    ("check_gateway for the wrong dialect", "routes",
     lambda major: {"config": [{"gateway": "10.1.1.2", "check_gateway": "bfd" if major == "6" else "icmp"}]},
     ["check_gateway"]),
    ("distance out of range", "routes", {"config": [{"gateway": "10.1.1.2", "distance": 300}]},
     ["config[0].distance", "out of range 0..255"]),
    ("prefix length 33", "routes", {"config": [{"dst_address": "10.0.0.0/33", "gateway": "10.1.1.2"}]},
     ["config[0].dst_address"]),
    ("route without gateway", "routes", {"config": [{"dst_address": "10.0.0.0/8"}]}, ["gateway"]),
    ("duplicate route", "routes", {"config": [{"gateway": "10.1.1.2"}, {"gateway": "10.1.1.2", "distance": 2}]},
     ["duplicate entry", "gateway=10.1.1.2"]),
    ("port on unknown interface", "bridge", {"config": [{"name": "br1", "ports": [{"interface": "ether42"}]}]},
     ["config[0].ports[0].interface", "ether42"]),
    ("port twice", "bridge", {"config": [{"name": "br1", "ports": [{"interface": "ether3"}, {"interface": "ether3"}]}]},
     ["config[0].ports[1]", "duplicate entry interface=ether3"]),
    ("duration in words", "bridge", {"config": [{"name": "br1", "ageing_time": "5 minutes"}]},
     ["config[0].ageing_time", "duration"]),
    ("pvid out of range", "bridge", {"config": [{"name": "br1", "ports": [{"interface": "ether3", "pvid": 5000}]}]},
     ["config[0].ports[0].pvid", "1..4094"]),
    ("duplicate bridge", "bridge", {"config": [{"name": "br1"}, {"name": "br1", "mtu": "1500"}]},
     ["config[1]", "duplicate entry name=br1"]),
    ("range backwards", "pool", {"config": [{"name": "p", "ranges": ["10.0.0.10-10.0.0.2"]}]},
     ["config[0].ranges", "ends before it starts"]),
    ("range malformed", "pool", {"config": [{"name": "p", "ranges": ["10.0.0.1-bad"]}]},
     ["config[0].ranges"]),
    ("new pool without ranges", "pool", {"config": [{"name": "p", "comment": "x"}]},
     ["pool name=p does not exist", "give ranges"]),
    ("secret with a bad address", "ppp_secret", {"config": [{"name": "u", "remote_address": "10.10.10"}]},
     ["config[0].remote_address"]),
    ("secret for an unknown service", "ppp_secret", {"config": [{"name": "u", "service": "pppoe2"}]},
     ["service", "pppoe2"]),
    ("mark-routing without a mark", "mangle",
     {"config": [{"comment": "r", "chain": "prerouting", "action": "mark-routing"}]},
     ["mark-routing needs new_routing_mark"]),
    ("port without protocol", "mangle", {"config": [{"comment": "r", "chain": "prerouting", "dst_port": "80"}]},
     ["dst_port needs protocol"]),
    ("duplicate rule comment", "mangle", {"config": [{"comment": "r", "chain": "prerouting"},
                                                     {"comment": "r", "chain": "forward"}]},
     ["duplicate entry comment=r"]),
    ("negated unknown interface", "mangle",
     {"config": [{"comment": "r", "chain": "prerouting", "in_interface": "!ether42"}]},
     ["config[0].in_interface", "ether42"]),
    ("rule without chain", "nat", {"config": [{"comment": "r", "action": "masquerade"}]},
     ["nat comment=r does not exist", "give chain"]),
    ("dst-nat without address", "nat", {"config": [{"comment": "r", "chain": "dstnat", "action": "dst-nat"}]},
     ["dst-nat needs to_addresses"]),
    ("identity cannot be deleted", "identity", {"state": "deleted"}, ["state", "merged, replaced"]),
    ("wrong password", "identity", {"config": {"name": "x"}, "password": "wrong-" + PASSWORD},
     ["login to 127.0.0.1", "refused", "RouterOS said"]),
    ("closed port", "identity", {"config": {"name": "x"}, "port": 1}, ["127.0.0.1:1", "refused"]),
    ("no hostname", "pool", {"config": [{"name": "p", "ranges": ["10.0.0.1"]}], "hostname": ""}, ["hostname is required"]),
]


def test_bad_input_writes_nothing(playbook):
    tasks = [{"module": case[1], "args": case[2], "fails": True} for case in CASES]
    runs = playbook.run(tasks)
    for major, run in runs.items():
        assert run.journal == [], (major, run.journal)
        for (case, _module, _args, words), result in zip(CASES, run.results):
            for word in words:
                assert word in result["msg"], (major, case, word, result["msg"])
            assert "Traceback" not in result["msg"], (major, case, result)


def test_no_secret_at_vvv(playbook):
    secret_pw = "Very-Secret-9"
    tasks = [
        {"module": "ppp_secret", "args": {"config": [{"name": "alice", "password": secret_pw}]}},
        {"module": "ppp_secret", "args": {"config": [{"name": "alice", "password": secret_pw + "x"}]}, "check": True},
        {"module": "ppp_secret", "args": {"state": "rendered", "config": [{"name": "alice", "password": secret_pw}]}},
        {"module": "ppp_secret", "args": {"state": "gathered"}},
        {"module": "identity", "args": {"config": {"name": "x"}, "password": "wrong-" + PASSWORD}, "fails": True},
    ]
    runs = playbook.run(tasks, verbosity=3)
    for major, run in runs.items():
        output = run.stdout + run.stderr
        for secret in (PASSWORD, secret_pw, "wrong-" + PASSWORD):
            assert secret not in output, (major, secret)
        assert run.results[0]["changed"] and run.results[1]["changed"]
        assert "password" not in run.results[3]["gathered"][0]
        assert playbook.routers[major].print("/ppp/secret")[0]["password"] == secret_pw


def test_refused_by_router_reports_routeros_words(playbook):
    """What only the router can know (a next pool that does not exist) fails with RouterOS's words."""
    runs = playbook.run([{"module": "pool", "fails": True, "args": {
        "config": [{"name": "p", "ranges": ["10.0.0.2-10.0.0.9"], "next_pool": "missing"}]}}])
    for major, run in runs.items():
        message = run.results[0]["msg"]
        assert "/ip pool add name=p" in message and "RouterOS said" in message and "nothing was changed" in message, message
        assert playbook.routers[major].print("/ip/pool") == []


def test_refusal_in_a_batch_says_what_was_applied(playbook):
    """Adds to one menu go as a batch: the message names the refused one and every one applied."""
    pools = [{"name": "p1", "ranges": ["10.0.0.2-10.0.0.9"]},
             {"name": "p2", "ranges": ["10.0.1.2-10.0.1.9"], "next_pool": "missing"},
             {"name": "p3", "ranges": ["10.0.2.2-10.0.2.9"]}]
    runs = playbook.run([{"module": "pool", "fails": True, "args": {"config": pools}}])
    for major, run in runs.items():
        message = run.results[0]["msg"]
        refused = message.split("`")[1]
        assert refused.startswith("/ip pool add name=p2 ") and "next-pool=missing" in refused, message
        assert "RouterOS said" in message and "applied before it: /ip pool add name=p1" in message, message
        applied = [row["name"] for row in playbook.routers[major].print("/ip/pool")]
        if "p3" in applied:  # sent before the refusal came back: applied, and said so
            assert "applied after it (sent with it): /ip pool add name=p3" in message, message
        assert applied in (["p1"], ["p1", "p3"]), applied


@pytest.fixture
def silent_port():
    """A TCP port that accepts connections and never answers (a stuck router)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_tls_and_timeouts(collections_path, tmp_path, silent_port):
    from conftest import Playbook, start

    routers = {major: start(major, tls=True) for major in sorted(DIALECTS)}
    try:
        book = Playbook(routers, collections_path, tmp_path)
        ca = str(routers["7"].certificates.ca)
        tasks = [
            # trusted through ca_path: works
            {"module": "identity", "args": lambda major: {
                "config": {"name": "tls-ok"}, "tls": True, "port": routers[major].tls_port, "ca_path": ca}},
            # the system's CAs do not know the emulator's CA
            {"module": "identity", "fails": True, "args": lambda major: {
                "config": {"name": "untrusted"}, "tls": True, "port": routers[major].tls_port}},
            # validate_certs=false skips the check (lab networks)
            {"module": "identity", "args": lambda major: {
                "state": "gathered", "tls": True, "port": routers[major].tls_port, "validate_certs": False}},
            # plain API client on the TLS port, and a router that never answers
            {"module": "identity", "fails": True, "args": {"config": {"name": "x"}, "port": silent_port, "timeout": 1}},
        ]
        runs = book.run(tasks)
        for major, run in runs.items():
            assert run.results[0]["changed"] is True
            assert "not trusted" in run.results[1]["msg"] and "ca_path" in run.results[1]["msg"], run.results[1]["msg"]
            assert run.results[2]["gathered"] == {"name": "tls-ok"}
            assert "within 1 s" in run.results[3]["msg"], run.results[3]["msg"]
            assert [w.attrs for w in run.journal] == [{"name": "tls-ok"}]
    finally:
        for handle in routers.values():
            handle.stop()


def test_facts_and_module_defaults(playbook):
    tasks = [
        {"module": "address", "args": {"config": [{"address": A, "interface": "ether2"}]}},
        {"module": "bridge", "args": {"config": [{"name": "br1", "ports": [{"interface": "ether3"}]}]}},
        {"module": "facts", "args": {"gather": ["address", "bridge", "identity", "routes", "pool"]}},
        # gathered facts are module input: feeding them back changes nothing
        {"module": "address", "args": {"config": "{{ r2.ansible_facts.routeros.resources.address }}"}},
        {"module": "bridge", "args": {"config": "{{ r2.ansible_facts.routeros.resources.bridge }}"}},
    ]
    runs = playbook.run(tasks)
    for major, run in runs.items():
        facts = run.results[2]["ansible_facts"]["routeros"]
        assert facts["major"] == major and facts["version"] == ros_emulator_version(major)
        assert facts["identity"] == "MikroTik"
        assert {"ether1", "br1"} <= {i["name"] for i in facts["interfaces"]}
        assert facts["resources"]["address"] == [{"address": A, "interface": "ether2", "disabled": False}]
        assert facts["resources"]["bridge"][0]["ports"][0]["interface"] == "ether3"
        assert facts["resources"]["routes"] == []
        assert run.results[3]["changed"] is False and run.results[4]["changed"] is False


def ros_emulator_version(major):
    return DIALECTS[major]


def test_identity(playbook):
    from lifecycle import Lifecycle

    tasks = Lifecycle("identity", "/system/identity", ("name",), None, None).three("merged", {"name": "RTR-1"})
    tasks += Lifecycle("identity", "/system/identity", ("name",), None, None).three("replaced", {})
    tasks.append({"module": "identity", "args": {"state": "rendered", "config": {"name": "RTR 1"}}})
    runs = playbook.run(tasks)
    for major, run in runs.items():
        Lifecycle.assert_three(run, 0, "merged", major)
        Lifecycle.assert_three(run, 3, "replaced", major)
        assert run.results[1]["commands"] == ["/system identity set name=RTR-1"]
        assert run.results[4]["after"] == {"name": "MikroTik"}
        assert run.results[6]["rendered"] == ['/system identity set name="RTR 1"']
