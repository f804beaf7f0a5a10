"""The lab twin: the paper's four acceptance tests, end to end, on the emulated lab.

    python tests/lab_twin/acceptance.py                  # a lab per dialect (6.49.13, 7.16.2), then the table
    python tests/lab_twin/acceptance.py --lab .lab       # the lab `make lab` runs (its dialect only)
    python tests/lab_twin/acceptance.py --no-servers     # the router-only parts, without the Debian host

The routers are configured by playbooks/site.yml with inventories/lab; as root, a Debian 12
container (tests/debian_host/host.sh) gets FreeRADIUS and the monitor bot from the same playbook,
and a local webhook receiver plays Discord. Then:

1. PPPoE: RADIUS subscribers dial both routers (address from the plan's pool, the plan's rate
   limit and its dynamic queue, accounting in FreeRADIUS); a wrong password is rejected; a local
   secret dials without RADIUS.
2. Hotspot: the same through the Hotspot login.
3. 1,000 new connections from each router's subscribers: both ISPs carry 40-60%; ISP1 stops
   answering, then its link is cut: every new connection leaves by ISP2; restored: the split
   returns. A pinned destination crosses the interconnect from RTR-2 to ISP1.
4. The bot delivered exactly the login, logout, failover and recovery messages those caused.

Without the Debian host (not root, not Linux) the RADIUS and bot parts are SKIP with the reason.
Exit status: 0 when nothing failed. Usable as a library: `run_suite(Options(...))` returns a Report.
"""
from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from twin_env import (LAB_INVENTORY, ControlError, DebianHost, LabProcess, PlaybookRun, Playbooks,  # noqa: E402
                      SetupError, finish_all)
from twin_ledger import Expected, Watched, kinds, reconcile  # noqa: E402
from webhook_receiver import WebhookReceiver  # noqa: E402  pylint: disable=wrong-import-order

VERSIONS = ("6.49.13", "7.16.2")
ROUTERS = ("RTR-1", "RTR-2")
HOST_NAME = "ispkit-lab-twin"
CONNECTIONS = 1000
SHARE = (0.40, 0.60)
# Where the test connections go: RFC 2544's benchmarking network, pinned to no uplink.
DESTINATIONS = "198.18.0.0/15"
CUT_ISP, OTHER_ISP = "ISP1", "ISP2"
SETTLE_TIMEOUT = 30.0  # seconds for routes to follow a cut, or the bot to deliver
QUIET = 1.5  # seconds without a webhook post before the bot is taken to have said everything
RADIUS_DB = "/var/lib/freeradius/ispkit.sqlite"  # the radius_server role's default database

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


@dataclass(frozen=True)
class Scenario:
    id: str
    test: str
    text: str
    operations: tuple[str, ...] = ()  # the lab's control operations it needs
    servers: bool = False  # needs FreeRADIUS and the bot on the Debian host


PPPOE_OPS, HOTSPOT_OPS = ("dial", "hangup"), ("hotspot_login", "hotspot_logout")
CUT_OPS = ("isp", "link", "spread")
SCENARIOS = (
    Scenario("pppoe-radius", "1 PPPoE", "RADIUS subscribers dial RTR-1 and RTR-2", PPPOE_OPS, servers=True),
    Scenario("pppoe-reject", "1 PPPoE", "a wrong password is rejected", PPPOE_OPS, servers=True),
    Scenario("pppoe-suspend", "1 PPPoE", "suspended on the RADIUS server (the role): disconnected, refused; "
             "enabled again: dials", PPPOE_OPS, servers=True),
    Scenario("pppoe-local", "1 PPPoE", "a local secret dials (no RADIUS)", PPPOE_OPS),
    Scenario("hotspot-radius", "2 Hotspot", "RADIUS subscribers log in on RTR-1 and RTR-2", HOTSPOT_OPS, servers=True),
    Scenario("hotspot-reject", "2 Hotspot", "a wrong password is rejected", HOTSPOT_OPS, servers=True),
    Scenario("hotspot-local", "2 Hotspot", "a local user logs in (no RADIUS)", HOTSPOT_OPS),
    Scenario("balance", "3 Load balance", f"{CONNECTIONS:,} new connections per router: each ISP 40-60%", ("spread",)),
    Scenario("pinned", "3 Load balance", "a destination pinned to ISP1, from RTR-2: across the interconnect", ("route",)),
    Scenario("failover-isp", "3 Failover", "ISP1 stops answering: every new connection by ISP2", CUT_OPS),
    Scenario("restore-isp", "3 Failover", "ISP1 answers again: the split returns", CUT_OPS),
    Scenario("failover-link", "3 Failover", "ISP1's link is cut: every new connection by ISP2", CUT_OPS),
    Scenario("restore-link", "3 Failover", "ISP1's link is back: the split returns", CUT_OPS),
    Scenario("bot", "4 Bot", "exactly the login, logout, failover, recovery messages those caused", servers=True),
)


