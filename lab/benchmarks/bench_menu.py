"""Benchmark: one menu holding 10,000 entries on an emulated router, driven by librouteros.

Prints: add and set round trips, print of all entries with a proplist, a query matching one,
count-only, and the emulator's resident memory. The router runs as its own process
(`ros-emulator serve`), so its memory is measured alone.

    python lab/benchmarks/bench_menu.py [--entries 10000] [--ros-version 7.16.2]

Targets (issue 2): print of 10,000 entries under 1 s; add and set under 2 ms each.
"""
from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time

import librouteros

from ros_emulator.protocol import decode_length, encode_sentence, extra_length_bytes


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def raw_print_seconds(port: int, command: str) -> float:
    """Time a print on a bare socket, words read but not interpreted: the emulator's own share."""
    sock = socket.create_connection(("127.0.0.1", port))
    stream = sock.makefile("rb")

    def sentence() -> list[bytes]:
        words = []
        while True:
            first = stream.read(1)
            extra = extra_length_bytes(first[0])
            length = decode_length(first + (stream.read(extra) if extra else b""))
            if not length:
                return words
            words.append(stream.read(length))

    sock.sendall(encode_sentence(["/login", "=name=admin", "=password=bench"]))
    sentence()
    start = time.perf_counter()
    sock.sendall(encode_sentence([command]))
    while sentence()[0] != b"!done":
        pass
    elapsed = time.perf_counter() - start
    sock.close()
    return elapsed


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--ros-version", default="7.16.2")
    args = parser.parse_args()

    env = {**os.environ, "ROS_EMULATOR_PASSWORD": "bench"}
    server = subprocess.Popen(
        [sys.executable, "-m", "ros_emulator", "serve", "--port", "0", "--ros-version", args.ros_version],
        stdout=subprocess.PIPE, text=True, env=env)
    try:
        port = int(server.stdout.readline().rsplit(":", 1)[1])
        api = librouteros.connect("127.0.0.1", "admin", "bench", port=port)
        idle_rss = rss_mib(server.pid)
        secrets = api.path("ppp", "secret")

        add_ms, ids = [], []
        for n in range(args.entries):
            start = time.perf_counter()
            ids.append(secrets.add(name=f"user{n:05d}", password=f"pw{n}", service="pppoe", profile="default"))
            add_ms.append((time.perf_counter() - start) * 1000)

        set_ms = []
        for entry_id in ids[:: max(1, args.entries // 1000)]:
            start = time.perf_counter()
            secrets.update(**{".id": entry_id, "comment": "changed"})
            set_ms.append((time.perf_counter() - start) * 1000)

        def timed(fn, repeat: int) -> tuple[float, object]:
            runs, result = [], None
            for _ in range(repeat):
                start = time.perf_counter()
                result = fn()
                runs.append(time.perf_counter() - start)
            return statistics.median(runs), result

        print_all, rows = timed(lambda: list(secrets.select("name", "profile", "service", "disabled")), 5)
        assert len(rows) == args.entries, len(rows)
        print_full, rows = timed(lambda: list(secrets), 5)
        print_raw, _ = timed(lambda: raw_print_seconds(port, "/ppp/secret/print"), 5)
        name = librouteros.query.Key("name")
        query_one, rows = timed(lambda: list(secrets.select("name").where(name == f"user{args.entries // 2:05d}")), 20)
        assert len(rows) == 1
        count_only, rows = timed(lambda: list(api("/ppp/secret/print", **{"count-only": ""})), 20)
        loaded_rss = rss_mib(server.pid)
        api.close()
    finally:
        server.terminate()
        server.wait(timeout=15)

    print(f"ros-emulator benchmark: /ppp/secret with {args.entries:,} entries, RouterOS {args.ros_version} dialect")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, librouteros over TCP loopback")
    print(f"add round trip     mean {statistics.mean(add_ms):6.3f} ms   p95 {percentile(add_ms, 0.95):6.3f} ms   (target < 2 ms)")
    print(f"set round trip     mean {statistics.mean(set_ms):6.3f} ms   p95 {percentile(set_ms, 0.95):6.3f} ms   ({len(set_ms)} sets; target < 2 ms)")
    print(f"print all, proplist of 4 fields  {print_all * 1000:7.1f} ms   (median of 5; target < 1000 ms)")
    print(f"print all, every field           {print_full * 1000:7.1f} ms   (median of 5)")
    print(f"print all, every field, raw socket {print_raw * 1000:5.1f} ms   (median of 5; no client-side parsing)")
    print(f"query matching one (?name=)      {query_one * 1000:7.1f} ms   (median of 20)")
    print(f"count-only                       {count_only * 1000:7.1f} ms   (median of 20)")
    print(f"emulator resident memory: {idle_rss:.1f} MiB idle, {loaded_rss:.1f} MiB with {args.entries:,} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
