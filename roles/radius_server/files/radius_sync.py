"""Make FreeRADIUS's SQL tables match a desired-state file of plans and subscribers.

Reads the JSON handed over by the ispkit.routeros.radius_server role, computes the rows of radcheck,
radreply, radusergroup, radgroupcheck and radgroupreply, and applies only the difference in one
transaction, so FreeRADIUS (which reads these tables on every request) needs no restart.
Prints one JSON line: {"changed": bool, "tables": {table: {"added": n, "removed": n}}, ...}.
The role owns these five tables entirely; accounting (radacct) is never touched.
"""
from __future__ import annotations

import argparse
import collections
import csv
import grp
import io
import ipaddress
import json
import os
import pwd
import sqlite3
import sys

Row = tuple  # (name, attribute, op, value) or (username, groupname, priority)

ATTRIBUTE_TABLES = {
    "radcheck": "username",
    "radreply": "username",
    "radgroupcheck": "groupname",
    "radgroupreply": "groupname",
}
SERVICE_TYPES = {"pppoe": "Framed-User", "hotspot": "Login-User"}


def rate_limit(plan: dict) -> str | None:
    """Mikrotik-Rate-Limit: rx/tx [burst-rx/burst-tx [threshold-rx/tx [time-rx/tx [priority]]]]."""
    rate = plan.get("rate_limit")
    if not rate:
        return None
    parts = [f"{rate['rx']}/{rate['tx']}"]
    burst = [
        ("burst_rx", "burst_tx"),
        ("burst_threshold_rx", "burst_threshold_tx"),
        ("burst_time_rx", "burst_time_tx"),
    ]
    for rx_key, tx_key in burst:
        if rate.get(rx_key) is None:
            break
        parts.append(f"{rate[rx_key]}/{rate.get(tx_key, rate[rx_key])}")
    if rate.get("priority") is not None and len(parts) == 4:
        parts.append(str(rate["priority"]))
    return " ".join(parts)


def desired_rows(data: dict) -> dict[str, collections.Counter]:
    rows: dict[str, collections.Counter] = {t: collections.Counter() for t in (*ATTRIBUTE_TABLES, "radusergroup")}
    suspend = data.get("suspend_action", "reject")
    suspend_list = data.get("suspend_address_list", "isolated")
    for plan in data["plans"]:
        name = plan["name"]
        check, reply = rows["radgroupcheck"], rows["radgroupreply"]
        service = plan.get("service", "both")
        if service in SERVICE_TYPES:
            # ':=' check items always match and land in the control list; the site rejects on mismatch.
            check[(name, "Service-Type", ":=", SERVICE_TYPES[service])] += 1
        if plan.get("shared_users"):
            check[(name, "Simultaneous-Use", ":=", str(plan["shared_users"]))] += 1
        limit = rate_limit(plan)
        if limit:
            reply[(name, "Mikrotik-Rate-Limit", ":=", limit)] += 1
        for key, attribute in (
            ("group", "Mikrotik-Group"),
            ("pool", "Framed-Pool"),
            ("address_list", "Mikrotik-Address-List"),
            ("session_timeout", "Session-Timeout"),
            ("idle_timeout", "Idle-Timeout"),
            ("interim_interval", "Acct-Interim-Interval"),
        ):
            if plan.get(key) not in (None, ""):
                reply[(name, attribute, ":=", str(plan[key]))] += 1
        for extra in plan.get("reply_attributes") or []:
            reply[(name, extra["attribute"], extra.get("op", ":="), str(extra["value"]))] += 1
    for sub in data["subscribers"]:
        user = sub["username"]
        rows["radcheck"][(user, "Cleartext-Password", ":=", sub["password"])] += 1
        rows["radusergroup"][(user, sub["plan"], 1)] += 1
        if sub.get("ip"):
            rows["radreply"][(user, "Framed-IP-Address", ":=", sub["ip"])] += 1
        if sub.get("state", "enabled") == "suspended":
            if suspend == "reject":
                rows["radcheck"][(user, "Auth-Type", ":=", "Reject")] += 1
            else:
                rows["radreply"][(user, "Mikrotik-Address-List", ":=", suspend_list)] += 1
    return rows


