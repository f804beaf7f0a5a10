"""/system/identity, /system/resource, /user and /log, driven by librouteros."""
from __future__ import annotations

import librouteros
import pytest
from librouteros.exceptions import MultiTrapError, TrapError

from conftest import PASSWORD, VERSIONS, connect
from helpers import by_name, login, refused
from ros_emulator import start_router


# ---- /system/identity ---------------------------------------------------------------------------

def test_identity_print_and_set(router, api):
    identity = api.path("system", "identity")
    assert list(identity) == [{"name": f"RTR-{router.router.dialect}"}]
    identity.update(name="core-1")
    assert list(identity) == [{"name": "core-1"}]
    assert router.router.identity == "core-1"
    tuple(identity("unset", **{"value-name": "name"}))
    assert list(identity) == [{"name": "MikroTik"}]


def test_identity_refusals_change_nothing(router, api):
    identity = api.path("system", "identity")
    refused(router, "/system/identity", lambda: identity.update(name=""), "invalid value for argument name")
    refused(router, "/system/identity", lambda: identity.update(hostname="x"), "unknown parameter")
    refused(router, "/system/identity", lambda: identity.add(name="x"), "no such command or directory (add)")
    refused(router, "/system/identity", lambda: tuple(identity("remove")), "no such command or directory (remove)")


# ---- /system/resource -----------------------------------------------------------------------------

def test_resource_reports_the_dialects_version(router, api):
    [row] = list(api.path("system", "resource"))
    assert row["version"] == {"v6": "6.49.13 (long-term)", "v7": "7.16.2 (stable)"}[router.router.dialect]
    assert row["board-name"] == "CHR" and row["platform"] == "MikroTik"
    assert row["architecture-name"] == ("x86" if router.router.dialect == "v6" else "x86_64")
    assert isinstance(row["free-memory"], int) and row["free-memory"] < row["total-memory"]
    assert row["cpu-load"] == 0 and row["uptime"].endswith("s")
    assert ".id" not in row
    refused(router, "/system/resource", lambda: api.path("system", "resource").update(version="7.99"),
            "unknown parameter")


def test_resource_version_of_another_release():
    handle = start_router(version="7.18.1", password=PASSWORD)
    try:
        api = connect(handle)
        assert next(iter(api.path("system", "resource")))["version"] == "7.18.1 (stable)"
        api.close()
    finally:
        handle.stop()


def test_system_paths_of_the_other_dialect_are_refused(router, api):
    with pytest.raises(MultiTrapError) as info:
        list(api.path("system", "nosuch"))
    assert info.value.traps[0].message == "no such command or directory (nosuch)"


# ---- /user ---------------------------------------------------------------------------------------------

def test_user_add_prints_defaults_and_never_a_password(router, api):
    users = api.path("user")
    entry_id = users.add(name="ops", group="read", password="s3cret")
    row = by_name(users, "ops")
    assert row == {".id": entry_id, "name": "ops", "group": "read", "address": "", "disabled": False,
                   "dynamic": False}
    assert all("password" not in r for r in router.print("/user"))
    # not even when asked for by name
    asked = list(users.select(librouteros.query.Key("name"), librouteros.query.Key("password")))
    assert all(set(r) <= {".id", "name"} for r in asked)
    ops = login(router, "ops", "s3cret")
    assert [r["name"] for r in ops.path("system", "identity")] == [f"RTR-{router.router.dialect}"]
    ops.close()


def test_user_groups_and_refusals(router, api):
    users = api.path("user")
    users.add(name="ops", group="write", password="x")
    refused(router, "/user", lambda: users.add(name="ops", group="read"),
            "failure: user with the same name already exists")
    refused(router, "/user", lambda: users.add(name="eve", group="root"), "input does not match any value of group")
    refused(router, "/user", lambda: users.add(name="eve"), "missing value(s) of argument(s) group")
    refused(router, "/user", lambda: users.add(name="", group="read"), "invalid value for argument name")
    refused(router, "/user", lambda: users.update(**{".id": "ops", "last-logged-in": "now"}), "unknown parameter")
    users.update(**{".id": "ops", "group": "full", "comment": "on call"})
    row = by_name(users, "ops")
    assert (row["group"], row["comment"]) == ("full", "on call")


def test_read_user_cannot_write(router, api):
    api.path("user").add(name="viewer", group="read", password="pw")
    viewer = login(router, "viewer", "pw")
    assert len(list(viewer.path("ip", "address"))) == 0
    for call in (lambda: viewer.path("ip", "pool").add(name="p", ranges="10.0.0.1"),
                 lambda: viewer.path("system", "identity").update(name="x"),
                 lambda: viewer.path("user").remove("admin")):
        refused(router, ("/ip/pool", "/system/identity", "/user"), call, "not enough permissions (9)")
    assert router.router.identity == f"RTR-{router.router.dialect}"
    viewer.close()


def test_user_remove_and_disable_end_logins(router, api):
    users = api.path("user")
    entry_id = users.add(name="temp", group="full", password="pw")
    login(router, "temp", "pw").close()
    users.update(**{".id": entry_id, "disabled": True})
    with pytest.raises(TrapError):
        login(router, "temp", "pw")
    users.remove(entry_id)
    assert [r["name"] for r in users] == ["admin"]
    with pytest.raises(TrapError):
        login(router, "temp", "pw")


@pytest.mark.parametrize("dialect", sorted(VERSIONS))
def test_configured_users_exist_from_the_start(dialect):
    handle = start_router(version=VERSIONS[dialect], users=[("admin", "a", "full"), ("mon", "m", "read")])
    try:
        assert {r["name"]: r["group"] for r in handle.print("/user")} == {"admin": "full", "mon": "read"}
        login(handle, "mon", "m").close()
    finally:
        handle.stop()


# ---- /log ----------------------------------------------------------------------------------------------

def test_log_shows_logins_failures_and_changes(router, api):
    api.path("ip", "pool").add(name="lan", ranges="10.0.0.2-10.0.0.9")
    with pytest.raises(TrapError):
        login(router, "admin", "wrong")
    rows = list(api.path("log"))
    messages = [(r["topics"], r["message"]) for r in rows]
    assert ("system,info,account", "user admin logged in from 127.0.0.1 via api") in messages
    assert ("system,error,critical", "login failure for user admin from 127.0.0.1 via api") in messages
    assert any(topics == "system,info" and "pool" in message and "admin" in message for topics, message in messages)
    stamp = rows[-1]["time"]
    if router.router.dialect == "v6":
        assert len(stamp) == 8 and stamp.count(":") == 2  # hh:mm:ss for today's entries
    else:
        assert len(stamp) == 19 and stamp[4] == "-"  # YYYY-MM-DD hh:mm:ss
    refused(router, "/log", lambda: api.path("log").add(message="x"), "no such command or directory (add)")


def test_log_and_pool_used_entries_cannot_be_removed(router, api):
    entry_id = next(iter(api.path("log")))[".id"]
    with pytest.raises(librouteros.exceptions.MultiTrapError) as info:
        tuple(api("/log/remove", **{".id": entry_id}))
    assert "no such command or directory (remove)" in str(info.value)
    with pytest.raises(librouteros.exceptions.MultiTrapError):
        tuple(api("/ip/pool/used/remove", **{".id": "*1"}))
