"""Subscribers (subscribers.py, radius_client.py): PPPoE dials and Hotspot logins, local or
through a real FreeRADIUS (Debian's package, started here on free loopback ports), on both
dialects. Routers are configured with librouteros over TCP, as Ansible does; sessions are made
with the functions the lab's control operations call, and over the control channel itself.

FreeRADIUS tests skip only when tests/scripts/ensure-freeradius.sh says SKIP (not root and
FreeRADIUS not installed)."""
from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import time

import librouteros
import pytest
from pyrad import packet

from conftest import PASSWORD, VERSIONS, connect
from freeradius import FreeRadius, available, free_udp_port
from helpers import menu, one
from ros_emulator import start_router
from ros_emulator.control import ControlClient, ControlError
from ros_emulator.lab import start_lab
from ros_emulator.radius_client import dictionary
from ros_emulator.subscribers import dial, hangup, hotspot_login, hotspot_logout, sessions_of

SECRET = "nas-secret"
# RADIUS subscribers: a plan with rate limit and pool; a static address with a profile and a
# session timeout; a short interim interval; a Hotspot user; one whose replies are not signed.
USERS = """\
alice Cleartext-Password := "wonderland"
\tMikrotik-Rate-Limit = "2M/10M",
\tFramed-Pool = "radius-pool"

carol Cleartext-Password := "carol-pw"
\tFramed-IP-Address = 10.99.0.7,
\tMikrotik-Group = "gold",
\tMikrotik-Address-List = "vip",
\tSession-Timeout = 1

dave Cleartext-Password := "dave-pw"
\tAcct-Interim-Interval = 1

heidi Cleartext-Password := "heidi-pw"
\tMikrotik-Rate-Limit = "1M/5M"

unsigned Cleartext-Password := "unsigned-pw"
"""


# ---- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def freeradius(tmp_path_factory):
    reason = available()
    if reason:
        pytest.skip(reason)
    server = FreeRadius(tmp_path_factory.mktemp("freeradius"), USERS, secret=SECRET).start()
    yield server
    server.stop()


@pytest.fixture(params=sorted(VERSIONS))
def rtr(request):
    """A fresh router per test and dialect, with an identity of its own (its NAS-Identifier, so a
    test finds its own records in FreeRADIUS's shared accounting file)."""
    identity = "RTR-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:10]
    handle = start_router(identity=identity, version=VERSIONS[request.param], password=PASSWORD)
    yield handle
    handle.stop()


@pytest.fixture
def api(rtr):
    client = connect(rtr)
    yield client
    client.close()


def command(api, path: str, verb: str, **values) -> None:
    """Run `path/verb` (set on a single-valued menu...) with librouteros."""
    tuple(menu(api, path)(verb, **values))


def add(api, path: str, **values) -> str:
    return menu(api, path).add(**{k.replace("_", "-"): v for k, v in values.items()})


def pppoe(api, *, pool_ranges="10.10.10.2-10.10.10.254", only_one="yes", radius=None, timeout="1s") -> None:
    """The lab's PPPoE service: a bridge, a pool, profile pppoe-10M, the server, local secret bob;
    with `radius` (a FreeRadius), the RADIUS client for ppp and hotspot (a generous timeout: CI
    machines are busy)."""
    add(api, "/interface/bridge", name="Hotspot+PPPoE")
    add(api, "/ip/pool", name="pppoe-pool", ranges=pool_ranges)
    add(api, "/ip/pool", name="radius-pool", ranges="10.20.0.2-10.20.0.9")
    add(api, "/ppp/profile", name="pppoe-10M", local_address="10.10.10.1", remote_address="pppoe-pool",
        rate_limit="10M/10M", only_one=only_one)
    add(api, "/ppp/profile", name="gold", rate_limit="50M/50M")
    add(api, "/interface/pppoe-server/server", service_name="internet", interface="Hotspot+PPPoE",
        default_profile="pppoe-10M", disabled="no")
    add(api, "/ppp/secret", name="bob", password="b0b", service="pppoe")
    if radius is not None:
        radius_client(api, radius.auth_port, radius.acct_port, timeout=timeout)
        command(api, "/ppp/aaa", "set", **{"use-radius": "yes", "accounting": "yes"})


