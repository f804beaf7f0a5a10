"""/queue/simple and /tool/netwatch through librouteros: defaults of both dialects, rate pairs,
order, references, and netwatch following a gateway the test makes unreachable."""
from __future__ import annotations

from helpers import menu, refused, rows

QUEUE = "/queue/simple"
NETWATCH = "/tool/netwatch"


# ---- /queue/simple ------------------------------------------------------------------------------

QUEUE_DEFAULTS = {
    "name": "queue1", "target": "192.168.88.10/32", "parent": "none", "packet-marks": "", "priority": "8/8",
    "queue": "default-small/default-small", "limit-at": "0/0", "max-limit": "0/0", "burst-limit": "0/0",
    "burst-threshold": "0/0", "burst-time": "0s/0s", "disabled": False, "rate": "0/0", "packet-rate": "0/0",
    "bytes": "0/0", "packets": "0/0", "dropped": "0/0", "queued-bytes": "0/0", "queued-packets": "0/0",
    "invalid": False, "dynamic": False,
}


def test_queue_with_only_a_target_prints_defaults(api6, api7):
    for api, extra in ((api6, {}), (api7, {"bucket-size": "0.1/0.1"})):
        queue_id = menu(api, QUEUE).add(target="192.168.88.10")
        (queue,) = rows(api, QUEUE)
        assert queue == {".id": queue_id, **QUEUE_DEFAULTS, **extra}


def test_queue_bucket_size_only_on_v7(router_v6, api6):
    refused(router_v6, QUEUE, lambda: menu(api6, QUEUE).add(target="192.168.88.10", **{"bucket-size": "0.2/0.2"}),
            "unknown parameter")


def test_queue_values_normalise(api):
    queue_id = menu(api, QUEUE).add(name="client-7", target="192.168.88.0/24,ether2", **{
        "max-limit": "10000000/5M", "limit-at": "512k", "burst-time": "8/00:00:16", "priority": "1", "queue": "pcq-upload-default/pcq-download-default"})
    (queue,) = rows(api, QUEUE)
    assert queue[".id"] == queue_id and queue["target"] == "192.168.88.0/24,ether2"
    assert (queue["max-limit"], queue["limit-at"], queue["burst-time"]) == ("10M/5M", "512k/512k", "8s/16s")
    assert (queue["priority"], queue["queue"]) == ("1/1", "pcq-upload-default/pcq-download-default")
    menu(api, QUEUE).update(**{".id": queue_id, "max-limit": "1.5M/2G"})
    assert rows(api, QUEUE)[0]["max-limit"] == "1500k/2G"


def test_queue_refusals(router, api):
    parent_id = menu(api, QUEUE).add(name="all-clients", target="192.168.88.0/24", **{"max-limit": "100M/100M"})
    child_id = menu(api, QUEUE).add(name="client", target="192.168.88.10", parent="all-clients")
    assert rows(api, QUEUE)[1]["parent"] == "all-clients"
    refused(router, QUEUE, lambda: menu(api, QUEUE).add(name="client", target="192.168.88.11"),
            "failure: already have queue with such name")
    refused(router, QUEUE, lambda: menu(api, QUEUE).add(target="192.168.88.12", parent="nobody"),
            "input does not match any value of parent")
    refused(router, QUEUE, lambda: menu(api, QUEUE).add(target="192.168.88.12", **{"max-limit": "fast"}),
            "invalid value for argument max-limit")
    refused(router, QUEUE, lambda: menu(api, QUEUE).add(target="192.168.88.12", priority="9/8"),
            "value of priority out of range (1..8)")
    refused(router, QUEUE, lambda: menu(api, QUEUE).add(target="192.168.88.12", queue="nonsense"),
            "input does not match any value of queue")
    refused(router, QUEUE, lambda: menu(api, QUEUE).add(target="ether99"), "invalid value for argument target")
    refused(router, QUEUE, lambda: menu(api, QUEUE).add(name="lonely"), "missing value(s) of argument(s) target")
    refused(router, QUEUE, lambda: menu(api, QUEUE).remove(parent_id), f"failure: simple {child_id} is using this item")