@dataclass
class Result:
    scenario: Scenario
    version: str
    status: str
    numbers: str = ""
    detail: str = ""  # why it failed or was skipped


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def get(self, version: str, scenario_id: str) -> Result | None:
        return next((r for r in self.results if r.version == version and r.scenario.id == scenario_id), None)

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.status != FAIL for r in self.results)

    def table(self) -> str:
        """The paper's table: test, scenario, result, with what was measured."""
        rows = [("RouterOS", "test", "scenario", "result", "measured")]
        for r in self.results:
            rows.append((r.version, r.scenario.test, r.scenario.text, r.status,
                         r.numbers if r.status == PASS else f"{r.numbers} {r.detail}".strip()))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = []
        for index, row in enumerate(rows):
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
            if index == 0:
                lines.append("  ".join("-" * width for width in widths) + "  " + "-" * 8)
        counts = {status: sum(1 for r in self.results if r.status == status) for status in (PASS, FAIL, SKIP)}
        lines.append("")
        lines.append(f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[SKIP]} skipped in {self.seconds:.0f} s")
        lines += self.notes
        return "\n".join(lines)


@dataclass
class Options:
    workdir: Path
    versions: tuple[str, ...] = VERSIONS
    lab_dir: Path | None = None  # attach to this running lab instead of starting one per dialect
    servers: bool = True  # bring up the Debian host when the machine can
    keep_servers: bool = False
    progress: Callable[[str], None] = lambda text: None


class Failed(Exception):
    """A scenario's check did not hold; the message says what was seen."""


# ---- the inventory's data the suite checks against --------------------------------------------------

def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@dataclass(frozen=True)
class Account:
    user: str
    password: str = field(repr=False)
    rate: str  # the rate limit the session must get, "rx/tx"


@dataclass(frozen=True)
class LabData:
    """What inventories/lab promises: RADIUS plans and subscribers, local accounts, passwords."""

    radius_pppoe: dict[str, Account]  # router -> the subscriber that dials it
    radius_hotspot: dict[str, Account]
    local_pppoe: Account
    local_hotspot: Account
    nas: dict[str, str]  # router -> the address FreeRADIUS knows it by
    lans: dict[str, list[str]]  # router -> its subscribers' networks (load balanced)
    pinned: dict[str, str]  # router -> a destination its policy routes pin to ISP1
    cut_segment: str  # the segment ISP1 is on (topology.yml)
    api_password: str = field(repr=False)

    @classmethod
    def read(cls) -> "LabData":
        routers = _load(LAB_INVENTORY / "group_vars" / "routers" / "network.yml")
        connection = _load(LAB_INVENTORY / "group_vars" / "routers" / "connection.yml")
        radius = _load(LAB_INVENTORY / "group_vars" / "radius_servers" / "main.yml")
        clients = _load(LAB_INVENTORY / "group_vars" / "all" / "radius.yml")["lab_radius_clients"]
        hosts = {router: _load(LAB_INVENTORY / "host_vars" / f"{router}.yml") for router in ROUTERS}
        isps = _load(LAB_INVENTORY / "topology.yml")["isps"]
        plans = {plan["name"]: plan for plan in radius["radius_server_plans"]}

        def by_service(service: str) -> list[Account]:
            return [Account(s["username"], s["password"], _plan_rate(plans[s["plan"]]))
                    for s in radius["radius_server_subscribers"] if plans[s["plan"]].get("service") == service]

        ppp_profiles = {p["name"]: p for p in hosts["RTR-1"]["subscriber_access_ppp_profiles"]}
        hotspot_profiles = {p["name"]: p for p in routers["subscriber_access_hotspot_user_profiles"]}
        secret = routers["subscriber_access_ppp_secrets"][0]
        user = routers["subscriber_access_hotspot_users"][0]
        return cls(
            radius_pppoe=dict(zip(ROUTERS, by_service("pppoe"))),
            radius_hotspot=dict(zip(ROUTERS, by_service("hotspot"))),
            local_pppoe=Account(secret["name"], secret["password"], ppp_profiles[secret["profile"]]["rate_limit"]),
            local_hotspot=Account(user["name"], user["password"], hotspot_profiles[user["profile"]]["rate_limit"]),
            nas={client["name"]: client["address"] for client in clients},
            lans={router: host["dual_isp_lan_networks"] for router, host in hosts.items()},
            pinned={router: _a_host(pin["dst_address"]) for router, host in hosts.items()
                    for pin in host.get("dual_isp_policy_routes", []) if pin["uplink"] == CUT_ISP},
            cut_segment=isps[CUT_ISP]["segment"],
            api_password=str(connection["routeros_api_password"]),
        )