def radius_client(api, auth_port: int, acct_port: int, *, timeout="1s", secret=SECRET, **extra) -> str:
    return add(api, "/radius", address="127.0.0.1", secret=secret, service="ppp,hotspot",
               authentication_port=str(auth_port), accounting_port=str(acct_port), timeout=timeout, **extra)


def hotspot(api, *, use_radius="no", login_by="cookie,http-chap") -> None:
    add(api, "/interface/bridge", name="hs-bridge")
    add(api, "/ip/pool", name="hotspot-pool", ranges="10.5.50.2-10.5.50.254")
    add(api, "/ip/hotspot/user/profile", name="hotspot-2M", rate_limit="2M/2M", shared_users="1")
    add(api, "/ip/hotspot/profile", name="hsprof1", hotspot_address="10.5.50.1", login_by=login_by,
        use_radius=use_radius)
    add(api, "/ip/hotspot", name="hotspot1", interface="hs-bridge", address_pool="hotspot-pool", profile="hsprof1")
    add(api, "/ip/hotspot/user", name="walter", password="w4lter", profile="hotspot-2M")


def printed(handle, path: str, **query: str) -> list[dict[str, str]]:
    return handle.print(path, **query)


def accounting(freeradius, handle, count: int = 1, **match: str) -> list[dict[str, str]]:
    """The router's accounting records FreeRADIUS wrote that match (waits for `count` of them)."""
    return freeradius.wait_accounting(count, NAS_Identifier=handle.router.identity, **match)


