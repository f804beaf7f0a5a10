"""Delivery to Discord: 429 storms, 5xx, an outage, a 404 webhook, batching, and a queue that
survives a restart of the bot. Every event arrives exactly once and in order."""
from __future__ import annotations

import asyncio
import time

from conftest import wait_until


def login_all(rtr, names):
    return [rtr.add_runtime("/ppp/active", name=n, service="pppoe", caller_id=f"02:00:00:00:{i // 256:02X}:{i % 256:02X}")
            for i, n in enumerate(names)]


def test_429_storm_and_server_errors_lose_nothing(routers, discord, harness):
    rtr = routers("RTR-1")
    discord.bucket = 2  # two posts per 0.2 s, then 429 with retry_after
    discord.send_headers = False  # no X-RateLimit-* warning: a storm of 429s
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    discord.script = [429, 500, 429, 502, 503, 429]
    names = [f"user{n:03d}" for n in range(60)]
    for name in names:  # one at a time, so the bot posts many small messages into the storm
        login_all(rtr, [name])
        time.sleep(0.005)
    expected = [f"PPPoE login: {n}" for n in names]
    assert discord.wait_titles(60, timeout=20) == expected
    statuses = [status for method, status in discord.requests if method == "POST"]
    assert statuses.count(429) >= 4 and 500 in statuses and 503 in statuses
    assert max(len(m["embeds"]) for m in discord.messages) <= 10
    ids = [e["footer"]["text"] for e in discord.embeds()]
    assert len(ids) == len(set(ids))
    time.sleep(0.3)
    assert len(discord.titles()) == 60


def test_outage_then_everything_in_order(routers, discord, harness):
    rtr1, rtr2 = routers("RTR-1"), routers("RTR-2", "6.49.13")
    harness.start(harness.write_config([("RTR-1", rtr1), ("RTR-2", rtr2)], [("noc", discord.url)]))
    harness.wait_connected()
    wait_until(lambda: len(discord.titles(include_summary=True)) == 2)
    discord.down()
    sessions1 = login_all(rtr1, ["a1", "a2", "a3"])
    sessions2 = login_all(rtr2, ["b1", "b2"])
    rtr1.remove_runtime("/ppp/active", sessions1[0])
    rtr2.remove_runtime("/ppp/active", sessions2[1])
    time.sleep(2.5)  # the webhook is away for a while; events wait in the queue
    assert harness.bot.queues["noc"].pending
    discord.up()
    assert discord.wait_titles(4, router="RTR-1") == ["PPPoE login: a1", "PPPoE login: a2", "PPPoE login: a3",
                                                      "PPPoE logout: a1"]
    assert discord.wait_titles(3, router="RTR-2") == ["PPPoE login: b1", "PPPoE login: b2", "PPPoE logout: b2"]
    time.sleep(0.3)
    assert len(discord.titles()) == 7


def test_a_60_second_webhook_outage_loses_nothing(routers, discord, harness):
    """The issue's case in real time: Discord is away for 60 s while events keep coming (before,
    during and at the end of the outage); the sender keeps retrying (backoff capped at 5 s here)
    and, once Discord answers, every event arrives exactly once, in order per router."""
    rtr1, rtr2 = routers("RTR-1"), routers("RTR-2", "6.49.13")
    harness.start(harness.write_config([("RTR-1", rtr1), ("RTR-2", rtr2)], [("noc", discord.url)],
                                       webhook_backoff_max=5))
    harness.wait_connected()
    wait_until(lambda: len(discord.titles(include_summary=True)) == 2)
    discord.down()
    started = time.monotonic()
    expected: dict[str, list[str]] = {"RTR-1": [], "RTR-2": []}
    for step in range(6):  # a login on each router every 10 s, a logout of the previous one
        for rtr, name in ((rtr1, "RTR-1"), (rtr2, "RTR-2")):
            user = f"{name[-1]}u{step}"
            session = rtr.add_runtime("/ppp/active", name=user, service="pppoe", caller_id=f"02:00:00:00:0{name[-1]}:{step:02d}")
            expected[name].append(f"PPPoE login: {user}")
            if step % 2:
                rtr.remove_runtime("/ppp/active", session)
                expected[name].append(f"PPPoE logout: {user}")
        time.sleep(max(0.0, started + 10 * (step + 1) - time.monotonic()))
    assert time.monotonic() - started >= 60
    assert len(harness.bot.queues["noc"]) == sum(len(titles) for titles in expected.values())
    discord.up()
    for name, titles in expected.items():
        assert discord.wait_titles(len(titles), router=name, timeout=20) == titles
    time.sleep(0.5)
    assert len(discord.titles()) == 18
    ids = [e["footer"]["text"] for e in discord.embeds()]
    assert len(ids) == len(set(ids))


def test_webhook_404_stops_that_webhook(routers, discord, harness, caplog):
    rtr = routers("RTR-1")
    discord.script = [404]
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    wait_until(lambda: harness.bot.senders[0].stopped)
    login_all(rtr, ["x1", "x2"])
    time.sleep(0.5)
    assert [r for r in discord.requests if r[0] == "POST"] == [("POST", 404)]  # not hammered
    assert len(harness.bot.queues["noc"]) == 3  # summary + 2 logins kept for a fixed URL
    assert any("webhook unusable" in r.getMessage() for r in caplog.records)