def _a_host(network: str) -> str:
    """An address inside a network (its tenth host, or the address itself)."""
    net = ipaddress.IPv4Network(network, strict=False)
    return str(net[10]) if net.num_addresses > 16 else str(net[0])


def _plan_rate(plan: dict) -> str:
    return f"{plan['rate_limit']['rx']}/{plan['rate_limit']['tx']}"


# ---- small checks -------------------------------------------------------------------------------------

_UNITS = {"k": 1_000, "M": 1_000_000, "G": 1_000_000_000}


def bits(text: str) -> int:
    """A RouterOS rate (`10M`, `512k`, `10000000`) in bits per second."""
    text = text.strip()
    if text[-1:] in _UNITS:
        return int(float(text[:-1]) * _UNITS[text[-1]])
    return int(text)


def same_rate(a: str, b: str) -> bool:
    """Whether two `rx/tx` rate limits (their first part: burst settings aside) are equal."""
    first_a, first_b = a.split()[0].split("/"), b.split()[0].split("/")
    return len(first_a) == len(first_b) == 2 and all(bits(x) == bits(y) for x, y in zip(first_a, first_b))


def in_pool(address: str, ranges: str) -> bool:
    """Whether an address is inside a RouterOS pool's ranges (`a-b,c-d`, single addresses, prefixes)."""
    ip = ipaddress.IPv4Address(address.split("/")[0])
    for part in ranges.split(","):
        low, high = (part.strip().split("-", 1) + [""])[:2]
        if "/" in low and not high:
            if ip in ipaddress.IPv4Network(low, strict=False):
                return True
        elif ipaddress.IPv4Address(low) <= ip <= ipaddress.IPv4Address(high or low):
            return True
    return False


def shares(counts: dict[str, int], total: int) -> str:
    return ", ".join(f"{name} {100 * n / total:.1f}%" for name, n in counts.items() if n)


def balanced(counts: dict[str, int], total: int) -> bool:
    return all(SHARE[0] * total <= counts.get(isp, 0) <= SHARE[1] * total for isp in (CUT_ISP, OTHER_ISP))