def wait_for(condition, timeout: float = 10.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


# ---- PPPoE, local secrets -------------------------------------------------------------------------------

def test_local_pppoe_session_and_everything_it_holds(rtr, api):
    pppoe(api)
    result = dial(rtr, "bob", "b0b", caller_id="02:00:00:00:0b:0b")
    assert result == {
        "accepted": True, "id": result["id"], "user": "bob", "address": "10.10.10.254",
        "interface": "<pppoe-bob>", "rate_limit": "10M/10M", "via": "local", "profile": "default",
        "session_id": result["session_id"],
    }
    active = one(printed(rtr, "/ppp/active"), name="bob")
    assert (active["service"], active["caller-id"], active["address"], active["radius"]) == (
        "pppoe", "02:00:00:00:0B:0B", "10.10.10.254", "false")
    assert active["session-id"] == "0x" + result["session_id"].upper()
    interface = one(printed(rtr, "/interface"), name="<pppoe-bob>")
    assert interface["type"] == "pppoe-in" and interface["dynamic"] == "true"
    queue = one(list(menu(api, "/queue/simple")), name="<pppoe-bob>")
    assert (queue["target"], queue["max-limit"], queue["dynamic"]) == ("<pppoe-bob>", "10M/10M", True)
    assert one(printed(rtr, "/ip/pool/used"), address="10.10.10.254")["pool"] == "pppoe-pool"

    assert hangup(rtr, user="bob") == {"ended": 1}
    assert printed(rtr, "/ppp/active") == []
    assert not [r for r in printed(rtr, "/interface") if r["name"] == "<pppoe-bob>"]
    assert printed(rtr, "/queue/simple") == []
    assert printed(rtr, "/ip/pool/used") == []
    assert dial(rtr, "bob", "b0b")["address"] == "10.10.10.254"  # the address is free again


def test_local_pppoe_refusals(rtr, api):
    assert dial(rtr, "bob", "b0b")["reason"] == "no enabled PPPoE server"
    pppoe(api)
    assert dial(rtr, "bob", "b0b", service="other")["reason"] == "no enabled PPPoE server with service-name other"
    assert dial(rtr, "bob", "guess-123") == {"accepted": False, "reason": "authentication failed: wrong password",
                                             "user": "bob", "via": "local"}
    assert dial(rtr, "nobody", "x")["reason"] == "authentication failed: no such user"  # use-radius=no
    secret = one(list(menu(api, "/ppp/secret")), name="bob")[".id"]
    menu(api, "/ppp/secret").update(**{".id": secret, "caller-id": "02:00:00:00:00:01"})
    assert dial(rtr, "bob", "b0b", caller_id="02:00:00:00:00:02")["reason"] == (
        "authentication failed: caller-id 02:00:00:00:00:02 is not the secret's")
    menu(api, "/ppp/secret").update(**{".id": secret, "disabled": "yes"})
    assert dial(rtr, "bob", "b0b", caller_id="02:00:00:00:00:01")["reason"] == "authentication failed: no such user"
    assert printed(rtr, "/ppp/active") == []
    assert any("user bob authentication failed" in r["message"] for r in printed(rtr, "/log"))
    assert not any("b0b" in r["message"] or "guess-123" in r["message"] for r in printed(rtr, "/log"))


def test_only_one_refuses_a_second_session(rtr, api):
    pppoe(api)
    assert dial(rtr, "bob", "b0b")["accepted"]
    second = dial(rtr, "bob", "b0b", caller_id="02:00:00:00:00:99")
    assert second["reason"] == "user bob is already connected (profile only-one)"
    profile = one(list(menu(api, "/ppp/profile")), name="pppoe-10M")[".id"]
    menu(api, "/ppp/profile").update(**{".id": profile, "only-one": "no"})
    assert dial(rtr, "bob", "b0b", caller_id="02:00:00:00:00:99")["accepted"]
    assert len(printed(rtr, "/ppp/active", name="bob")) == 2
    assert hangup(rtr, user="bob") == {"ended": 2}


def test_pool_exhaustion_refuses_and_a_hangup_frees_an_address(rtr, api):
    pppoe(api, pool_ranges="10.10.10.2-10.10.10.3", only_one="no")
    first, second = dial(rtr, "bob", "b0b"), dial(rtr, "bob", "b0b")
    assert (first["address"], second["address"]) == ("10.10.10.3", "10.10.10.2")  # from the top down
    third = dial(rtr, "bob", "b0b")
    assert third == {"accepted": False, "user": "bob", "via": "local",
                     "reason": "could not allocate an address from pool pppoe-pool: no free address"}
    assert hangup(rtr, id=first["id"]) == {"ended": 1}
    assert dial(rtr, "bob", "b0b")["address"] == "10.10.10.3"
    # a next-pool takes over when the first pool is full
    add(api, "/ip/pool", name="overflow", ranges="10.10.11.9")
    pool = one(list(menu(api, "/ip/pool")), name="pppoe-pool")[".id"]
    menu(api, "/ip/pool").update(**{".id": pool, "next-pool": "overflow"})
    assert dial(rtr, "bob", "b0b")["address"] == "10.10.11.9"


def test_api_remove_of_an_active_session_frees_it(rtr, api):
    pppoe(api)
    session = dial(rtr, "bob", "b0b")
    menu(api, "/ppp/active").remove(session["id"])
    assert printed(rtr, "/ppp/active") == [] and printed(rtr, "/ip/pool/used") == []
    assert printed(rtr, "/queue/simple") == []


def sentence(client) -> tuple[str, dict[str, str]]:
    """One reply read by librouteros's protocol layer: its first word and its attributes."""
    word, words = client.protocol.readSentence()
    return word, dict(w.lstrip("=").split("=", 1) for w in words)


def test_listen_on_ppp_active_sees_the_session_come_and_go(rtr, api):
    pppoe(api)
    listener = connect(rtr, timeout=10)
    try:
        listener.protocol.writeSentence("/ppp/active/listen", ".tag=L")
        listener.protocol.writeSentence("/system/identity/print", ".tag=S")
        while sentence(listener) != ("!done", {".tag": "S"}):
            pass  # the listen is running once the print after it is answered
        session = dial(rtr, "bob", "b0b")
        word, item = sentence(listener)
        assert (word, item[".tag"], item[".id"], item["name"], item["address"]) == (
            "!re", "L", session["id"], "bob", session["address"])
        hangup(rtr, user="bob")
        word, item = sentence(listener)
        assert (word, item[".id"], item[".dead"]) == ("!re", session["id"], "true")
    finally:
        listener.close()


# ---- PPPoE through RADIUS -----------------------------------------------------------------------------------

def test_radius_accept_with_rate_limit_and_pool(rtr, api, freeradius):
    pppoe(api, radius=freeradius)
    result = dial(rtr, "alice", "wonderland", caller_id="02:00:00:00:0a:11")
    assert (result["accepted"], result["via"], result["profile"], result["rate_limit"], result["address"]) == (
        True, "radius", "pppoe-10M", "2M/10M", "10.20.0.9")
    assert one(printed(rtr, "/ppp/active"), name="alice")["radius"] == "true"
    assert one(printed(rtr, "/queue/simple"), name="<pppoe-alice>")["max-limit"] == "2M/10M"
    assert one(printed(rtr, "/ip/pool/used"), address="10.20.0.9")["pool"] == "radius-pool"
    # a local secret is still asked first: RADIUS is for users the router does not know
    assert dial(rtr, "bob", "b0b")["via"] == "local"
    # a server that allows only PAP gets the password (User-Password); one without PAP and CHAP
    # needs MS-CHAP, which the emulated client does not speak
    server = one(list(menu(api, "/interface/pppoe-server/server")), **{"service-name": "internet"})[".id"]
    menu(api, "/interface/pppoe-server/server").update(**{".id": server, "authentication": "pap"})
    assert dial(rtr, "alice", "wonderland", caller_id="02:00:00:00:0a:12")["via"] == "radius"
    assert freeradius.auth_methods()[-2:] == ["alice CHAP", "alice PAP"]
    menu(api, "/interface/pppoe-server/server").update(**{".id": server, "authentication": "mschap2"})
    assert dial(rtr, "alice", "wonderland")["reason"] == (
        "PPPoE server authentication (mschap2) has neither chap nor pap, the methods the emulated client speaks")


def test_radius_requests_leave_from_a_loopback_src_address(rtr, api, freeradius):
    """Each router of a lab can be its own NAS: src-address 127.0.0.2 is FreeRADIUS's second client."""
    pppoe(api)
    radius_client(api, freeradius.auth_port, freeradius.acct_port, secret=SECRET + "-2", src_address="127.0.0.2")
    command(api, "/ppp/aaa", "set", **{"use-radius": "yes"})
    alice = dial(rtr, "alice", "wonderland")
    assert alice["accepted"]
    assert accounting(freeradius, rtr, Acct_Session_Id=alice["session_id"])[0]["NAS-IP-Address"] == "127.0.0.2"


def test_radius_static_address_profile_address_list_and_session_timeout(rtr, api, freeradius):
    pppoe(api, radius=freeradius)
    result = dial(rtr, "carol", "carol-pw")
    # Framed-IP-Address beats the profile's pool; Mikrotik-Group picks the profile and its rate limit
    assert (result["address"], result["profile"], result["rate_limit"]) == ("10.99.0.7", "gold", "50M/50M")
    assert printed(rtr, "/ip/pool/used") == []
    assert one(printed(rtr, "/ip/firewall/address-list"), list="vip")["address"] == "10.99.0.7"
    # Session-Timeout = 1: the router ends the session itself and says why
    assert wait_for(lambda: not printed(rtr, "/ppp/active"), timeout=5)
    assert printed(rtr, "/ip/firewall/address-list") == []
    stop = accounting(freeradius, rtr, Acct_Session_Id=result["session_id"], Acct_Status_Type="Stop")
    assert stop[0]["Acct-Terminate-Cause"] == "Session-Timeout"


def test_radius_wrong_password_is_rejected(rtr, api, freeradius):
    pppoe(api, radius=freeradius)
    result = dial(rtr, "alice", "not-her-password")
    assert result == {"accepted": False, "reason": "rejected by RADIUS", "user": "alice", "via": "radius"}
    assert dial(rtr, "nobody", "x")["reason"] == "rejected by RADIUS"
    assert printed(rtr, "/ppp/active") == []
    assert freeradius.logged("Login incorrect (chap: Password comparison failed")


def test_radius_server_down_times_out_fast_and_the_next_server_answers(rtr, api, freeradius):
    pppoe(api)
    silent = free_udp_port()  # nothing listens there
    radius_client(api, silent, silent, timeout="50ms")
    command(api, "/ppp/aaa", "set", **{"use-radius": "yes"})
    started = time.monotonic()
    result = dial(rtr, "alice", "wonderland")
    elapsed = time.monotonic() - started
    assert result == {"accepted": False, "reason": "RADIUS server did not answer (timeout)", "user": "alice",
                      "via": "radius"}
    assert 0.15 <= elapsed < 1.5  # 3 transmissions, 50 ms apart (the default 300 ms would take 0.9 s)
    radius_client(api, freeradius.auth_port, freeradius.acct_port)  # a second server, after the silent one
    assert dial(rtr, "alice", "wonderland")["accepted"]


def test_accounting_start_interim_and_stop_reach_freeradius(rtr, api, freeradius):
    pppoe(api, radius=freeradius)
    alice = dial(rtr, "alice", "wonderland", caller_id="02:00:00:00:0a:11")
    start = accounting(freeradius, rtr, 1, Acct_Session_Id=alice["session_id"])
    assert start[0] | {"Timestamp": ""} == start[0] | {
        "Acct-Status-Type": "Start", "User-Name": "alice", "Framed-IP-Address": "10.20.0.9",
        "Acct-Authentic": "RADIUS", "NAS-IP-Address": "127.0.0.1", "NAS-Identifier": rtr.router.identity,
        "Service-Type": "Framed-User", "Framed-Protocol": "PPP", "Calling-Station-Id": "02:00:00:00:0A:11",
        "Called-Station-Id": "internet", "NAS-Port-Type": "Ethernet", "Timestamp": ""}
    assert hangup(rtr, user="alice") == {"ended": 1}
    # hangup returns once the Stop was answered
    stop = [r for r in freeradius.accounting() if r["NAS-Identifier"] == rtr.router.identity
            and r["Acct-Session-Id"] == alice["session_id"] and r["Acct-Status-Type"] == "Stop"]
    assert (stop[0]["Acct-Terminate-Cause"], stop[0]["Acct-Input-Octets"], stop[0]["Framed-IP-Address"]) == (
        "User-Request", "0", "10.20.0.9")
    assert "Acct-Session-Time" in stop[0]
    # Acct-Interim-Interval = 1 from the server: Interim-Updates follow, until the session ends
    dave = dial(rtr, "dave", "dave-pw")
    interim = accounting(freeradius, rtr, Acct_Session_Id=dave["session_id"], Acct_Status_Type="Interim-Update")
    assert interim
    # a client removing the session through the API: Admin-Reset
    menu(api, "/ppp/active").remove(dave["id"])
    stop = accounting(freeradius, rtr, Acct_Session_Id=dave["session_id"], Acct_Status_Type="Stop")
    assert stop[0]["Acct-Terminate-Cause"] == "Admin-Reset"
    # local sessions are not accounted (unverified for RouterOS)
    bob = dial(rtr, "bob", "b0b")
    hangup(rtr, user="bob")
    assert not [r for r in freeradius.accounting()
                if r["NAS-Identifier"] == rtr.router.identity and r["Acct-Session-Id"] == bob["session_id"]]


def test_unsigned_replies_are_dropped_where_routeros_7_requires_message_authenticator(rtr, api, freeradius):
    pppoe(api, radius=freeradius, timeout="100ms")
    result = dial(rtr, "unsigned", "unsigned-pw")
    if rtr.router.dialect == "v6":  # 6.49 checks a Message-Authenticator only when there is one
        assert result["accepted"]
        return
    assert result["reason"] == "RADIUS server did not answer (timeout)"
    server = one(list(menu(api, "/radius")), address="127.0.0.1")[".id"]
    menu(api, "/radius").update(**{".id": server, "require-message-auth": "no"})
    assert dial(rtr, "unsigned", "unsigned-pw")["accepted"]


# ---- /radius incoming: Disconnect-Request and CoA-Request ------------------------------------------------------

def dynamic_request(port: int, code: int, secret: str = SECRET, wait: float = 2, host: str = "127.0.0.1",
                    **attributes) -> packet.Packet | None:
    """Send a Disconnect-Request or CoA-Request with pyrad, as a RADIUS server does; the verified
    reply, or None when the router stays silent."""
    request = packet.CoAPacket(code=code, secret=secret.encode(), dict=dictionary(), message_authenticator=True)
    for name, value in attributes.items():
        request[name.replace("_", "-")] = value
    raw = request.RequestPacket()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(wait)
        sock.sendto(raw, (host, port))
        try:
            data = sock.recv(4096)
        except TimeoutError:
            return None
    reply = request.CreateReply(packet=data)
    assert request.VerifyReply(reply, data, enforce_ma=True)
    return reply


def test_disconnect_request_ends_the_session(rtr, api, freeradius):
    pppoe(api, radius=freeradius)
    port = free_udp_port()
    command(api, "/radius/incoming", "set", accept="yes", port=str(port))
    alice = dial(rtr, "alice", "wonderland")
    assert dynamic_request(port, packet.DisconnectRequest, secret="wrong", wait=0.5, User_Name="alice") is None
    nak = dynamic_request(port, packet.DisconnectRequest, User_Name="nobody")
    assert (nak.code, nak["Error-Cause"]) == (packet.DisconnectNAK, ["Session-Context-Not-Found"])
    ack = dynamic_request(port, packet.DisconnectRequest, User_Name="alice", Acct_Session_Id=alice["session_id"])
    assert ack.code == packet.DisconnectACK
    assert printed(rtr, "/ppp/active") == [] and printed(rtr, "/ip/pool/used") == []
    stop = accounting(freeradius, rtr, Acct_Session_Id=alice["session_id"], Acct_Status_Type="Stop")
    assert stop[0]["Acct-Terminate-Cause"] == "Admin-Reset"
    # accept=no: the router stops listening
    command(api, "/radius/incoming", "set", accept="no")
    dial(rtr, "alice", "wonderland")
    assert wait_for(lambda: dynamic_request(port, packet.DisconnectRequest, wait=0.5, User_Name="alice") is None)
    assert len(printed(rtr, "/ppp/active")) == 1


def test_coa_request_changes_the_rate_limit(rtr, api, freeradius):
    pppoe(api, radius=freeradius)
    port = free_udp_port()
    command(api, "/radius/incoming", "set", accept="yes", port=str(port))
    dial(rtr, "alice", "wonderland")
    ack = dynamic_request(port, packet.CoARequest, User_Name="alice", Mikrotik_Rate_Limit="20M/40M")
    assert ack.code == packet.CoAACK
    assert one(printed(rtr, "/queue/simple"), name="<pppoe-alice>")["max-limit"] == "20M/40M"


def test_radclient_disconnect_as_the_radius_server_role_sends_it(rtr, api, freeradius, tmp_path):
    pppoe(api, radius=freeradius)
    port = free_udp_port()
    command(api, "/radius/incoming", "set", accept="yes", port=str(port))
    dial(rtr, "alice", "wonderland")
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET)
    ran = subprocess.run(["radclient", "-x", "-S", str(secret_file), f"127.0.0.1:{port}", "disconnect"],
                         input="User-Name = alice\nMessage-Authenticator = 0x00\n", capture_output=True,
                         text=True, timeout=30)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Disconnect-ACK" in ran.stdout
    assert printed(rtr, "/ppp/active") == []