def test_queues_are_ordered(api):
    queues = menu(api, QUEUE)
    first = queues.add(target="10.0.0.1")
    second = queues.add(target="10.0.0.2")
    top = queues.add(target="10.0.0.3", **{"place-before": first})
    assert [r["name"] for r in rows(api, QUEUE)] == ["queue3", "queue1", "queue2"]
    tuple(queues("move", numbers=f"{first},{second}", destination=top))
    assert [r[".id"] for r in rows(api, QUEUE)] == [first, second, top]
    tuple(queues("move", numbers=first))
    assert [r[".id"] for r in rows(api, QUEUE)] == [second, top, first]


# ---- /tool/netwatch -----------------------------------------------------------------------------


def test_netwatch_v6_defaults(api6):
    watch_id = menu(api6, NETWATCH).add(host="192.0.2.1")
    (watch,) = rows(api6, NETWATCH)
    assert watch == {".id": watch_id, "host": "192.0.2.1", "interval": "1m", "timeout": "1s", "up-script": "",
                     "down-script": "", "status": "unknown", "disabled": False, "dynamic": False}


def test_netwatch_v7_defaults_and_probe_types(api7):
    watch_id = menu(api7, NETWATCH).add(host="192.0.2.1")
    (watch,) = rows(api7, NETWATCH)
    assert watch == {".id": watch_id, "host": "192.0.2.1", "type": "simple", "up-script": "", "down-script": "",
                     "test-script": "", "http-codes": "", "status": "unknown", "disabled": False, "dynamic": False}
    menu(api7, NETWATCH).add(name="gw-icmp", host="192.0.2.1", type="icmp", interval="30s", **{"thr-max": "400ms"})
    menu(api7, NETWATCH).add(name="resolver", host="example.com", type="dns")
    named = {r.get("name"): r for r in rows(api7, NETWATCH)}
    assert (named["gw-icmp"]["type"], named["gw-icmp"]["interval"], named["gw-icmp"]["thr-max"]) == ("icmp", "30s", "400ms")
    assert named["resolver"]["host"] == "example.com"


def test_netwatch_v7_fields_refused_on_v6(router_v6, api6):
    for extra in ({"name": "gw"}, {"type": "icmp"}, {"test-script": ":log info x"}, {"thr-max": "1s"}):
        refused(router_v6, NETWATCH, lambda extra=extra: menu(api6, NETWATCH).add(host="192.0.2.1", **extra),
                "unknown parameter")


def test_netwatch_refusals(router, api):
    menu(api, NETWATCH).add(host="192.0.2.1")
    refused(router, NETWATCH, lambda: menu(api, NETWATCH).add(host="192.0.2.300"), "invalid value for argument host")
    refused(router, NETWATCH, lambda: menu(api, NETWATCH).add(host="192.0.2.2", interval="often"),
            "invalid value for argument interval")
    refused(router, NETWATCH, lambda: menu(api, NETWATCH).add(interval="10s"), "missing value(s) of argument(s) host")
    refused(router, NETWATCH, lambda: menu(api, NETWATCH).add(host="192.0.2.2", status="up"), "unknown parameter")


def test_netwatch_follows_gateway_reachability(router, api):
    watched = menu(api, NETWATCH).add(host="192.0.2.1", **{"down-script": ":log warning down"})
    other = menu(api, NETWATCH).add(host="198.51.100.1")
    off = menu(api, NETWATCH).add(host="192.0.2.1", disabled="yes")

    def status():
        return {r[".id"]: (r["status"], "since" in r) for r in rows(api, NETWATCH)}

    assert status() == {watched: ("unknown", False), other: ("unknown", False), off: ("unknown", False)}
    mark = router.mark()
    router.set_gateway_reachable("192.0.2.1", False)
    assert status() == {watched: ("down", True), other: ("up", True), off: ("unknown", False)}
    router.set_gateway_reachable("192.0.2.1", True)
    assert status() == {watched: ("up", True), other: ("up", True), off: ("unknown", False)}
    assert router.writes_since(mark) == []  # the network changed things, no client did
    # a new host starts unknown again
    menu(api, NETWATCH).update(**{".id": watched, "host": "192.0.2.9"})
    assert status()[watched] == ("unknown", False)
