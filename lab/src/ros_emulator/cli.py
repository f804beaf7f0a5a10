"""`ros-emulator`: run one emulated router (`serve`) or a lab from a topology file (`lab`)."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import yaml

from . import control
from .lab import Lab, Topology
from .router import Router
from .runtime import EmulatedRouter
from .tls import ensure_certificates

LAB_FILE = "lab.json"


def _password(args: argparse.Namespace) -> str:
    """The password from --password-file or $ROS_EMULATOR_PASSWORD (kept off the command line), else --password."""
    if args.password_file:
        with open(args.password_file, encoding="utf-8") as handle:
            return handle.read().strip()
    return os.environ.get("ROS_EMULATOR_PASSWORD", args.password)


async def _run_until_signal(stop, autosave) -> None:
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, done.set)
    saver = asyncio.ensure_future(autosave())
    try:
        await done.wait()
    finally:
        saver.cancel()
        await stop()


def serve(args: argparse.Namespace) -> int:
    async def main() -> None:
        router = Router(identity=args.identity, version=args.ros_version,
                        users=[(args.user, _password(args), "full")], ether_count=args.ether_count,
                        login_method=args.login_method, state_file=args.state_file)
        certificates = None
        if args.tls_port is not None:
            certificates = ensure_certificates(args.cert_dir)
        handle = await EmulatedRouter(router, args.host, args.port, args.tls_port, certificates).start_async()
        tls = f", api-ssl on {args.host}:{handle.tls_port} (CA {certificates.ca})" if certificates else ""
        print(f"{args.identity} (RouterOS {args.ros_version}): api on {args.host}:{handle.port}{tls}", flush=True)

        async def autosave() -> None:
            while True:
                await asyncio.sleep(1)
                if router.dirty:
                    router.save()

        await _run_until_signal(handle.stop_async, autosave)

    asyncio.run(main())
    return 0


def _table(description: dict) -> str:
    lines = [f"{'router':<8} {'RouterOS':<10} {'api':<18} {'api-ssl':<18} user"]
    for name, r in description["routers"].items():
        tls = f"{r['host']}:{r['tls_port']}" if r["tls_port"] else "-"
        lines.append(f"{name:<8} {r['version']:<10} {r['host'] + ':' + str(r['port']):<18} {tls:<18} {r['user']}")
    lines.append("")
    lines.append(f"api-ssl CA file: {description['ca_file']}")
    for name, members in description["segments"].items():
        lines.append(f"segment {name}: {', '.join(members)}")
    first = next(iter(description["routers"].values()))
    lines += [
        "",
        "Try it:",
        f"  python -c \"import librouteros; api = librouteros.connect('{first['host']}', '{first['user']}', "
        f"PASSWORD, port={first['port']}); print(list(api.path('system', 'resource')))\"",
        "  (PASSWORD: the `password` in the topology file)",
    ]
    return "\n".join(lines)


def lab(args: argparse.Namespace) -> int:
    try:
        topology = Topology.load(args.topology, version=args.ros_version)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"ros-emulator: {exc}", file=sys.stderr)
        return 2
    if args.background:
        return _lab_background(args)

    async def main() -> None:
        runner = Lab(topology, args.state_dir, host=args.host)
        await runner.start()
        description = runner.describe()
        path = os.path.join(args.state_dir, LAB_FILE)
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(description, handle, indent=2)
        os.replace(path + ".tmp", path)
        print(_table(description), flush=True)

        async def stop() -> None:
            await runner.stop()
            if os.path.exists(path):
                os.remove(path)

        await _run_until_signal(stop, runner.autosave)

    asyncio.run(main())
    return 0


def _lab_background(args: argparse.Namespace) -> int:
    os.makedirs(args.state_dir, exist_ok=True)
    path = os.path.join(args.state_dir, LAB_FILE)
    running = _running_lab(args.state_dir)
    if running:
        print("The lab is already running:\n" + _table(running))
        return 0
    command = [sys.executable, "-m", "ros_emulator", "lab", args.topology, "--state-dir", args.state_dir,
               "--host", args.host]
    if args.ros_version:
        command += ["--ros-version", args.ros_version]
    log = open(os.path.join(args.state_dir, "lab.log"), "ab")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            print(f"the lab failed to start; see {os.path.join(args.state_dir, 'lab.log')}", file=sys.stderr)
            return 1
        description = _running_lab(args.state_dir)
        if description and description["pid"] == process.pid:
            print(_table(description))
            print(f"\nStop it with: ros-emulator stop --state-dir {args.state_dir}  (or make lab-stop)")
            return 0
        time.sleep(0.1)
    print("the lab did not come up within 30 s", file=sys.stderr)
    return 1


def _running_lab(state_dir: str) -> dict | None:
    path = os.path.join(state_dir, LAB_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            description = json.load(handle)
        os.kill(description["pid"], 0)
        return description
    except (OSError, ValueError, KeyError):
        return None


def stop(args: argparse.Namespace) -> int:
    description = _running_lab(args.state_dir)
    if not description:
        print("no lab is running")
        return 0
    os.kill(description["pid"], signal.SIGTERM)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            os.kill(description["pid"], 0)
        except OSError:
            print("lab stopped (state kept in %s)" % args.state_dir)
            return 0
        time.sleep(0.1)
    print("the lab did not stop within 15 s", file=sys.stderr)
    return 1


def status(args: argparse.Namespace) -> int:
    description = _running_lab(args.state_dir)
    if not description:
        print("no lab is running")
        return 1
    print(_table(description))
    return 0


def ctl(args: argparse.Namespace) -> int:
    """Send one control operation to the running lab and print its answer as JSON."""
    try:
        arguments = control.parse_arguments(args.arguments)
        with control.ControlClient(args.state_dir) as client:
            result = client.call(args.operation, **arguments)
    except control.ControlError as exc:
        print(f"ros-emulator ctl {args.operation}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ros-emulator", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    one = sub.add_parser("serve", help="run one emulated router")
    one.add_argument("--host", default="127.0.0.1")
    one.add_argument("--port", type=int, default=8728, help="api port (0: any free port)")
    one.add_argument("--tls-port", type=int, default=None, help="api-ssl port (off unless given)")
    one.add_argument("--identity", default="MikroTik")
    one.add_argument("--ros-version", default="7.16.2", help="e.g. 6.49.13, 7.16.2, 7.18.1")
    one.add_argument("--user", default="admin")
    one.add_argument("--password", default="", help="prefer --password-file or $ROS_EMULATOR_PASSWORD")
    one.add_argument("--password-file")
    one.add_argument("--ether-count", type=int, default=8)
    one.add_argument("--login-method", choices=("auto", "plain", "challenge"), default="auto")
    one.add_argument("--state-file", help="keep the configuration here across restarts")
    one.add_argument("--cert-dir", default=os.path.join(os.getcwd(), ".ros-emulator-tls"))
    one.set_defaults(func=serve)

    many = sub.add_parser("lab", help="run every router of a topology file")
    many.add_argument("topology")
    many.add_argument("--state-dir", default=".lab")
    many.add_argument("--host", default="127.0.0.1")
    many.add_argument("--ros-version", default=os.environ.get("LAB_ROS_VERSION") or None,
                      help="run every router with this version (default: the topology's; $LAB_ROS_VERSION)")
    many.add_argument("--background", action="store_true", help="start, wait until ready, print how to connect")
    many.set_defaults(func=lab)

    command = sub.add_parser("ctl", help="ask the running lab to do something (`ctl operations` lists what)")
    command.add_argument("--state-dir", default=".lab")
    command.add_argument("operation")
    command.add_argument("arguments", nargs="*", help="key=value (values that read as JSON are decoded)")
    command.set_defaults(func=ctl)

    for name, func, text in (("stop", stop, "stop a background lab"), ("status", status, "show a running lab")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--state-dir", default=".lab")
        cmd.set_defaults(func=func)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