def test_incoming_listens_on_the_nas_address_the_server_knows(rtr, api):
    """A router whose RADIUS requests leave from 127.0.0.2 is that NAS to the server, which sends
    Disconnect-Requests there; a change of src-address moves the listener."""
    port = free_udp_port()
    menu(api, "/radius").add(address="127.0.0.1", secret=SECRET, service="ppp", **{"src-address": "127.0.0.2"})
    command(api, "/radius/incoming", "set", accept="yes", port=str(port))
    nak = dynamic_request(port, packet.DisconnectRequest, host="127.0.0.2", User_Name="nobody")
    assert nak.code == packet.DisconnectNAK
    assert dynamic_request(port, packet.DisconnectRequest, wait=0.5, User_Name="nobody") is None
    server = one(list(menu(api, "/radius")))[".id"]
    menu(api, "/radius").update(**{".id": server, "src-address": "127.0.0.3"})
    assert wait_for(lambda: dynamic_request(port, packet.DisconnectRequest, host="127.0.0.3", wait=0.5,
                                            User_Name="nobody") is not None)


def test_incoming_port_in_use_is_logged_not_fatal(rtr, api):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        command(api, "/radius/incoming", "set", accept="yes", port=str(port))
        assert any(f"cannot listen on port {port}" in r["message"] for r in printed(rtr, "/log"))
        assert one(printed(rtr, "/radius/incoming"))["accept"] == "true"


