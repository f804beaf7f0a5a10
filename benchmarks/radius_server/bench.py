#!/usr/bin/env python3
"""Benchmark the radius_server role on the Debian 12 test host with 10,000 subscribers.

Boots its own container (tests/debian_host/host.sh, name ispkit-bench, SSH port 2223), converges
the role with N subscribers from scratch (package install included) and again with no change, once
with the subscribers in an inventory variable and once in a CSV subscribers file, then sends Access-Requests from 127.0.0.2 (a registered NAS) to FreeRADIUS on 127.0.0.1 with a bounded
number in flight, and prints throughput and latency percentiles as Markdown.

  .venv/bin/python benchmarks/radius_server/bench.py [--subscribers 10000] [--requests 20000]

Needs root and Linux (see tests/debian_host/README.md); prints SKIP and exits 0 otherwise.
Traffic goes to loopback only, and every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "extensions" / "molecule" / "debian_host_shared"))
from radius_probe import auth_packet, load_dictionary  # noqa: E402

HOST = REPO / "tests" / "debian_host" / "host.sh"
NAS, SECRET = "127.0.0.2", "bench-secret"
PLANS = [
    {"name": "home-10m", "rate_limit": {"rx": "2M", "tx": "10M", "burst_rx": "4M", "burst_tx": "20M",
                                       "burst_threshold_rx": "1500k", "burst_threshold_tx": "7M",
                                       "burst_time_rx": "16", "burst_time_tx": "16", "priority": 8},
     "group": "pppoe-home", "pool": "pool-pppoe", "interim_interval": 300, "service": "pppoe"},
    {"name": "home-20m", "rate_limit": {"rx": "5M", "tx": "20M"}, "group": "pppoe-home",
     "pool": "pool-pppoe", "interim_interval": 300, "service": "both"},
    {"name": "hotspot-5m", "rate_limit": {"rx": "1M", "tx": "5M"}, "group": "hotspot-basic",
     "pool": "pool-hotspot", "session_timeout": 3600, "service": "hotspot"},
]


def subscribers(count: int) -> list[dict]:
    subs = []
    for n in range(count):
        sub = {"username": f"user{n:05d}", "password": f"pw-{n * 7919 % 100003}",
               "plan": PLANS[n % 2]["name"]}
        if n % 50 == 0:
            sub["ip"] = f"100.64.{n // 250 % 256}.{n % 250 + 1}"
        if n % 100 == 99:
            sub["state"] = "suspended"
        subs.append(sub)
    return subs


def converge(workdir: Path, env: dict, label: str) -> tuple[float, str]:
    start = time.monotonic()
    run = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(workdir / "inventory.yml"),
         str(workdir / "site.yml")],
        cwd=workdir, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-4000:] + run.stderr[-2000:])
        raise SystemExit(f"converge ({label}) failed")
    recap = [line for line in run.stdout.splitlines() if "changed=" in line][-1].strip()
    return elapsed, recap


def blast(dictionary, users: list[dict], port: int, total: int, inflight: int, deadline_s: float) -> dict:
    """Sends `total` Access-Requests keeping `inflight` outstanding; returns latency stats."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((NAS, 0))
    sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    secret = SECRET.encode()
    free_ids = list(range(256))
    pending: dict[int, tuple[float, object, bool]] = {}
    latencies: list[float] = []
    results = {"accept": 0, "reject": 0, "lost": 0, "unexpected": 0}
    sent = 0
    start = time.monotonic()
    stop_at = start + deadline_s
    while (sent < total or pending) and time.monotonic() < stop_at:
        while sent < total and len(pending) < inflight and free_ids:
            user = users[sent % len(users)]
            req = auth_packet(dictionary, secret, user["username"], user["password"],
                              service_type="Framed-User")
            req.id = free_ids.pop()
            raw = req.RequestPacket()
            pending[req.id] = (time.monotonic(), req, user.get("state") != "suspended")
            sock.sendto(raw, ("127.0.0.1", port))
            sent += 1
        for _key, _mask in sel.select(timeout=0.05):
            while True:
                try:
                    data = sock.recv(4096)
                except BlockingIOError:
                    break
                now = time.monotonic()
                entry = pending.pop(data[1], None)
                if entry is None:
                    continue
                free_ids.append(data[1])
                sent_at, req, want_accept = entry
                latencies.append(now - sent_at)
                reply = req.CreateReply(packet=data)
                ok = req.VerifyReply(reply, data)
                kind = "accept" if reply.code == 2 else "reject" if reply.code == 3 else "other"
                results[kind if kind != "other" else "unexpected"] += 1
                if not ok or (kind == "accept") != want_accept:
                    results["unexpected"] += 1
        now = time.monotonic()
        for pid, (sent_at, _req, _want) in list(pending.items()):
            if now - sent_at > 2.0:
                del pending[pid]
                free_ids.append(pid)
                results["lost"] += 1
    elapsed = time.monotonic() - start
    results["lost"] += len(pending)
    sock.close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"sent": sent, "elapsed": elapsed, "rate": len(latencies) / elapsed, "p50": pct(0.50),
            "p95": pct(0.95), "p99": pct(0.99), "max": latencies[-1] * 1000 if latencies else float("nan"),
            "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"), **results}


