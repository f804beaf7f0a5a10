"""Pure parts of the bot: snapshot diffs, the queue journal, batching, configuration."""
from __future__ import annotations

import pytest
from ispkit_monitor import config as config_mod
from ispkit_monitor import messages
from ispkit_monitor.events import WATCHES, RouterState, parse_uptime
from ispkit_monitor.store import EventQueue


def session(item_id, name, caller="02:00:00:00:00:01"):
    return {".id": item_id, "name": name, "service": "pppoe", "caller-id": caller, "uptime": "1m"}


def test_a_failed_read_is_not_everyone_logging_out():
    state = RouterState("RTR-1", [WATCHES["ppp"], WATCHES["hotspot"]])
    assert state.on_snapshot({"ppp": [session("*1", "alice"), session("*2", "bob", "02:00:00:00:00:02")],
                              "hotspot": []}) == []
    state.known = True
    assert state.on_snapshot({"hotspot": []}) == []  # /ppp/active/print failed: alice and bob stay
    events = state.on_snapshot({"ppp": [session("*9", "alice")], "hotspot": []})  # ids changed (reboot)
    assert [(e["type"], e["state"], e["user"], e["while_away"]) for e in events] == [("pppoe", "down", "bob", True)]


def test_listen_rows_by_id_and_duplicate_keys():
    state = RouterState("RTR-1", [WATCHES["ppp"]])
    state.on_snapshot({"ppp": []})
    state.known = True
    assert [e["user"] for e in state.on_listen("ppp", session("*1", "alice"))] == ["alice"]
    assert state.on_listen("ppp", session("*1", "alice")) == []  # the same entry again: no change
    assert state.on_listen("ppp", session("*2", "alice")) == []  # a second session with the same key
    assert state.on_listen("ppp", {".id": "*1", ".dead": "true"}) == []  # one of the two left
    events = state.on_listen("ppp", {".id": "*2", ".dead": "true"})
    assert [(e["state"], e["duration"]) for e in events] == [("down", 60)]
    assert state.on_listen("ppp", {".id": "*7", ".dead": "true"}) == []  # unknown id: nothing invented


def test_parse_uptime():
    assert parse_uptime("1w2d3h4m5s") == 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5
    assert parse_uptime("00:05:00") == 300 and parse_uptime("1d 02:00:00") == 93600
    assert parse_uptime("") is None


def test_queue_journal_restores_pending_once(tmp_path):
    path = str(tmp_path / "q.jsonl")
    queue = EventQueue(path, max_events=3, fsync=False)
    queue.put([{"id": f"e{n}", "type": "x"} for n in range(5)])  # the two oldest are dropped
    assert [e["id"] for e in queue.peek(10)] == ["e2", "e3", "e4"] and queue.dropped == 2
    queue.done(["e2"])
    queue.put([{"id": "e2"}, {"id": "e3"}])  # delivered or queued ids are not taken again
    queue.close()
    with open(path, "a", encoding="utf-8") as journal:
        journal.write('{"add": {"id": "half')  # a line cut short by a crash
    again = EventQueue(path, max_events=3, fsync=False)
    assert [e["id"] for e in again.peek(10)] == ["e3", "e4"]
    again.close()


def test_batches_stay_within_discord_limits():
    events = [{"id": f"id{n}", "time": "2026-01-01T00:00:00+00:00", "router": "RTR-1", "type": "pppoe", "state": "up",
               "severity": "info", "user": "u" * 900, "address": "a" * 900, "caller_id": "c" * 900} for n in range(12)]
    taken, embeds = messages.batch(events)
    assert 1 <= len(taken) < 10
    assert sum(messages.embed_size(e) for e in embeds) <= 6000
    taken, embeds = messages.batch(events[:1] * 1)
    assert len(embeds) == 1 and embeds[0]["title"].startswith("PPPoE login: u")
    assert len(embeds[0]["title"]) <= 256


def test_config_errors_name_the_option(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    (tmp_path / "pw").write_text("secret\n")
    (tmp_path / "url").write_text("https://discord.example/api/webhooks/1/x\n")
    good = {"routers": [{"name": "R", "host": "127.0.0.1", "password_file": "pw"}],
            "webhooks": [{"name": "noc", "url_file": "url"}]}
    parsed = config_mod.parse(good)
    assert parsed.routers[0].password == "secret" and parsed.routers[0].port == 8728
    assert "secret" not in repr(parsed.routers[0]) and "discord.example" not in repr(parsed.webhooks[0])
    cases = [
        ({"language": "fr"}, "language"),
        ({"rules": [{"when": "type ==", "webhook": "noc"}]}, "rules[0].when"),
        ({"rules": [{"when": "type == 'x'", "webhook": "nope"}]}, "rules[0].webhook"),
        ({"routers": [{"name": "R", "host": "h", "password_file": "missing"}]}, "routers[R].password_file"),
        ({"routers": [{"name": "R", "host": "h", "password_file": "pw", "password": "x"}]}, "unknown option(s) password"),
        ({"routers": [{"name": "R", "host": "h", "password_file": "pw", "watch": ["bgp"]}]}, "routers[R].watch"),
        ({"flap_window": -1}, "flap_window"),
    ]
    for change, message in cases:
        with pytest.raises(config_mod.ConfigError, match=r".*" + message.replace("[", r"\[").replace("]", r"\]")
                           .replace("(", r"\(").replace(")", r"\)")):
            config_mod.parse(dict(good, **change))
    rules = config_mod.parse(dict(good, rules=[{"when": "type == 'failover' && router == 'R'", "webhook": "noc"}]))
    assert rules.route({"type": "failover", "router": "R"}) == ["noc"]
    assert rules.route({"type": "pppoe", "router": "R"}) == []