# ---- Hotspot -------------------------------------------------------------------------------------------------

def test_hotspot_local_login_shared_users_and_logout(rtr, api):
    hotspot(api)
    result = hotspot_login(rtr, "walter", "w4lter", mac="02:00:00:00:77:01")
    assert result == {
        "accepted": True, "id": result["id"], "user": "walter", "address": "10.5.50.254", "interface": "hs-bridge",
        "rate_limit": "2M/2M", "via": "local", "profile": "hotspot-2M", "session_id": result["session_id"],
        "mac": "02:00:00:00:77:01", "server": "hotspot1",
    }
    active = one(printed(rtr, "/ip/hotspot/active"), user="walter")
    assert (active["server"], active["address"], active["mac-address"], active["login-by"], active["radius"]) == (
        "hotspot1", "10.5.50.254", "02:00:00:00:77:01", "http-chap", "false")
    queue = one(printed(rtr, "/queue/simple"), name="<hotspot-walter>")
    assert (queue["target"], queue["max-limit"]) == ("10.5.50.254/32", "2M/2M")
    # shared-users=1; the same MAC twice; a wrong password; a client that brings its own address
    assert hotspot_login(rtr, "walter", "w4lter", mac="02:00:00:00:77:02")["reason"] == (
        "no more sessions are allowed for user walter (shared-users 1)")
    assert hotspot_login(rtr, "walter", "w4lter", mac="02:00:00:00:77:01")["reason"] == (
        "02:00:00:00:77:01 is already logged in")
    assert hotspot_login(rtr, "walter", "nope", mac="02:00:00:00:77:03")["reason"] == "invalid username or password"
    assert hotspot_logout(rtr, mac="02:00:00:00:77:01") == {"ended": 1}
    assert printed(rtr, "/ip/hotspot/active") == [] and printed(rtr, "/queue/simple") == []
    own = hotspot_login(rtr, "walter", "w4lter", mac="02:00:00:00:77:02", address="10.5.50.77")
    assert own["address"] == "10.5.50.77"
    assert hotspot_logout(rtr, user="walter") == {"ended": 1}
    # a user bound to a MAC address logs in from that one only
    user = one(list(menu(api, "/ip/hotspot/user")), name="walter")[".id"]
    menu(api, "/ip/hotspot/user").update(**{".id": user, "mac-address": "02:00:00:00:77:09"})
    assert hotspot_login(rtr, "walter", "w4lter", mac="02:00:00:00:77:02")["reason"] == (
        "user walter may log in only from 02:00:00:00:77:09")
    assert hotspot_login(rtr, "walter", "w4lter", mac="02:00:00:00:77:09")["accepted"]


