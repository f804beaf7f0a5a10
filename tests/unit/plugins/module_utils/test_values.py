"""Value kinds: validation and comparison as RouterOS normalises values."""
from __future__ import annotations

import pytest

from ansible_collections.ispkit.routeros.plugins.module_utils._values import (
    KINDS, as_text, canonical, display, format_duration, parse_bool, parse_duration_ms, script_quote,
)


@pytest.mark.parametrize("text, ms", [
    ("5m", 300000), ("00:05:00", 300000), ("1d 02:00:00", 93600000), ("1d2h", 93600000),
    ("300ms", 300), ("30", 30000), ("1w", 604800000), ("1h30m", 5400000), ("0s", 0),
])
def test_durations(text, ms):
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["5 minutes", "m5", "1x", "", "5m5"])
def test_bad_durations(text):
    assert parse_duration_ms(text) is None


def test_equal_durations_compare_equal():
    assert canonical("duration", "5m") == canonical("duration", "00:05:00")


@pytest.mark.parametrize("value, expected", [
    (True, True), ("yes", True), ("true", True), ("no", False), (False, False), ("False", False), ("maybe", None),
])
def test_booleans(value, expected):
    assert parse_bool(value) is expected


def test_bool_written_as_yes_no():
    assert KINDS["bool"].to_api(True) == "yes" and KINDS["bool"].to_api("false") == "no"


@pytest.mark.parametrize("given, printed", [
    ("172.16.5.9/16", "172.16.0.0/16"), ("10.0.0.1/32", "10.0.0.1"), ("10.0.0.1", "10.0.0.1"),
    ("0.0.0.0/0", "0.0.0.0/0"),
])
def test_prefixes_lose_host_bits_and_slash_32(given, printed):
    assert canonical("prefix", given) == canonical("prefix", printed)


def test_address_match_keeps_negation_and_ranges():
    assert canonical("address_match", "!10.0.0.1/32") == "!10.0.0.1"
    assert canonical("address_match", "10.0.0.1-10.0.0.9") == "10.0.0.1-10.0.0.9"


def test_flags_compare_in_any_order():
    assert canonical("flags", ["related", "established"]) == canonical("flags", "established,related")


def test_lists_keep_order():
    assert canonical("list", "a,b") != canonical("list", ["b", "a"])


def test_numbers_or_words():
    assert canonical("number_or_word", "1500") == canonical("number_or_word", 1500)
    assert canonical("number_or_word", "auto") == "auto"


@pytest.mark.parametrize("kind, value", [
    ("interface_address", "10.1.1.1"), ("interface_address", "10.1.1.300/24"), ("ipv4", "10.10.10"),
    ("prefix", "10.0.0.0/33"), ("ranges", ["10.0.0.9-10.0.0.1"]), ("ranges", ["x"]), ("int", "ten"),
    ("bool", "maybe"), ("duration", "soon"), ("address_match", "!300.1.1.1"),
])
def test_invalid_values_are_reported(kind, value):
    assert KINDS[kind].check(value)


@pytest.mark.parametrize("kind, value", [
    ("interface_address", "10.1.1.1/30"), ("ipv4", "10.10.10.1"), ("prefix", "10.0.0.0/8"),
    ("ranges", ["10.0.0.1-10.0.0.9", "10.0.1.0/24", "10.0.2.1"]), ("int", "0x10"), ("duration", "00:05:00"),
    ("address_match", "!10.0.0.0/8"),
])
def test_valid_values_pass(kind, value):
    assert KINDS[kind].check(value) is None


def test_text_of_api_values():
    assert as_text(True) == "yes" and as_text(5) == "5" and as_text(["a", "b"]) == "a,b" and as_text(None) == ""


@pytest.mark.parametrize("text, quoted", [
    ("ether1", "ether1"), ("10.1.1.1/30", "10.1.1.1/30"), ("a b", '"a b"'), ("", '""'),
    ('say "hi"', '"say \\"hi\\""'), ("$x", '"\\$x"'), ("!local", "!local"),
])
def test_script_quoting(text, quoted):
    assert script_quote(text) == quoted


@pytest.mark.parametrize("given, printed", [
    ("00:05:00", "5m"), ("1d 02:00:00", "1d2h"), ("90s", "1m30s"), ("300ms", "300ms"), ("0", "0s"), ("2w", "2w"),
])
def test_durations_print_as_routeros_prints_them(given, printed):
    assert format_duration(given) == printed == format_duration(printed)


@pytest.mark.parametrize("kind, given, router, shown", [
    ("duration", "00:10:00", "10m", "10m"),
    ("duration_or_word", "none", "none", "none"),
    ("prefix", "172.16.5.9/16", "172.16.0.0/16", "172.16.0.0/16"),
    ("prefix", "10.0.0.5", "10.0.0.5/32", "10.0.0.5/32"),
    ("flags", ["http-chap", "cookie"], "cookie,http-chap", ["cookie", "http-chap"]),
    ("ranges", ["10.0.0.0/30", "10.0.1.2-10.0.1.9"], "10.0.0.0-10.0.0.3,10.0.1.2-10.0.1.9",
     ["10.0.0.0-10.0.0.3", "10.0.1.2-10.0.1.9"]),
    ("bool", True, "true", True),
    ("int", "0x10", "16", 16),
    ("switch", True, "yes", "yes"),
    ("switch", "yes", "true", "yes"),
    ("switch", "accounting", "accounting", "accounting"),
])
def test_output_shows_a_given_value_as_the_router_prints_it(kind, given, router, shown):
    """A check run predicts from given values, a real run reads the router's: output must agree."""
    assert display(kind, given) == display(kind, router) == shown


def test_output_of_a_value_the_kind_cannot_parse_is_its_text():
    assert display("duration", "forever") == "forever"
    assert display("ranges", "a-b") == ["a-b"]


def test_switch_compares_booleans_and_words():
    assert canonical("switch", "true") == canonical("switch", True) == canonical("switch", "yes") == "yes"
    assert canonical("switch", "false") == "no" != canonical("switch", "accounting")
    assert KINDS["switch"].to_api(True) == "yes"


def test_a_path_under_flash_is_the_same_directory():
    """A Hotspot profile's html-directory set to `hotspot` prints `flash/hotspot` on flash boards:
    no change to make on the next run."""
    from ansible_collections.ispkit.routeros.plugins.module_utils import _declarations_access as a
    from ansible_collections.ispkit.routeros.plugins.module_utils._sync import Current, plan_bundle
    current = {"hotspot_user_profile": [Current("*0", {"name": "default"}, builtin=True)],
               "hotspot_profile": [Current("*1", {"name": "default"}, builtin=True),
                                   Current("*2", {"name": "hsprof1", "html_directory": "flash/hotspot"})],
               "hotspot_server": []}
    config = {"profiles": [{"name": "hsprof1", "html_directory": "hotspot"}]}
    assert plan_bundle(a.HOTSPOT, "7", config, "merged", None, current).ops == []
    config = {"profiles": [{"name": "hsprof1", "html_directory": "hotspot-custom"}]}
    assert len(plan_bundle(a.HOTSPOT, "7", config, "merged", None, current).ops) == 1
    assert canonical("storage_path", "flash/hotspot") == canonical("storage_path", "hotspot") == "hotspot"