def all_by(counts: dict[str, int], total: int, isp: str) -> bool:
    return counts.get(isp, 0) == total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], Any], timeout: float, interval: float = 0.2) -> Any:
    """Poll until `condition()` is truthy; its last value (falsy after the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# ---- one dialect --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RadiusSession:
    router: str
    id: str  # Acct-Session-Id
    login: float  # time.time() of the login


@dataclass(frozen=True)
class Kind:
    """PPPoE or Hotspot: the control operations and menus of a subscriber session."""

    name: str
    title: str  # as the bot's messages say it
    login: str
    logout: str
    active: str
    pool: str

    def login_arguments(self, index: int) -> dict[str, str]:
        mac = f"02:00:5e:00:07:{index:02x}"
        return {"caller_id": mac} if self.name == "pppoe" else {"mac": mac}


PPPOE = Kind("pppoe", "PPPoE", "dial", "hangup", "/ppp/active", "pppoe-pool")
HOTSPOT = Kind("hotspot", "Hotspot", "hotspot_login", "hotspot_logout", "/ip/hotspot/active", "hotspot-pool")


class Dialect:
    """The suite on one running lab (one RouterOS version)."""

    def __init__(self, lab: LabProcess, data: LabData, host: DebianHost | None, receiver: WebhookReceiver | None,
                 playbooks: Playbooks | None = None):
        self.lab = lab
        self.playbooks = playbooks  # site.yml runs, for scenarios that change a server
        self.data = data
        self.host = host
        self.receiver = receiver
        self.expected: list[Expected] = []
        self.sessions = 0
        self.opened: list[RadiusSession] = []  # every session, for the accounting check

    # -- routers ---------------------------------------------------------------------------------------

    def print(self, router: str, *path: str) -> list[dict]:
        api = self.lab.api(router, self.data.api_password)
        try:
            return list(api.path(*path))
        finally:
            api.close()

    def watched(self) -> dict[str, Watched]:
        """What the bot watches on each router that the scenarios change."""
        return {router: Watched.read(self.print(router, "ip", "route"), self.print(router, "routing", "ospf", "neighbor"))
                for router in ROUTERS}

    def steady(self, before: dict[str, Watched] | None = None) -> dict[str, Watched]:
        """The watched state once two reads in a row agree (and differ from `before`, when
        given), or as it is after SETTLE_TIMEOUT."""
        reads = [before]

        def settled() -> bool:
            reads.append(self.watched())
            return reads[-1] == reads[-2] and (before is None or reads[-1] != before)

        wait_for(settled, SETTLE_TIMEOUT, interval=0.3)
        return reads[-1]  # type: ignore[return-value]

    def expect(self, router: str, title: str, since: float) -> None:
        self.expected.append(Expected(router, title, since))

    # -- 1 and 2: subscribers --------------------------------------------------------------------------

    def session(self, kind: Kind, router: str, account: Account, via_radius: bool) -> str:
        """Log a subscriber in, check the session, log out; the numbers measured. Raises Failed."""
        answer, took = self.login(kind, router, account)
        try:
            numbers = self._check_session(kind, router, account, answer, via_radius)
        finally:
            ended = time.monotonic()
            self.lab.call(kind.logout, router=router, user=account.user)
            self.expect(router, f"{kind.title} logout: {account.user}", ended)
        left = [row for row in self.print(router, *kind.active.strip("/").split("/"))
                if account.user in (row.get("name"), row.get("user"))]
        if left:
            raise Failed(f"{router}: {account.user} still in {kind.active} after {kind.logout}")
        return f"{router} {account.user} {numbers}, answer in {took:.2f} s"

    def login(self, kind: Kind, router: str, account: Account) -> tuple[dict, float]:
        """Log a subscriber in (the bot's login message expected, the session kept for the
        accounting check); the router's answer and how long it took. Raises Failed if refused."""
        self.sessions += 1
        started = time.monotonic()
        answer = self.lab.call(kind.login, router=router, user=account.user, password=account.password,
                               **kind.login_arguments(self.sessions))
        took = time.monotonic() - started
        if not answer.get("accepted"):
            raise Failed(f"{router}: {account.user} rejected: {answer.get('reason')}")
        self.expect(router, f"{kind.title} login: {account.user}", started)
        self.opened.append(RadiusSession(router, str(answer.get("session_id", "")), time.time() - took))
        return answer, took

    def _check_session(self, kind: Kind, router: str, account: Account, answer: dict, via_radius: bool) -> str:
        address = str(answer.get("address") or "")
        pools = {p["name"]: p["ranges"] for p in self.print(router, "ip", "pool")}
        problems = []
        if not address or not in_pool(address, pools[kind.pool]):
            problems.append(f"address {address or 'none'} is not from {kind.pool} ({pools[kind.pool]})")
        if not same_rate(str(answer.get("rate_limit") or "0/0"), account.rate):
            problems.append(f"rate limit {answer.get('rate_limit')!r}, the plan says {account.rate}")
        queues = [q for q in self.print(router, "queue", "simple")
                  if account.user in str(q.get("name", "")) or address in str(q.get("target", ""))]
        if len(queues) != 1 or not same_rate(str(queues[0].get("max-limit", "")), account.rate):
            problems.append(f"dynamic queues {[(q.get('name'), q.get('max-limit')) for q in queues]}, "
                            f"want one with max-limit {account.rate}")
        active = [row for row in self.print(router, *kind.active.strip("/").split("/"))
                  if account.user in (row.get("name"), row.get("user"))]
        if len(active) != 1 or active[0].get("address") != address:
            problems.append(f"{kind.active} shows {active}")
        via = str(answer.get("via", ""))
        if via_radius != ("radius" in via.lower()):
            problems.append(f"authenticated via {via!r}, want {'RADIUS' if via_radius else 'the local database'}")
        if problems:
            raise Failed(f"{router} {account.user}: " + "; ".join(problems))
        return f"{address} {account.rate} (queue {queues[0].get('name')})"

    def rejected(self, kind: Kind, router: str, account: Account) -> str:
        started = time.monotonic()
        answer = self.lab.call(kind.login, router=router, user=account.user, password=account.password + "-wrong",
                               **kind.login_arguments(99))
        took = time.monotonic() - started
        if answer.get("accepted"):
            self.lab.call(kind.logout, router=router, user=account.user)
            raise Failed(f"{router}: {account.user} with a wrong password was accepted")
        if not str(answer.get("reason", "")).startswith("rejected by RADIUS"):
            raise Failed(f"{router}: {account.user} refused, but not by RADIUS: {answer.get('reason')}")
        return f"{router} {account.user}: {answer.get('reason')} in {took:.1f} s"

    def suspended(self, kind: Kind, router: str, account: Account) -> str:
        """The radius_server role suspends an online subscriber: its Disconnect-Request (radclient
        from the Debian host to the router's NAS address and CoA port) ends the session, and
        RADIUS refuses the next login; the role run without the change restores the subscriber."""
        assert self.playbooks is not None
        self.login(kind, router, account)
        session = self.opened[-1]
        subscribers = _load(LAB_INVENTORY / "group_vars" / "radius_servers" / "main.yml")["radius_server_subscribers"]
        suspended = [dict(sub, state="suspended") if sub["username"] == account.user else sub for sub in subscribers]
        # the subscriber is online in FreeRADIUS's accounting before the role looks for sessions
        if not wait_for(lambda: self.online(account.user), SETTLE_TIMEOUT, interval=0.5):
            self.lab.call(kind.logout, router=router, user=account.user)
            self.expect(router, f"{kind.title} logout: {account.user}", time.monotonic())
            raise Failed(f"{router}: FreeRADIUS has no open accounting session of {account.user} (session "
                         f"{session.id}), so the role would not know where to send a Disconnect-Request")
        changed = time.monotonic()
        try:
            self.playbooks.site("radius_servers", extra_vars={"radius_server_subscribers": suspended}, name="suspend")
        except SetupError as exc:
            raise Failed(str(exc)) from None

        def gone() -> bool:
            return not [row for row in self.print(router, *kind.active.strip("/").split("/"))
                        if account.user in (row.get("name"), row.get("user"))]
        if not wait_for(gone, SETTLE_TIMEOUT):
            self.lab.call(kind.logout, router=router, user=account.user)
            self.expect(router, f"{kind.title} logout: {account.user}", time.monotonic())
            self.playbooks.site("radius_servers", name="enable")
            raise Failed(f"{router}: {account.user} still online after the role suspended it (no Disconnect-Request?)")
        took = time.monotonic() - changed
        self.expect(router, f"{kind.title} logout: {account.user}", changed)
        accounted = self.accounting([session])
        refused = self.lab.call(kind.login, router=router, user=account.user, password=account.password,
                                **kind.login_arguments(98))
        if refused.get("accepted"):
            self.lab.call(kind.logout, router=router, user=account.user)
            raise Failed(f"{router}: suspended {account.user} was accepted")
        try:
            self.playbooks.site("radius_servers", name="enable")
        except SetupError as exc:
            raise Failed(str(exc)) from None
        again = self.session(kind, router, account, via_radius=True)
        return (f"{router} {account.user}: disconnected {took:.1f} s after the role run started, "
                f"{accounted}; then {refused.get('reason')}; enabled again: {again}")

    def online(self, user: str) -> bool:
        """FreeRADIUS has an open accounting session of `user`."""
        assert self.host is not None
        query = f"SELECT count(*) FROM radacct WHERE username = '{user}' AND acctstoptime IS NULL"
        return self.host.ssh(f'sqlite3 {RADIUS_DB} "{query}"').strip() not in ("", "0")

    def radius_sessions(self, kind: Kind, accounts: dict[str, Account]) -> str:
        """Each router's RADIUS subscriber logs in and out; FreeRADIUS accounted for both sessions."""
        first = len(self.opened)
        numbers = [self.session(kind, router, account, via_radius=True) for router, account in accounts.items()]
        numbers.append(self.accounting(self.opened[first:]))
        return "; ".join(numbers)

    def unaccounted(self, sessions: list[RadiusSession]) -> list[RadiusSession]:
        """The sessions FreeRADIUS has no finished radacct row for: one from the router's NAS
        address, started no earlier than the login (session ids repeat when a router restarts)."""
        assert self.host is not None
        ids = ",".join(f"'{s.id}'" for s in sessions if s.id.isalnum())
        # Debian's sqlite queries store epoch seconds; a date text (a year first) is converted
        started_at = ("CASE WHEN CAST(acctstarttime AS INTEGER) > 100000000 THEN CAST(acctstarttime AS INTEGER) "
                      "ELSE strftime('%s', acctstarttime) END")
        query = (f"SELECT acctsessionid, nasipaddress, {started_at} FROM radacct "
                 f"WHERE acctsessionid IN ({ids}) AND acctstoptime IS NOT NULL")
        started: dict[tuple[str, str], int] = {}
        for line in self.host.ssh(f'sqlite3 {RADIUS_DB} "{query}"').split():
            session_id, nas, epoch = (line.split("|") + ["", "", ""])[:3]
            if epoch.isdigit():
                started[session_id, nas] = max(started.get((session_id, nas), 0), int(epoch))
        return [s for s in sessions if started.get((s.id, self.data.nas[s.router]), 0) < int(s.login) - 2]

    def accounting(self, sessions: list[RadiusSession]) -> str:
        wait_for(lambda: not self.unaccounted(sessions), SETTLE_TIMEOUT, interval=0.5)
        missing = self.unaccounted(sessions)
        if missing:
            raise Failed("FreeRADIUS recorded no accounting start and stop for "
                         + ", ".join(f"{s.router} session {s.id}" for s in missing))
        return f"accounting start and stop in FreeRADIUS for {len(sessions)} sessions"

    # -- 3: traffic ------------------------------------------------------------------------------------

    def spread(self, router: str, seed: str) -> dict[str, int]:
        """Where CONNECTIONS new connections from the router's subscriber networks (split evenly) go."""
        counts: dict[str, int] = {}
        networks = self.data.lans[router]
        for index, network in enumerate(networks):
            part = CONNECTIONS // len(networks) + (CONNECTIONS % len(networks) if index == 0 else 0)
            answer = self.lab.call("spread", router=router, src_network=network, dst=DESTINATIONS, count=part,
                                   seed=f"{seed}-{router}-{index}")
            for key, value in answer.items():
                counts[key] = counts.get(key, 0) + int(value)
        return counts

    def balance(self, seed: str) -> str:
        parts = []
        for router in ROUTERS:
            counts = self.spread(router, seed)
            if not balanced(counts, CONNECTIONS):
                raise Failed(f"{router}: {shares(counts, CONNECTIONS)}")
            parts.append(f"{router}: {shares(counts, CONNECTIONS)}")
        return "; ".join(parts)

    def pinned(self) -> str:
        """A new connection from an RTR-2 subscriber to a destination pinned to ISP1 crosses to RTR-1."""
        destination = self.data.pinned["RTR-2"]
        answer = self.lab.call("route", router="RTR-2", src=_a_host(self.data.lans["RTR-2"][0]), dst=destination)
        path = " > ".join(hop["router"] for hop in answer.get("hops", []))
        if answer.get("uplink") != CUT_ISP or answer.get("result") != "ok" or path != "RTR-2 > RTR-1":
            raise Failed(f"{destination} left by {answer.get('uplink')} ({answer.get('result')}) through {path}")
        return f"{destination}: {path} > {CUT_ISP}"

    def cut(self, operation: str, arguments: dict[str, str], state: str, seed: str) -> str:
        """Take ISP1 (or its link) down or up, wait for the routers' routes to follow, then check
        where 1,000 new connections per router go."""
        before = self.watched()
        started = time.monotonic()
        self.lab.call(operation, state=state, **arguments)
        after = self.steady(before)
        took = time.monotonic() - started
        changes = [change for router in ROUTERS for change in before[router].changes(router, after[router], started)]
        self.expected += changes
        spreads = {router: self.spread(router, seed) for router in ROUTERS}
        want = (lambda c: all_by(c, CONNECTIONS, OTHER_ISP)) if state == "down" else (lambda c: balanced(c, CONNECTIONS))
        text = "; ".join(f"{router}: {shares(c, CONNECTIONS)}" for router, c in spreads.items())
        if not all(want(c) for c in spreads.values()):
            raise Failed(text)
        routes = sum(1 for change in changes if change.title.startswith("Uplink"))
        return f"{text}; {routes} default routes changed state in {took:.1f} s"

    # -- the scenarios by id ----------------------------------------------------------------------------

    def run(self, scenario_id: str) -> str:
        """Run one scenario (not the bot's); what it measured. Raises Failed."""
        data = self.data
        cut = {"isp": ("isp", {"name": CUT_ISP}), "link": ("link", {"segment": data.cut_segment})}
        steps: dict[str, Callable[[], str]] = {
            "pppoe-radius": lambda: self.radius_sessions(PPPOE, data.radius_pppoe),
            "pppoe-reject": lambda: self.rejected(PPPOE, "RTR-1", data.radius_pppoe["RTR-1"]),
            "pppoe-suspend": lambda: self.suspended(PPPOE, "RTR-1", data.radius_pppoe["RTR-1"]),
            "pppoe-local": lambda: self.session(PPPOE, "RTR-1", data.local_pppoe, via_radius=False),
            "hotspot-radius": lambda: self.radius_sessions(HOTSPOT, data.radius_hotspot),
            "hotspot-reject": lambda: self.rejected(HOTSPOT, "RTR-2", data.radius_hotspot["RTR-2"]),
            "hotspot-local": lambda: self.session(HOTSPOT, "RTR-2", data.local_hotspot, via_radius=False),
            "balance": lambda: self.balance("balance"),
            "pinned": self.pinned,
            "failover-isp": lambda: self.cut(*cut["isp"], state="down", seed="isp-down"),
            "restore-isp": lambda: self.cut(*cut["isp"], state="up", seed="isp-up"),
            "failover-link": lambda: self.cut(*cut["link"], state="down", seed="link-down"),
            "restore-link": lambda: self.cut(*cut["link"], state="up", seed="link-up"),
        }
        return steps[scenario_id]()

    # -- 4: the bot ------------------------------------------------------------------------------------

    def bot(self, since_post: int) -> tuple[str, str]:
        """(numbers, problems) for the bot's messages since post number `since_post`."""
        assert self.receiver is not None

        def delivered_all() -> bool:
            return len(self.receiver.embeds(since_post)) >= len(self.expected)  # type: ignore[union-attr]

        wait_for(delivered_all, SETTLE_TIMEOUT)
        wait_quiet(self.receiver, QUIET, SETTLE_TIMEOUT)
        verdict = reconcile(self.expected, self.receiver.embeds(since_post))
        return f"{verdict.summary()} ({kinds(self.expected)})", "" if verdict.ok else verdict.problems()


