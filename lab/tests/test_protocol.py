"""Raw-socket tests of the API protocol: what librouteros cannot show (tags, several commands in
flight, /cancel, listen, !empty, !fatal, word lengths, both login methods on the wire)."""
from __future__ import annotations

import asyncio
import hashlib
import re
import socket

import librouteros.protocol as lib_protocol
import pytest

from ros_emulator import start_router
from ros_emulator.protocol import (
    ProtocolError, decode_length, encode_length, encode_sentence, extra_length_bytes, read_sentence, read_word,
)

from conftest import PASSWORD, VERSIONS


class RawClient:
    """A minimal API client on a plain socket: sentences in, sentences out, nothing hidden."""

    def __init__(self, port: int, timeout: float = 5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.prefixes: list[bytes] = []  # length prefix of every word read, in order

    def close(self) -> None:
        self.sock.close()

    def send(self, *words: str) -> None:
        self.sock.sendall(encode_sentence(list(words)))

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _read(self, count: int) -> bytes:
        data = bytearray()
        while len(data) < count:
            chunk = self.sock.recv(min(count - len(data), 1 << 20))
            if not chunk:
                raise EOFError(f"connection closed after {len(data)} of {count} bytes")
            data += chunk
        return bytes(data)

    def read_word(self) -> str:
        first = self._read(1)
        extra = extra_length_bytes(first[0])
        prefix = first + (self._read(extra) if extra else b"")
        self.prefixes.append(prefix)
        length = decode_length(prefix)
        return self._read(length).decode("latin-1") if length else ""

    def read(self) -> list[str]:
        """One reply sentence (list of words, reply word first)."""
        words = []
        while (word := self.read_word()) != "":
            words.append(word)
        return words

    def read_until_done(self, tag: str | None = None) -> list[list[str]]:
        """Sentences up to and including the `!done` (of `tag`, when given)."""
        out = []
        while True:
            sentence = self.read()
            out.append(sentence)
            if sentence[0] == "!done" and (tag is None or tag_of(sentence) == tag):
                return out

    def call(self, *words: str) -> list[list[str]]:
        self.send(*words)
        return self.read_until_done()

    def listen(self, command: str, tag: str) -> None:
        """Start a listen and wait until the router has taken it (a print on the same connection
        is answered after it), so that changes made from elsewhere right after are seen."""
        self.send(command, f".tag={tag}")
        assert self.call("/system/identity/print", ".tag=sync")[-1] == ["!done", ".tag=sync"]

    def login(self, user: str = "admin", password: str = PASSWORD) -> None:
        assert self.call("/login", f"=name={user}", f"=password={password}") == [["!done"]]

    def is_closed(self) -> bool:
        """True when the server has closed the connection (EOF, after any unread data)."""
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False


def attrs(sentence: list[str]) -> dict[str, str]:
    out = {}
    for word in sentence[1:]:
        if word.startswith("="):
            key, _, value = word[1:].partition("=")
            out[key] = value
    return out


def tag_of(sentence: list[str]) -> str | None:
    return next((w[5:] for w in sentence if w.startswith(".tag=")), None)


@pytest.fixture
def raw(router):
    client = RawClient(router.port)
    client.login()
    yield client
    client.close()


def _start(**kwargs):
    kwargs.setdefault("password", PASSWORD)
    return start_router(**kwargs)


# ---- word lengths ----------------------------------------------------------------------------

BOUNDARIES = [
    (0, b"\x00"),
    (0x7F, b"\x7f"),
    (0x80, b"\x80\x80"),
    (0x3FFF, b"\xbf\xff"),
    (0x4000, b"\xc0\x40\x00"),
    (0x1FFFFF, b"\xdf\xff\xff"),
    (0x200000, b"\xe0\x20\x00\x00"),
    (0xFFFFFFF, b"\xef\xff\xff\xff"),
    (0x10000000, b"\xf0\x10\x00\x00\x00"),
    (0xFFFFFFFF, b"\xf0\xff\xff\xff\xff"),
]


@pytest.mark.parametrize("length,prefix", BOUNDARIES)
def test_length_prefix_in_all_five_ranges(length, prefix):
    assert encode_length(length) == prefix
    assert extra_length_bytes(prefix[0]) == len(prefix) - 1
    assert decode_length(prefix) == length
    if length < 0x10000000:  # librouteros, an independent implementation, agrees (it stops at 4 bytes)
        assert lib_protocol.encode_length(length) == prefix
        assert lib_protocol.decode_length(prefix) == length


@pytest.mark.parametrize("first", [0xF8, 0xF9, 0xFC, 0xFF])
def test_reserved_control_bytes_are_refused_by_the_decoder(first):
    with pytest.raises(ProtocolError):
        extra_length_bytes(first)


def test_read_word_takes_a_five_byte_prefix_and_a_zero_inside_a_prefix():
    async def scenario():
        reader = asyncio.StreamReader()
        # a 5-byte prefix (0xF0 + 4 bytes) for a 3-byte word, then 0x80 0x00-style prefix whose
        # second byte is 0x00 (length 0x80): the 0x00 is part of the length, not an end of sentence
        reader.feed_data(b"\xf0\x00\x00\x00\x03abc" + b"\x80\x80" + b"x" * 0x80 + b"\x00")
        reader.feed_eof()
        return [await read_word(reader), await read_word(reader), await read_word(reader)]

    first, second, end = asyncio.run(scenario())
    assert first == "abc" and second == "x" * 0x80 and end == ""

    async def sentence():
        reader = asyncio.StreamReader()
        reader.feed_data(b"\x00\x00" + encode_sentence(["/ip/address/print", "?comment=\x00"]))
        reader.feed_eof()
        return await read_sentence(reader)

    # empty sentences (keepalives) are skipped, and a 0x00 inside a word is data
    assert asyncio.run(sentence()) == ["/ip/address/print", "?comment=\x00"]


COMMENT_WORD = "=comment="


@pytest.mark.parametrize("length", [0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000])
def test_words_at_every_length_boundary_travel_both_ways(router, raw, length):
    """A `=comment=...` word exactly `length` bytes long is accepted and printed back with the
    same length and the prefix size RouterOS uses for it."""
    value = "c" * (length - len(COMMENT_WORD))
    done = raw.call("/interface/bridge/add", "=name=big", COMMENT_WORD + value)
    assert done[-1][0] == "!done" and attrs(done[-1])["ret"].startswith("*")
    raw.prefixes.clear()
    rows = raw.call("/interface/bridge/print", "?name=big", "=.proplist=comment")
    assert [r[0] for r in rows] == ["!re", "!done"]
    assert attrs(rows[0])["comment"] == value
    comment_prefix = raw.prefixes[1]  # word 0 is `!re`, word 1 the comment
    assert decode_length(comment_prefix) == length
    assert comment_prefix == encode_length(length)
    assert router.print("/interface/bridge", name="big")[0]["comment"] == value


@pytest.mark.parametrize("first", [0xF8, 0xFF])
def test_a_reserved_first_byte_gets_fatal_and_the_connection_closes(router, raw, first):
    raw.send_bytes(bytes((first,)) + b"\x00" * 8)
    sentence = raw.read()
    assert sentence[0] == "!fatal" and len(sentence) == 2
    assert raw.is_closed()


def test_a_reserved_first_byte_before_login_is_fatal_too(router):
    client = RawClient(router.port)
    try:
        client.send_bytes(b"\xf8")
        assert client.read()[0] == "!fatal"
        assert client.is_closed()
    finally:
        client.close()


# ---- tags --------------------------------------------------------------------------------------

def test_every_reply_of_a_tagged_command_carries_its_tag(router, raw):
    rows = raw.call("/interface/ethernet/print", ".tag=t1")
    assert [r[0] for r in rows] == ["!re"] * 8 + ["!done"]
    assert all(tag_of(r) == "t1" for r in rows)
    done = raw.call("/interface/bridge/add", "=name=br-t", ".tag=abc")
    assert done == [["!done", "=ret=" + attrs(done[0])["ret"], ".tag=abc"]]
    traps = raw.call("/interface/bridge/add", "=name=br-t", ".tag=77")  # duplicate name
    assert [r[0] for r in traps] == ["!trap", "!done"]
    assert all(tag_of(r) == "77" for r in traps)
    assert attrs(traps[0]) == {"category": "4", "message": "failure: already have interface with such name"}
    unknown = raw.call("/nothing/here/print", ".tag=9")
    assert [r[0] for r in unknown] == ["!trap", "!trap", "!done"] and all(tag_of(r) == "9" for r in unknown)


def test_an_empty_tag_is_no_tag(router, raw):
    rows = raw.call("/system/identity/print", ".tag=")
    assert [r[0] for r in rows] == ["!re", "!done"]
    assert all(tag_of(r) is None for r in rows)


def test_untagged_commands_get_untagged_replies(router, raw):
    rows = raw.call("/system/identity/print")
    assert rows == [["!re", f"=name={router.print('/system/identity')[0]['name']}"], ["!done"]]


def test_several_tagged_commands_in_flight_on_one_connection(router, raw):
    raw.send("/interface/bridge/listen", ".tag=L1")
    raw.send("/ip/address/listen", ".tag=L2")
    # a print in between: its replies carry its tag and nothing is streamed yet
    rows = raw.call("/system/identity/print", ".tag=P")
    assert [(r[0], tag_of(r)) for r in rows] == [("!re", "P"), ("!done", "P")]
    # an add on each menu: the add's !done comes first, then the listen's !re with the listen's tag
    raw.send("/interface/bridge/add", "=name=br1", ".tag=A1")
    first, second = raw.read(), raw.read()
    assert (first[0], tag_of(first)) == ("!done", "A1")
    assert (second[0], tag_of(second)) == ("!re", "L1") and attrs(second)["name"] == "br1"
    raw.send("/ip/address/add", "=address=10.9.0.1/24", "=interface=br1", ".tag=A2")
    first, second = raw.read(), raw.read()
    assert (first[0], tag_of(first)) == ("!done", "A2")
    assert (second[0], tag_of(second)) == ("!re", "L2") and attrs(second)["address"] == "10.9.0.1/24"
    # a set between them goes to the bridge listener only
    bridge_id = router.print("/interface/bridge", name="br1")[0][".id"]
    raw.send("/interface/bridge/set", f"=.id={bridge_id}", "=comment=hello", ".tag=S")
    first, second = raw.read(), raw.read()
    assert (first[0], tag_of(first)) == ("!done", "S")
    assert (second[0], tag_of(second)) == ("!re", "L1") and attrs(second)["comment"] == "hello"
    # both listens are still running: cancel them all
    raw.send("/cancel", ".tag=C")
    replies = raw.read_until_done("C")
    replies += [raw.read(), raw.read()]
    traps = sorted(tag_of(r) for r in replies if r[0] == "!trap")
    dones = sorted(tag_of(r) for r in replies if r[0] == "!done")
    assert traps == ["L1", "L2"] and dones == ["C", "L1", "L2"]


# ---- cancel and listen ---------------------------------------------------------------------------

def test_cancel_with_a_tag_stops_only_that_listen(router, raw):
    raw.send("/interface/bridge/listen", ".tag=X")
    raw.send("/interface/bridge/listen", ".tag=Y")
    raw.send("/cancel", "=tag=X", ".tag=C")
    replies = [raw.read(), raw.read(), raw.read()]
    # the manual's order: the stopped command's !trap, /cancel's !done, the stopped command's !done
    assert replies == [
        ["!trap", "=category=2", "=message=interrupted", ".tag=X"],
        ["!done", ".tag=C"],
        ["!done", ".tag=X"],
    ]
    # Y still streams; X does not
    router_add = raw.call("/interface/bridge/add", "=name=after-cancel")
    assert router_add[-1][0] == "!done"
    streamed = raw.read()
    assert streamed[0] == "!re" and tag_of(streamed) == "Y" and attrs(streamed)["name"] == "after-cancel"
    rows = raw.call("/system/identity/print", ".tag=Q")  # nothing from X arrives in between
    assert [tag_of(r) for r in rows] == ["Q", "Q"]


def test_cancel_without_a_tag_stops_every_running_command(router, raw):
    raw.send("/interface/bridge/listen", ".tag=X")
    raw.send("/ip/address/listen", ".tag=Y")
    raw.send("/cancel")
    replies = [raw.read() for _ in range(5)]
    assert sorted(tag_of(r) for r in replies if r[0] == "!trap") == ["X", "Y"]
    assert all(attrs(r) == {"category": "2", "message": "interrupted"} for r in replies if r[0] == "!trap")
    assert sorted(str(tag_of(r)) for r in replies if r[0] == "!done") == ["None", "X", "Y"]
    raw.call("/interface/bridge/add", "=name=quiet")
    rows = raw.call("/system/identity/print", ".tag=Q")
    assert [r[0] for r in rows] == ["!re", "!done"]  # no listen output any more


def test_cancel_with_nothing_running_answers_done(router, raw):
    assert raw.call("/cancel", ".tag=7") == [["!done", ".tag=7"]]


def test_listen_streams_add_set_and_remove(router, raw):
    raw.send("/interface/bridge/listen", ".tag=L")
    done = raw.call("/interface/bridge/add", "=name=br-l")
    new_id = attrs(done[0])["ret"]
    added = raw.read()
    assert added[0] == "!re" and tag_of(added) == "L"
    item = attrs(added)
    assert item[".id"] == new_id and item["name"] == "br-l"
    assert item["protocol-mode"] == "rstp" and item["disabled"] == "false"  # the full item
    raw.call("/interface/bridge/set", f"=.id={new_id}", "=comment=changed")
    changed = attrs(raw.read())
    assert changed[".id"] == new_id and changed["comment"] == "changed" and changed["name"] == "br-l"
    assert changed.keys() == item.keys() | {"comment"}  # a set streams the whole item, not a diff
    raw.call("/interface/bridge/remove", f"=.id={new_id}")
    dead = raw.read()
    # the manual's example shows `=.dead=yes` (from the days booleans printed yes/no); a 7.23 router
    # was seen sending `=.dead=true`, as every other boolean prints today
    assert dead == ["!re", f"=.id={new_id}", "=.dead=true", ".tag=L"]


def test_listen_streams_changes_made_through_the_python_api(router, raw):
    raw.listen("/ip/address/listen", "R")
    entry_id = router.add_runtime("/ip/address", address="10.77.0.1/24", interface="ether1")
    added = raw.read()
    assert tag_of(added) == "R"
    assert attrs(added)[".id"] == entry_id and attrs(added)["address"] == "10.77.0.1/24"
    assert attrs(added)["dynamic"] == "true"
    router.update_runtime("/ip/address", entry_id, comment="seen")
    assert attrs(raw.read())["comment"] == "seen"
    router.remove_runtime("/ip/address", entry_id)
    assert raw.read() == ["!re", f"=.id={entry_id}", "=.dead=true", ".tag=R"]


def test_listen_sees_changes_made_by_another_connection(router, raw):
    raw.listen("/interface/bridge/listen", "L")
    other = RawClient(router.port)
    try:
        other.login()
        other.call("/interface/bridge/add", "=name=from-other")
    finally:
        other.close()
    streamed = raw.read()
    assert tag_of(streamed) == "L" and attrs(streamed)["name"] == "from-other"


def test_interface_listen_streams_changes_of_every_interface_kind(router, raw):
    """The API manual's own example: `/interface/listen`, then set disabled on ether1."""
    raw.send("/interface/listen", ".tag=2")
    assert raw.call("/interface/set", "=disabled=yes", "=.id=ether1", ".tag=3") == [["!done", ".tag=3"]]
    streamed = raw.read()
    item = attrs(streamed)
    assert tag_of(streamed) == "2"
    assert item["name"] == "ether1" and item["type"] == "ether" and item["disabled"] == "true"
    raw.call("/interface/bridge/add", "=name=br-view")
    item = attrs(raw.read())
    assert item["name"] == "br-view" and item["type"] == "bridge"


def test_listen_on_an_unknown_path_is_refused(router, raw):
    rows = raw.call("/no/such/listen", ".tag=1")
    assert [r[0] for r in rows] == ["!trap", "!trap", "!done"]
    assert attrs(rows[0])["message"] == "no such command or directory (no)"


# ---- !empty (7.18+) ---------------------------------------------------------------------------------

def test_empty_print_answers_empty_then_done_on_7_18():
    handle = _start(version="7.18.1")
    client = RawClient(handle.port)
    try:
        client.login()
        assert client.call("/interface/bridge/print") == [["!empty"], ["!done"]]
        assert client.call("/interface/bridge/print", ".tag=5") == [["!empty", ".tag=5"], ["!done", ".tag=5"]]
        assert client.call("/interface/ethernet/print", "?name=nope") == [["!empty"], ["!done"]]
        # count-only has data (ret), a print with rows has !re, a set has no data but is no query
        assert client.call("/interface/bridge/print", "=count-only=") == [["!done", "=ret=0"]]
        assert [r[0] for r in client.call("/interface/ethernet/print", "?name=ether1")] == ["!re", "!done"]
        assert client.call("/system/identity/set", "=name=R") == [["!done"]]
    finally:
        client.close()
        handle.stop()


@pytest.mark.parametrize("version", ["7.16.2", "6.49.13"])
def test_no_empty_before_7_18(version):
    handle = _start(version=version)
    client = RawClient(handle.port)
    try:
        client.login()
        assert client.call("/interface/bridge/print") == [["!done"]]
        assert client.call("/interface/bridge/print", ".tag=5") == [["!done", ".tag=5"]]
    finally:
        client.close()
        handle.stop()


# ---- !fatal -----------------------------------------------------------------------------------------

def test_quit_is_fatal_and_closes(router, raw):
    raw.send("/quit")
    assert raw.read() == ["!fatal", "session terminated on request"]
    assert raw.is_closed()


def test_a_command_before_login_is_fatal_and_closes(router):
    client = RawClient(router.port)
    try:
        client.send("/ip/address/print")
        assert client.read() == ["!fatal", "not logged in"]
        assert client.is_closed()
    finally:
        client.close()


def test_drop_connections_sends_fatal_to_every_client(router):
    clients = [RawClient(router.port) for _ in range(3)]
    try:
        for client in clients[:2]:
            client.login()
        clients[0].send("/interface/bridge/listen", ".tag=L")
        clients[1].call("/system/identity/print")  # make sure every session is established
        clients[2].send("/login")
        assert clients[2].read()[0] == "!done"
        router.drop_connections()
        for client in clients:
            sentence = client.read()
            assert sentence[0] == "!fatal" and len(sentence) == 2
            assert client.is_closed()
        fresh = RawClient(router.port)  # the service itself keeps running
        fresh.login()
        fresh.close()
    finally:
        for client in clients:
            client.close()


# ---- login -------------------------------------------------------------------------------------------

def _response(password: str, challenge_hex: str) -> str:
    return "00" + hashlib.md5(b"\x00" + password.encode() + bytes.fromhex(challenge_hex)).hexdigest()


@pytest.mark.parametrize("version,message", [
    ("7.16.2", "invalid user name or password (6)"),
    ("6.49.13", "invalid user name or password (6)"),
    ("6.42.12", "cannot log in"),
])
def test_a_failed_login_is_a_trap_and_the_connection_stays_usable(version, message):
    handle = _start(version=version)
    client = RawClient(handle.port)
    try:
        if version.startswith("6.42"):
            challenge = attrs(client.call("/login")[0])["ret"]
            rows = client.call("/login", "=name=admin", "=response=" + _response("wrong", challenge))
        else:
            rows = client.call("/login", "=name=admin", "=password=wrong", ".tag=1")
        assert rows[0][0] == "!trap" and attrs(rows[0]) == {"message": message}
        assert rows[-1][0] == "!done" and len(rows) == 2
        logs = handle.print("/log")
        assert any("login failure for user admin" in e["message"] for e in logs)
        # the session is still there, still not logged in, and takes another attempt
        if version.startswith("6.42"):
            challenge = attrs(client.call("/login")[0])["ret"]
            assert client.call("/login", "=name=admin", "=response=" + _response(PASSWORD, challenge)) == [["!done"]]
        else:
            client.login()
        assert [r[0] for r in client.call("/system/identity/print")] == ["!re", "!done"]
    finally:
        client.close()
        handle.stop()


def test_unknown_user_is_refused_like_a_wrong_password(router):
    client = RawClient(router.port)
    try:
        rows = client.call("/login", "=name=nobody", f"=password={PASSWORD}")
        assert attrs(rows[0]) == {"message": "invalid user name or password (6)"}
        client.send("/system/identity/print")
        assert client.read() == ["!fatal", "not logged in"]
    finally:
        client.close()


def test_challenge_login_on_a_pre_6_43_router():
    handle = _start(version="6.42.12")
    client = RawClient(handle.port)
    try:
        first = client.call("/login")
        assert len(first) == 1 and first[0][0] == "!done"
        challenge = attrs(first[0])["ret"]
        assert re.fullmatch(r"[0-9a-f]{32}", challenge)
        assert client.call("/login", "=name=admin", "=response=" + _response(PASSWORD, challenge)) == [["!done"]]
        assert [r[0] for r in client.call("/system/identity/print")] == ["!re", "!done"]
    finally:
        client.close()
        handle.stop()


def test_a_challenge_router_answers_a_password_login_with_a_challenge():
    handle = _start(version="6.49.13", login_method="challenge")
    client = RawClient(handle.port)
    try:
        rows = client.call("/login", "=name=admin", f"=password={PASSWORD}")
        assert len(rows) == 1 and rows[0][0] == "!done"
        challenge = attrs(rows[0])["ret"]
        assert re.fullmatch(r"[0-9a-f]{32}", challenge)
        # the password was not taken: still not logged in until the response comes
        response = _response(PASSWORD, challenge)
        assert client.call("/login", "=name=admin", "=response=" + response) == [["!done"]]
        assert [r[0] for r in client.call("/system/identity/print")] == ["!re", "!done"]
    finally:
        client.close()
        handle.stop()


def test_a_challenge_answers_one_login_only():
    handle = _start(version="6.42.12")
    client = RawClient(handle.port)
    other = RawClient(handle.port)
    try:
        challenge = attrs(client.call("/login")[0])["ret"]
        response = _response(PASSWORD, challenge)
        # the same response replayed on another connection (another challenge) is refused
        other.call("/login")
        assert other.call("/login", "=name=admin", "=response=" + response)[0][0] == "!trap"
        assert client.call("/login", "=name=admin", "=response=" + response) == [["!done"]]
    finally:
        client.close()
        other.close()
        handle.stop()


@pytest.mark.parametrize("dialect", sorted(VERSIONS))
def test_routers_from_6_45_refuse_the_challenge_response(dialect):
    """6.45 and later keep only hashed passwords: `/login` still hands out a challenge, but the
    MD5 response is refused (client projects saw this on 6.48 and 6.49), plain login works."""
    handle = _start(version=VERSIONS[dialect])
    client = RawClient(handle.port)
    try:
        challenge = attrs(client.call("/login")[0])["ret"]
        rows = client.call("/login", "=name=admin", "=response=" + _response(PASSWORD, challenge))
        assert attrs(rows[0]) == {"message": "invalid user name or password (6)"}
        client.login()
    finally:
        client.close()
        handle.stop()


def test_a_6_43_router_takes_both_methods():
    handle = _start(version="6.44.6")
    try:
        for use_challenge in (False, True):
            client = RawClient(handle.port)
            if use_challenge:
                challenge = attrs(client.call("/login")[0])["ret"]
                assert client.call("/login", "=name=admin", "=response=" + _response(PASSWORD, challenge)) == [["!done"]]
            else:
                client.login()
            assert [r[0] for r in client.call("/system/identity/print")] == ["!re", "!done"]
            client.close()
    finally:
        handle.stop()