def write_workdir(work: Path, port: str, key: str, users: list[dict], mode: str, auth_port: int) -> None:
    (work / "inventory.yml").write_text(json.dumps({"all": {"hosts": {"bench": {
        "ansible_host": "127.0.0.1", "ansible_port": int(port), "ansible_user": "root",
        "ansible_ssh_private_key_file": key,
        "ansible_ssh_common_args": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null",
        "ansible_python_interpreter": "/usr/bin/python3"}}}}))
    variables = {
        "radius_server_listen_address": "127.0.0.1",
        "radius_server_auth_port": auth_port, "radius_server_acct_port": auth_port + 1,
        "radius_server_clients": [{"name": "bench-nas", "address": NAS, "secret": SECRET}],
        "radius_server_plans": PLANS}
    if mode == "vars":
        variables["radius_server_subscribers"] = users
    else:
        with open(work / "subscribers.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["username", "password", "plan", "ip", "state"])
            for user in users:
                writer.writerow([user["username"], user["password"], user["plan"], user.get("ip", ""),
                                 user.get("state", "")])
        variables["radius_server_subscribers_file"] = str(work / "subscribers.csv")
    (work / "vars.json").write_text(json.dumps(variables))
    (work / "site.yml").write_text(
        "- name: Bench\n  hosts: all\n  vars_files: [vars.json]\n"
        "  roles:\n    - role: ispkit.routeros.radius_server\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=20000, help="Access-Requests per load level")
    parser.add_argument("--inflight", type=int, nargs="+", default=[1, 8, 32],
                        help="outstanding requests, one run per value")
    parser.add_argument("--modes", nargs="+", default=["vars", "file"], choices=["vars", "file"],
                        help="subscribers as an inventory variable, or in radius_server_subscribers_file")
    parser.add_argument("--auth-port", type=int, default=22812)
    parser.add_argument("--keep", action="store_true", help="leave the container running")
    args = parser.parse_args()

    env = dict(os.environ, ISPKIT_HOST_NAME="ispkit-bench",
               ISPKIT_HOST_SSH_PORT=os.environ.get("ISPKIT_BENCH_SSH_PORT", "2223"))
    check = subprocess.run([str(HOST), "check"], env=env, capture_output=True, text=True, check=False)
    if check.returncode != 0:
        print(check.stdout.strip() or "SKIP: Debian test host unavailable")
        return 0
    subprocess.run([str(HOST), "build"], env=env, check=True)
    users = subscribers(args.subscribers)
    converges = []
    try:
        for mode in args.modes:
            # Every mode starts from a pristine Debian: "from scratch" includes installing FreeRADIUS.
            subprocess.run([str(HOST), "down"], env=env, check=True)
            boot = time.monotonic()
            port = subprocess.run([str(HOST), "up"], env=env, check=True, capture_output=True,
                                  text=True).stdout.strip()
            boot = time.monotonic() - boot
            key = dict(line.split("=", 1) for line in subprocess.run(
                [str(HOST), "env"], env=env, check=True, capture_output=True, text=True).stdout.split())
            with tempfile.TemporaryDirectory(prefix="radius-bench-") as tmp:
                work = Path(tmp)
                (work / "ansible_collections" / "ispkit").mkdir(parents=True)
                (work / "ansible_collections" / "ispkit" / "routeros").symlink_to(REPO)
                write_workdir(work, port, key["ISPKIT_HOST_SSH_KEY"], users, mode, args.auth_port)
                aenv = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=tmp, ANSIBLE_PIPELINING="true",
                            ANSIBLE_HOST_KEY_CHECKING="false", ANSIBLE_FORCE_COLOR="0")
                scratch = converge(work, aenv, f"{mode}, from scratch")
                again = converge(work, aenv, f"{mode}, no change")
            converges.append((mode, boot, scratch, again))

        dictionary = load_dictionary()
        # Enabled subscribers only, shuffled: suspended ones are rejected, and FreeRADIUS holds every
        # Access-Reject back for reject_delay (1 s) on purpose.
        order = random.Random(1).sample([u for u in users if u.get("state") != "suspended"],
                                        len(users) - len(users) // 100)
        blast(dictionary, order, args.auth_port, 500, 8, 30)  # warm-up
        runs = [(n, blast(dictionary, order, args.auth_port, args.requests, n, 120)) for n in args.inflight]
    finally:
        if not args.keep:
            subprocess.run([str(HOST), "down"], env=env, check=False)

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    print(f"## radius_server benchmark, {args.subscribers:,} subscribers\n")
    print(f"Machine: {os.cpu_count()} CPUs ({cpu}), shared by the client, the container and anything "
          f"else running. FreeRADIUS 3.2.1 from Debian 12, SQL on SQLite (WAL); PAP Access-Requests with "
          f"Message-Authenticator for random enabled subscribers (the database holds 1% suspended and "
          f"2% with a static address).\n")
    print("| subscribers given as | boot (cached rootfs) | converge from scratch (packages included) "
          "| converge, no change |")
    print("| --- | ---: | ---: | ---: |")
    labels = {"vars": "inventory variable `radius_server_subscribers`",
              "file": "CSV file `radius_server_subscribers_file`"}
    for mode, boot, (t_scratch, recap_scratch), (t_again, recap_again) in converges:
        print(f"| {labels[mode]} | {boot:.1f} s | {t_scratch:.1f} s ({_counts(recap_scratch)}) "
              f"| {t_again:.1f} s ({_counts(recap_again)}) |")
    print()
    print("| in flight | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | accept | reject | lost | unexpected |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, r in runs:
        print(f"| {n} | {r['sent']} | {r['rate']:.0f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} | "
              f"{r['max']:.2f} | {r['accept']} | {r['reject']} | {r['lost']} | {r['unexpected']} |")
    bad = [n for n, r in runs if r["lost"] or r["unexpected"] or r["reject"]]
    return 1 if bad else 0


def _counts(recap: str) -> str:
    """'ok=21 changed=14' out of an ansible-playbook recap line."""
    fields = dict(part.split("=", 1) for part in recap.split() if "=" in part)
    return f"changed={fields.get('changed', '?')}"


if __name__ == "__main__":
    sys.exit(main())