class DataError(Exception):
    """Bad desired state; the message names the subscriber or plan, never a password."""


def read_subscribers_file(content: str, fmt: str) -> list[dict]:
    """Subscribers from a file the ISP's staff edit: CSV with a header row, or YAML/JSON."""
    if fmt == "csv":
        lines = [line for line in content.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        rows = []
        for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines)), skipinitialspace=True), 2):
            sub = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            if None in row:
                raise DataError(f"subscribers file, data line {number}: more fields than the header")
            rows.append({k: v for k, v in sub.items() if v != "" or k in ("username", "password", "plan")})
        return rows
    import yaml  # python3-yaml, installed by the role

    try:
        data = yaml.safe_load(content) or []
    except yaml.YAMLError as exc:
        # Only the problem and the line: the snippet YAML would quote may hold a password.
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        raise DataError(f"subscribers file is not valid YAML{line}: {getattr(exc, 'problem', None) or 'parse error'}")
    if isinstance(data, dict):
        data = data.get("subscribers", [])
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise DataError("subscribers file: expected a list of mappings (or a 'subscribers' key holding one)")
    return [{k: str(v) if k in ("username", "password", "plan", "ip") else v for k, v in item.items()}
            for item in data]


def check_data(plans: list[dict], subscribers: list[dict]) -> None:
    names = [plan.get("name") for plan in plans]
    if len(names) != len(set(names)):
        raise DataError(f"plans: duplicate names {sorted({n for n in names if names.count(n) > 1})}")
    known = set(names)
    seen: set[str] = set()
    for number, sub in enumerate(subscribers, 1):
        user = sub.get("username")
        where = f"subscriber {user!r}" if user else f"subscriber #{number}"
        for key in ("username", "password", "plan"):
            if not sub.get(key):
                raise DataError(f"{where}: {key} is missing")
        if user in seen:
            raise DataError(f"{where}: username appears twice")
        seen.add(user)
        if sub["plan"] not in known:
            raise DataError(f"{where}: unknown plan {sub['plan']!r} (plans: {', '.join(sorted(known))})")
        if sub.get("state", "enabled") not in ("enabled", "suspended"):
            raise DataError(f"{where}: state must be enabled or suspended, not {sub['state']!r}")
        if sub.get("ip"):
            try:
                ipaddress.IPv4Address(sub["ip"])
            except ValueError:
                raise DataError(f"{where}: ip {sub['ip']!r} is not an IPv4 address") from None
        unknown = set(sub) - {"username", "password", "plan", "ip", "state"}
        if unknown:
            raise DataError(f"{where}: unknown fields {sorted(unknown)}")


def current_rows(db: sqlite3.Connection, table: str) -> dict[Row, list[int]]:
    if table == "radusergroup":
        query = "SELECT rowid, username, groupname, priority FROM radusergroup"
    else:
        query = f"SELECT id, {ATTRIBUTE_TABLES[table]}, attribute, op, value FROM {table}"
    found: dict[Row, list[int]] = collections.defaultdict(list)
    for rowid, *values in db.execute(query):
        found[tuple(values)].append(rowid)
    return found


def sync_table(db: sqlite3.Connection, table: str, want: collections.Counter, check: bool) -> tuple[list, list]:
    """Writes the difference; returns the rows added and the rows removed."""
    have = current_rows(db, table)
    remove: list[int] = []
    removed: list[Row] = []
    for row, ids in have.items():
        extra = len(ids) - want.get(row, 0)
        if extra > 0:
            remove.extend(ids[:extra])
            removed.extend([row] * extra)
    add = [row for row, count in want.items() for _copy in range(count - len(have.get(row, ())))]
    if not check:
        key = "rowid" if table == "radusergroup" else "id"
        db.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(i,) for i in remove])
        if table == "radusergroup":
            db.executemany("INSERT INTO radusergroup (username, groupname, priority) VALUES (?, ?, ?)", add)
        else:
            name = ATTRIBUTE_TABLES[table]
            db.executemany(f"INSERT INTO {table} ({name}, attribute, op, value) VALUES (?, ?, ?, ?)", add)
    return add, removed