def test_queue_survives_a_bot_restart(routers, discord, harness):
    rtr = routers("RTR-1")
    config = harness.write_config([("RTR-1", rtr)], [("noc", discord.url)], fsync=True)
    harness.start(config)
    harness.wait_connected()
    wait_until(lambda: discord.titles(include_summary=True) == ["Monitoring RTR-1"])
    discord.down()
    login_all(rtr, ["p1", "p2", "p3"])
    wait_until(lambda: len(harness.bot.queues["noc"]) == 3)
    harness.stop()  # the bot stops (systemd restart, reboot) with 3 undelivered events on disk
    discord.up()
    harness.start(config)
    assert discord.wait_titles(3) == ["PPPoE login: p1", "PPPoE login: p2", "PPPoE login: p3"]
    wait_until(lambda: discord.titles(include_summary=True).count("Monitoring RTR-1") == 2)
    time.sleep(0.3)
    assert len(discord.titles()) == 3
    harness.stop()
    harness.start(config)  # nothing delivered is sent again
    wait_until(lambda: discord.titles(include_summary=True).count("Monitoring RTR-1") == 3)
    time.sleep(0.3)
    assert len(discord.titles()) == 3


def test_routing_rules_and_language(routers, discord, harness, loop):
    from conftest import FakeDiscord  # pylint: disable=import-outside-toplevel
    other = FakeDiscord(loop)
    try:
        rtr = routers("RTR-1")
        config = harness.write_config(
            [("RTR-1", rtr)], [("noc", discord.url), ("sales", other.url)], language="id",
            rules=[{"when": "type == 'summary'", "webhook": "noc", "stop": True},
                   {"when": "type == 'pppoe' && starts_with(user, 'vip')", "webhook": ["noc", "sales"], "stop": True},
                   {"when": "type == 'pppoe'", "webhook": "sales"}])
        harness.start(config)
        harness.wait_connected()
        login_all(rtr, ["vip-1", "plain"])
        wait_until(lambda: len(other.embeds()) == 2)
        assert [e["title"] for e in other.embeds()] == ["PPPoE masuk: vip-1", "PPPoE masuk: plain"]
        wait_until(lambda: len(discord.embeds()) == 2)
        assert [e["title"] for e in discord.embeds()] == ["Memantau RTR-1", "PPPoE masuk: vip-1"]
        assert {f["name"] for f in other.embeds()[0]["fields"]} >= {"Pengguna", "Router"}
    finally:
        other.close()


def test_flapping_is_folded(routers, discord, harness):
    rtr = routers("RTR-1")
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)], flap_window=1.0))
    harness.wait_connected()
    for dummy in range(3):  # up, down, up, down, up, down
        session = rtr.add_runtime("/ppp/active", name="flappy", service="pppoe", caller_id="02:00:00:00:00:0F")
        time.sleep(0.02)
        rtr.remove_runtime("/ppp/active", session)
        time.sleep(0.02)
    assert discord.wait_titles(1) == ["PPPoE login: flappy"]  # the first change at once
    time.sleep(0.5)
    assert len(discord.titles()) == 1
    titles = discord.wait_titles(2, timeout=3)
    assert titles == ["PPPoE login: flappy", "PPPoE logout: flappy"]
    assert "5 times" in discord.embeds()[-1]["description"]
    time.sleep(1.2)
    assert len(discord.titles()) == 2


def test_check_mode(routers, discord, harness, capsys, tmp_path):
    from ispkit_monitor.cli import main  # pylint: disable=import-outside-toplevel
    rtr = routers("RTR-1")
    config = harness.write_config([("RTR-1", rtr)], [("noc", discord.url)])
    assert main(["--config", config, "--check"]) == 0
    out = capsys.readouterr().out
    assert '"ok": true, "detail": "RouterOS 7.16.2' in out and '"webhook": "noc", "ok": true' in out
    assert not discord.messages
    (harness.credentials / "RTR-1-password").write_text("wrong\n")
    assert main(["--config", config, "--check"]) == 1
    assert '"router": "RTR-1", "ok": false' in capsys.readouterr().out
    bad = tmp_path / "bad.yml"
    bad.write_text("routers: []\nwebhooks: []\n")
    assert main(["--config", str(bad), "--check"]) == 2


def test_metrics_endpoint(routers, discord, harness, loop):
    rtr = routers("RTR-1")
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)], metrics="127.0.0.1:0"))
    harness.wait_connected()
    login_all(rtr, ["m1"])
    discord.wait_titles(1)

    async def scrape() -> str:
        port = harness.bot.metrics_server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /metrics HTTP/1.0\r\n\r\n")
        data = await reader.read()
        writer.close()
        return data.decode()
    text = loop.run(scrape())
    assert 'ispkit_monitor_events_sent_total{webhook="noc"} 2' in text
    assert 'ispkit_monitor_events_queued{webhook="noc"} 0' in text
    assert 'ispkit_monitor_router_connected{router="RTR-1"} 1' in text