def wait_quiet(receiver: WebhookReceiver, quiet: float, timeout: float) -> None:
    """Wait until no post has arrived for `quiet` seconds (the bot has said what it had to)."""
    def calm() -> bool:
        posts = receiver.embeds()
        return not posts or time.monotonic() - posts[-1][1] >= quiet
    wait_for(calm, timeout)


def run_dialect(version: str, dialect: Dialect, servers_skip: str | None, progress: Callable[[str], None]) -> list[Result]:
    """Every scenario on one running, configured lab, in order (the bot's last)."""
    results: list[Result] = []
    since_post = dialect.receiver.mark() if dialect.receiver else 0
    operations = dialect.lab.operations()
    for scenario in SCENARIOS:
        progress(f"{version}: {scenario.test}: {scenario.text}")
        result = Result(scenario, version, PASS)
        missing = [op for op in scenario.operations if op not in operations]
        if scenario.servers and servers_skip:
            result.status, result.detail = SKIP, servers_skip
        elif missing:
            result.status, result.detail = FAIL, f"the lab has no control operation {', '.join(missing)}"
        elif scenario.id == "bot":
            result.numbers, problems = dialect.bot(since_post)
            if problems:
                result.status, result.detail = FAIL, problems
        else:
            try:
                result.numbers = dialect.run(scenario.id)
            except (Failed, ControlError, SetupError) as exc:
                result.status, result.detail = FAIL, str(exc)
        results.append(result)
    return results