def test_hotspot_radius_login_with_chap_and_pap(rtr, api, freeradius):
    hotspot(api, use_radius="yes")
    radius_client(api, freeradius.auth_port, freeradius.acct_port)
    result = hotspot_login(rtr, "heidi", "heidi-pw", mac="02:00:00:00:44:01")
    assert (result["accepted"], result["via"], result["rate_limit"], result["profile"]) == (
        True, "radius", "1M/5M", "default")
    assert one(printed(rtr, "/ip/hotspot/active"), user="heidi")["radius"] == "true"
    assert freeradius.auth_methods()[-1] == "heidi CHAP"  # login-by http-chap
    start = accounting(freeradius, rtr, 1, Acct_Session_Id=result["session_id"])[0]
    assert (start["Service-Type"], start["Calling-Station-Id"], start["Called-Station-Id"], start["NAS-Port-Type"]) == (
        "Login-User", "02:00:00:00:44:01", "hotspot1", "Wireless-802.11")
    assert hotspot_login(rtr, "heidi", "bad", mac="02:00:00:00:44:02")["reason"] == "rejected by RADIUS"
    assert hotspot_logout(rtr, user="heidi") == {"ended": 1}
    stop = accounting(freeradius, rtr, Acct_Session_Id=result["session_id"], Acct_Status_Type="Stop")
    assert stop[0]["Acct-Terminate-Cause"] == "User-Request"
    # login-by without http-chap: the login page sends the password (PAP)
    profile = one(list(menu(api, "/ip/hotspot/profile")), name="hsprof1")[".id"]
    menu(api, "/ip/hotspot/profile").update(**{".id": profile, "login-by": "http-pap"})
    pap = hotspot_login(rtr, "heidi", "heidi-pw", mac="02:00:00:00:44:03")
    assert pap["accepted"] and freeradius.auth_methods()[-1] == "heidi PAP"
    assert one(printed(rtr, "/ip/hotspot/active"), user="heidi")["login-by"] == "http-pap"


