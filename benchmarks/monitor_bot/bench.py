"""Monitor bot benchmark: event-to-webhook latency and the bot's memory.

Starts N emulated routers (RouterOS 7) with S PPPoE sessions each, a local webhook receiver,
and the bot as its own process (`python -m ispkit_monitor`), waits for the first snapshots,
then logs sessions in and out on random routers at a steady rate. Latency is the time from the
change on the router to the webhook receiving its embed. Memory is the bot process's resident
set (VmRSS at the end, VmHWM peak), read from /proc.

    .venv/bin/python benchmarks/monitor_bot/bench.py [--routers 10] [--sessions 2000] [--events 1000] [--rate 100]

The receiver has no rate limit: this measures the bot, not Discord's limits (which the tests cover).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import yaml
from aiohttp import web
from ros_emulator import start_router

HERE = os.path.dirname(os.path.abspath(__file__))


class Receiver:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.summaries = 0
        self.posts = 0
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()

    async def _start(self) -> int:
        app = web.Application()
        app.router.add_post("/api/webhooks/{id}/{token}", self._post)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return site._server.sockets[0].getsockname()[1]  # pylint: disable=protected-access

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.json()
        now = time.monotonic()
        self.posts += 1
        for embed in body["embeds"]:
            if embed["title"].startswith("Monitoring"):
                self.summaries += 1
            else:
                self.arrived.setdefault(embed["title"], now)
        return web.json_response({"id": str(self.posts)})


def memory(pid: int) -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) // 1024  # MiB
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routers", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="changes per second, over all routers")
    args = parser.parse_args()
    random.seed(7)
    work = tempfile.mkdtemp(prefix="ispkit-monitor-bench-")
    os.makedirs(os.path.join(work, "credentials"))

    started = time.monotonic()
    routers = []
    for r in range(args.routers):
        rtr = start_router(identity=f"RTR-{r + 1}", version="7.16.2", password="pw")
        for s in range(args.sessions):
            rtr.add_runtime("/ppp/active", name=f"r{r}-u{s}", service="pppoe",
                            caller_id=f"02:00:{r:02X}:00:{s // 256:02X}:{s % 256:02X}",
                            address=f"10.{r}.{s // 256}.{s % 256}", uptime="1h")
        routers.append(rtr)
    setup = time.monotonic() - started
    receiver = Receiver()
    with open(os.path.join(work, "credentials", "pw"), "w", encoding="utf-8") as secret:
        secret.write("pw\n")
    with open(os.path.join(work, "credentials", "url"), "w", encoding="utf-8") as secret:
        secret.write(f"http://127.0.0.1:{receiver.port}/api/webhooks/1/token\n")
    config = {
        "state_dir": os.path.join(work, "state"), "flap_window": 0, "language": "en",
        "routers": [{"name": f"RTR-{i + 1}", "host": "127.0.0.1", "port": rtr.port, "username": "admin",
                     "password_file": "pw"} for i, rtr in enumerate(routers)],
        "webhooks": [{"name": "bench", "url_file": "url"}],
    }
    config_path = os.path.join(work, "config.yml")
    with open(config_path, "w", encoding="utf-8") as out:
        yaml.safe_dump(config, out)

    env = dict(os.environ, CREDENTIALS_DIRECTORY=os.path.join(work, "credentials"))
    with subprocess.Popen([sys.executable, "-m", "ispkit_monitor", "--config", config_path, "--log-level", "warning"],
                          env=env) as bot:
        try:
            begin = time.monotonic()
            while receiver.summaries < args.routers:
                if time.monotonic() - begin > 120 or bot.poll() is not None:
                    raise SystemExit("the bot did not report its first snapshots")
                time.sleep(0.05)
            snapshot_time = time.monotonic() - begin
            after_snapshot = memory(bot.pid)

            sent: dict[str, float] = {}
            live: dict[int, list[tuple[str, str]]] = {r: [] for r in range(args.routers)}
            interval = 1.0 / args.rate
            next_at = time.monotonic()
            for n in range(args.events):
                r = random.randrange(args.routers)
                rtr = routers[r]
                if live[r] and random.random() < 0.5:
                    name, session = live[r].pop(random.randrange(len(live[r])))
                    sent[f"PPPoE logout: {name}"] = time.monotonic()
                    rtr.remove_runtime("/ppp/active", session)
                else:
                    name = f"bench-{n}"
                    sent[f"PPPoE login: {name}"] = time.monotonic()
                    session = rtr.add_runtime("/ppp/active", name=name, service="pppoe",
                                              caller_id=f"02:AA:00:00:{n // 256:02X}:{n % 256:02X}", address="10.200.0.1")
                    live[r].append((name, session))
                next_at += interval
                time.sleep(max(0.0, next_at - time.monotonic()))
            deadline = time.monotonic() + 30
            while len([t for t in sent if t in receiver.arrived]) < len(sent) and time.monotonic() < deadline:
                time.sleep(0.05)
            final = memory(bot.pid)
        finally:
            bot.terminate()
            bot.wait(10)
    for rtr in routers:
        rtr.stop()

    latencies = [receiver.arrived[t] - s for t, s in sent.items() if t in receiver.arrived]
    missing = len(sent) - len(latencies)
    extra = len([t for t in receiver.arrived if t not in sent])
    print(f"routers: {args.routers}, sessions per router: {args.sessions} ({args.routers * args.sessions} total); "
          f"emulator setup {setup:.1f} s")
    print(f"first snapshots of all routers reported (summaries received): {snapshot_time:.2f} s")
    print(f"events: {len(sent)} at {args.rate:g}/s; delivered {len(latencies)}, missing {missing}, unexpected {extra}; "
          f"webhook posts {receiver.posts}")
    print(f"latency event -> webhook: p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    print(f"bot memory: RSS after snapshots {after_snapshot['VmRSS']} MiB, at end {final['VmRSS']} MiB, "
          f"peak {final['VmHWM']} MiB")
    return 0 if not missing and not extra else 1


if __name__ == "__main__":
    sys.exit(main())