def restore_network(lab: LabProcess, data: LabData) -> None:
    """Whatever a failed scenario left down comes back up (a lab `make lab` keeps running)."""
    for operation, arguments in (("isp", {"name": CUT_ISP}), ("link", {"segment": data.cut_segment})):
        try:
            lab.call(operation, state="up", **arguments)
        except ControlError:
            pass


# ---- the whole suite ----------------------------------------------------------------------------------

def settle(dialect: Dialect) -> None:
    """After site.yml: the routes' states stop changing, and the bot has reported what it saw."""
    dialect.steady()
    if dialect.receiver is not None:
        wait_quiet(dialect.receiver, QUIET * 2, SETTLE_TIMEOUT)


def failed_setup(version: str, error: Exception) -> list[Result]:
    """Every scenario of a dialect failed by its setup: the first row says why."""
    return [Result(scenario, version, FAIL, detail=f"setup failed: {error}" if index == 0 else
                   "setup failed (see the first row)") for index, scenario in enumerate(SCENARIOS)]


class Twin:
    """The suite's environment: the Debian host (when the machine can run it), the webhook
    receiver, the inventory; a lab per dialect, configured by site.yml."""

    def __init__(self, options: Options, stack: ExitStack):
        self.options = options
        self.report = Report()
        self.data = LabData.read()
        self.host: DebianHost | None = None
        self.servers_skip: str | None = "not asked for (--no-servers)" if not options.servers else None
        self.servers_ready = False
        if options.servers:
            self.host = DebianHost(HOST_NAME, free_port())
            self.servers_skip = self.host.unavailable()
            if self.servers_skip:
                self.host = None
            else:
                self.host.boot()  # boots while the first lab starts
                if not options.keep_servers:
                    stack.callback(self.host.down)
        self.receiver = WebhookReceiver(free_port()).start() if self.host else None
        if self.receiver:
            stack.callback(self.receiver.stop)
        self.playbooks = Playbooks(options.workdir, {
            "ISPKIT_LAB_TWIN_WEBHOOK_PORT": str(self.receiver.port if self.receiver else 0),
            "ISPKIT_LAB_TWIN_SSH_PORT": str(self.host.ssh_port if self.host else 0)})

    def configure(self, lab: LabProcess) -> None:
        """site.yml: the routers of a lab started here, and the servers the first time (both at once)."""
        runs: list[PlaybookRun] = []
        try:
            if lab.owned:
                self.options.progress(f"{lab.version}: site.yml --limit routers")
                runs.append(self.playbooks.start("routers"))
            if self.host and not self.servers_ready:
                self.options.progress("Debian host: up, then site.yml --limit radius_servers,monitor_servers")
                self.host.wait()
                runs.append(self.playbooks.start("radius_servers,monitor_servers"))
        finally:
            finish_all(runs)
        if self.host and self.receiver and not self.servers_ready:
            self.servers_ready = True
            # the freshly started bot's first words: a summary of each router it now watches
            summaries = {f"Monitoring {router}" for router in ROUTERS}
            if not wait_for(lambda: summaries <= set(self.receiver.titles()), SETTLE_TIMEOUT):  # type: ignore[union-attr]
                raise SetupError(f"the monitor bot did not report watching {', '.join(ROUTERS)}; "
                                 f"webhook titles so far: {self.receiver.titles()}")  # type: ignore[union-attr]

    def run_lab(self, lab: LabProcess) -> None:
        try:
            self.configure(lab)
            dialect = Dialect(lab, self.data, self.host, self.receiver, self.playbooks)
            settle(dialect)
            self.report.results += run_dialect(lab.version, dialect, self.servers_skip, self.options.progress)
        except SetupError as exc:
            self.report.results += failed_setup(lab.version, exc)
        finally:
            restore_network(lab, self.data)
            lab.stop()

    def run(self) -> Report:
        if self.options.lab_dir:
            try:
                lab = LabProcess.attach(self.options.lab_dir)
            except SetupError as exc:
                self.report.results += failed_setup("-", exc)
            else:
                self.playbooks.point_at(lab.ports)
                self.run_lab(lab)
        ports: dict[str, int] | None = None
        for version in () if self.options.lab_dir else self.options.versions:
            # the same API ports for every dialect: the bot keeps watching the same routers
            try:
                lab = LabProcess.start(self.options.workdir / "lab", version, ports)
            except SetupError as exc:
                self.report.results += failed_setup(version, exc)
                continue
            ports = lab.ports
            self.playbooks.point_at(ports)
            self.run_lab(lab)
        if self.host and self.options.keep_servers:
            self.report.notes.append(f"The Debian host keeps running: ISPKIT_HOST_NAME={HOST_NAME} "
                                     f"ISPKIT_HOST_SSH_PORT={self.host.ssh_port} tests/debian_host/host.sh down")
        if self.servers_skip:
            self.report.notes.append(f"RADIUS and bot scenarios: {self.servers_skip}")
        return self.report


def run_suite(options: Options) -> Report:
    """Every scenario on every dialect (or on the attached lab's); never raises for a failed check."""
    started = time.monotonic()
    with ExitStack() as stack:
        report = Twin(options, stack).run()
    report.seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", type=Path, help="state directory of a running lab (make lab: .lab) to test as it is")
    parser.add_argument("--versions", default=",".join(VERSIONS), help="RouterOS versions, one lab each")
    parser.add_argument("--no-servers", action="store_true", help="leave the Debian host (RADIUS, bot) out")
    parser.add_argument("--keep-servers", action="store_true", help="leave the Debian host running afterwards")
    parser.add_argument("--workdir", type=Path, help="keep the inventory and logs here (default: a temporary one)")
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        workdir = args.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lab-twin-")))
        workdir.mkdir(parents=True, exist_ok=True)
        options = Options(workdir=workdir, versions=tuple(v for v in args.versions.split(",") if v),
                          lab_dir=args.lab, servers=not args.no_servers, keep_servers=args.keep_servers,
                          progress=(lambda text: None) if args.quiet else (lambda text: print(f"... {text}", flush=True)))
        report = run_suite(options)
    print(report.table())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