# ---- the control operations (what the end-to-end suite calls) ------------------------------------------------

LAB = {
    "defaults": {"version": "7.16.2", "user": "admin", "password": "pw"},
    "routers": {"RTR-1": {"port": 0}},
}


def test_control_operations_in_process_and_from_the_shell(tmp_path):
    lab = start_lab(LAB, str(tmp_path / "state"))
    try:
        handle = lab.routers["RTR-1"]
        client = librouteros.connect("127.0.0.1", "admin", "pw", port=handle.port)
        pppoe(client)
        add(client, "/ppp/secret", name="num", password="1234", service="pppoe")
        client.close()
        assert lab.control("dial", router="RTR-1", user="bob", password="b0b")["accepted"]
        state = str(tmp_path / "state")
        ran = subprocess.run([sys.executable, "-m", "ros_emulator", "ctl", "--state-dir", state, "dial",
                              "router=RTR-1", "user=num", "password=1234", "caller_id=02:00:00:00:12:34"],
                             capture_output=True, text=True, timeout=60)
        assert ran.returncode == 0, ran.stderr
        assert json.loads(ran.stdout)["accepted"] is True  # 1234 arrived as a number, compared as text
        listed = lab.control("sessions", router="RTR-1")
        assert sorted(s["name"] for s in listed["ppp"]) == ["bob", "num"] and listed["hotspot"] == []
        with ControlClient(state) as channel:
            assert channel.call("hangup", router="RTR-1", user="num") == {"ended": 1}
            for arguments, message in (
                ({"router": "RTR-9", "user": "a", "password": "b"}, "router: no router named 'RTR-9'"),
                ({"router": "RTR-1", "user": "a", "password": "b", "caller_id": "nope"},
                 "dial: caller_id: 'nope' is not a MAC address"),
            ):
                with pytest.raises(ControlError, match=message):
                    channel.call("dial", **arguments)
            with pytest.raises(ControlError, match="hangup: give user= or id= \\(one of them\\)"):
                channel.call("hangup", router="RTR-1")
            with pytest.raises(ControlError, match="hangup: id: 'x' is not a session id"):
                channel.call("hangup", router="RTR-1", id="x")
            with pytest.raises(ControlError, match="hotspot_login: mac: '1' is not a MAC address"):
                channel.call("hotspot_login", router="RTR-1", user="a", password="b", mac=1)
            with pytest.raises(ControlError, match="hotspot_logout: give user= or mac="):
                channel.call("hotspot_logout", router="RTR-1")
        assert sessions_of(handle)["ppp"][0]["name"] == "bob"
    finally:
        lab.stop()