def online_sessions(db: sqlite3.Connection, usernames: set[str]) -> list[dict]:
    """Open accounting sessions (no stop yet) of these subscribers, for Disconnect-Requests."""
    sessions: list[dict] = []
    names = sorted(usernames)
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        query = ("SELECT username, nasipaddress, acctsessionid, framedipaddress FROM radacct "
                 f"WHERE acctstoptime IS NULL AND username IN ({', '.join('?' * len(chunk))})")
        for username, nas, session, address in db.execute(query, chunk):
            sessions.append({"username": username, "nas": nas, "session_id": session, "framed_ip": address or ""})
    return sessions


def drop_privileges(user: str) -> None:
    """Run as FreeRADIUS's user so the database and its WAL files stay writable by the server."""
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(user)
    os.setgroups([g.gr_gid for g in grp.getgrall() if user in g.gr_mem] + [entry.pw_gid])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)


def open_db(path: str, schema: str, check: bool) -> sqlite3.Connection:
    # Check mode never creates the database: it compares against an empty one in memory.
    target = path if os.path.exists(path) or not check else ":memory:"
    db = sqlite3.connect(target, timeout=30, isolation_level=None)
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'radcheck'").fetchone():
        with open(schema, encoding="utf-8") as handle:
            db.executescript(handle.read())
    if not check:
        # WAL: FreeRADIUS keeps reading while accounting or this script writes.
        db.execute("PRAGMA journal_mode=WAL")
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="desired-state JSON from the role, - for stdin")
    parser.add_argument("--db", required=True, help="SQLite database used by FreeRADIUS")
    parser.add_argument("--schema", required=True, help="FreeRADIUS's SQLite schema.sql")
    parser.add_argument("--user", default="freerad", help="user FreeRADIUS runs as")
    parser.add_argument("--check", action="store_true", help="report what would change, change nothing")
    parser.add_argument("--init-only", action="store_true", help="create the database and stop")
    args = parser.parse_args()

    if args.init_only:
        drop_privileges(args.user)
        open_db(args.db, args.schema, check=False).close()
        return 0
    if not args.data:
        parser.error("--data is required")
    if args.data == "-":
        data = json.load(sys.stdin)
    else:
        with open(args.data, encoding="utf-8") as handle:
            data = json.load(handle)
    drop_privileges(args.user)
    try:
        if data.get("subscribers_file_content"):
            data["subscribers"] = list(data.get("subscribers") or []) + read_subscribers_file(
                data["subscribers_file_content"], data.get("subscribers_file_format", "csv"))
        check_data(data["plans"], data["subscribers"])
    except (DataError, csv.Error) as exc:
        print(f"ispkit-radius-sync: {exc}", file=sys.stderr)
        return 2
    want = desired_rows(data)
    db = open_db(args.db, args.schema, args.check)
    result: dict = {"changed": False, "tables": {}, "disconnect": []}
    # Subscribers whose own rows changed (password, plan, static address, suspension, removal).
    touched: set[str] = set()
    db.execute("BEGIN" if args.check else "BEGIN IMMEDIATE")
    try:
        for table, rows in want.items():
            added, removed = sync_table(db, table, rows, args.check)
            result["tables"][table] = {"added": len(added), "removed": len(removed)}
            result["changed"] |= bool(added or removed)
            if table in ("radcheck", "radreply", "radusergroup"):
                touched.update(row[0] for row in added + removed)
        if data.get("disconnect_on_change") and touched:
            result["disconnect"] = online_sessions(db, touched)
        db.execute("ROLLBACK" if args.check else "COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    result["subscribers"] = len(data["subscribers"])
    result["plans"] = len(data["plans"])
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
