"""Unit tests of the print query stack (ros_emulator.query), rule by rule as the API manual
states them: the stack starts as endless `true`, an item matches when no `false` is left."""
from __future__ import annotations

import pytest

from ros_emulator.errors import Trap
from ros_emulator.query import compile_query

ITEMS = [
    {".id": "*1", "name": "a", "mtu": "1500", "comment": "office", "disabled": "false"},
    {".id": "*2", "name": "b", "mtu": "9000", "disabled": "true"},
    {".id": "*3", "name": "c", "mtu": "576", "comment": "", "disabled": "false"},
    {".id": "*A", "name": "d", "mtu": "100", "comment": "lab", "disabled": "false"},
]


def run(*words: str) -> list[str]:
    match = compile_query(list(words))
    return [item["name"] for item in ITEMS if match(item)]


def test_no_query_matches_everything():
    assert run() == ["a", "b", "c", "d"]


def test_has_and_lacks_a_property():
    assert run("?comment") == ["a", "c", "d"]  # an empty value is still a value
    assert run("?-comment") == ["b"]
    assert run("?nothing") == []
    assert run("?-nothing") == ["a", "b", "c", "d"]


def test_equality_both_spellings():
    assert run("?name=b") == ["b"]
    assert run("?=name=b") == ["b"]
    assert run("?comment=") == ["c"]  # equal to the empty value: a missing property is not equal
    assert run("?=comment=office") == ["a"]
    assert run("?name=B") == []  # case matters


def test_a_value_may_hold_equals_signs():
    items = [{"name": "x", "script": "a=b=c"}]
    assert [i["name"] for i in items if compile_query(["?script=a=b=c"])(i)] == ["x"]
    assert [i["name"] for i in items if compile_query(["?=script=a=b=c"])(i)] == ["x"]


def test_boolean_properties_match_yes_no_and_true_false():
    assert run("?disabled=true") == ["b"]
    assert run("?disabled=yes") == ["b"]
    assert run("?=disabled=no") == ["a", "c", "d"]
    assert run("?disabled=false") == ["a", "c", "d"]
    assert run("?name=yes") == []  # only boolean values are read that way


def test_less_and_greater_compare_numbers_as_numbers():
    assert run("?>mtu=1000") == ["a", "b"]  # 576 < 1000 although "576" > "1000" as text
    assert run("?<mtu=1500") == ["c", "d"]
    assert run("?<mtu=10000") == ["a", "b", "c", "d"]  # as text "9000" would be greater than "10000"
    assert run("?>nothing=0") == []  # a missing property is neither less nor greater


def test_less_and_greater_compare_text_as_text():
    assert run("?>comment=") == ["a", "d"]  # the manual's example: a non-empty comment
    assert run("?<name=c") == ["a", "b"]


def test_several_pushes_must_all_hold():
    assert run("?disabled=false", "?comment") == ["a", "c", "d"]
    assert run("?disabled=false", "?>mtu=1000") == ["a"]


def test_not_replaces_the_top():
    assert run("?name=a", "?#!") == ["b", "c", "d"]
    assert run("?#!") == []  # on the endless `true`: pushes a false


def test_and_and_or_pop_two_and_push_one():
    assert run("?name=a", "?name=b", "?#|") == ["a", "b"]
    assert run("?name=a", "?name=b", "?#&") == []
    assert run("?name=a", "?name=b", "?name=c", "?#||") == ["a", "b", "c"]
    assert run("?disabled=false", "?comment", "?#&") == ["a", "c", "d"]
    assert run("?#&") == run("?#|") == ["a", "b", "c", "d"]  # true & true from the endless bottom


def test_operations_in_separate_words_or_one_word():
    assert run("?name=a", "?name=b", "?name=c", "?#|", "?#|") == run("?name=a", "?name=b", "?name=c", "?#||")


def test_an_index_followed_by_a_character_pushes_a_copy():
    # stack (bottom..top): name=a, mtu>1000 ; `1` copies name=a to the top, `|` ors it with the
    # copy's neighbour (mtu>1000): [a, a|mtu>1000] -> a must hold and (a or mtu>1000)
    assert run("?name=a", "?>mtu=1000", "?#1|") == ["a"]
    # `0` copies the top: `0&` leaves [x, x&x]
    assert run("?name=b", "?#0&") == ["b"]


def test_an_index_at_the_end_replaces_the_stack_with_that_entry():
    # [name=a, mtu>1000] -> `?#1` keeps only name=a: the false mtu test of nobody matters any more
    assert run("?name=a", "?>mtu=10000", "?#1") == ["a"]
    assert run("?name=a", "?>mtu=1000", "?#0") == ["a", "b"]  # only mtu>1000 is left
    # an index beyond the stack is the endless `true`
    assert run("?name=zzz", "?#5") == ["a", "b", "c", "d"]


def test_a_dot_after_an_index_does_nothing():
    # `1.` pushes a copy of index 1 and the dot only ends the index: `1.|` == `1|`
    assert run("?name=a", "?>mtu=1000", "?#1.|") == run("?name=a", "?>mtu=1000", "?#1|") == ["a"]
    # `0.1` pushes the top, then index 1 (now the old top again): three copies, all the same
    assert run("?name=b", "?#0.1") == ["b"]


def test_a_dot_after_another_character_duplicates_the_top():
    # [name=d] -> ! -> [not d] -> . -> [not d, not d] -> & -> [not d]
    assert run("?name=d", "?#!.&") == ["a", "b", "c"]
    # [a, b] | -> [a|b] . -> [a|b, a|b] ! -> [a|b, not(a|b)] & -> [false]; without the copy the
    # `&` would take the endless `true` and leave [not(a|b)], matching c and d
    assert run("?name=a", "?name=b", "?#|.!&") == []
    assert run("?name=a", "?name=b", "?#|.!|") == ["a", "b", "c", "d"]


def test_multi_digit_indexes():
    words = [f"?name={n}" for n in "abcdefghijk"]  # 11 pushes, index 10 is the first (name=a)
    assert run(*words, "?#10") == ["a"]


def test_order_of_words_matters():
    assert run("?name=a", "?#!", "?name=b", "?#&") == ["b"]
    assert run("?name=b", "?#&", "?name=a", "?#!") == ["b"]
    assert run("?name=a", "?name=b", "?#!|") == ["a", "c", "d"]  # a | not b


def test_unknown_operation_is_refused():
    with pytest.raises(Trap):
        run("?#~")


def test_librouteros_compiled_queries():
    """What librouteros sends for `!=`, `In`, `And`, `Or`."""
    # Key('name') != 'a'
    assert run("?=name=a", "?#!") == ["b", "c", "d"]
    # Key('name').In('a', 'c', 'x')
    assert run("?=name=a", "?=name=c", "?=name=x", "?#|", "?#|") == ["a", "c"]
    # And(Or(name == a, name == b), disabled == False)
    assert run("?=name=a", "?=name=b", "?#|", "?=disabled=no", "?#&") == ["a"]
