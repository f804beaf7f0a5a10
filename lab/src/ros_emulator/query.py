"""Print queries (`?name=x`, `?#|!` ...), evaluated on a stack as the API manual describes.

The stack starts as an endless supply of `true`; an item matches when, after every query
word, no `false` is left on the stack.
"""
from __future__ import annotations

from typing import Callable

from . import errors
from .errors import Trap

Item = dict[str, str]
Predicate = Callable[[Item], bool]


def _compare(value: str, other: str) -> int:
    """Numbers compare as numbers, everything else as text."""
    try:
        a, b = int(value), int(other)
    except ValueError:
        a, b = value, other  # type: ignore[assignment]
    return (a > b) - (a < b)


_BOOLEAN_WORDS = {"yes": "true", "true": "true", "no": "false", "false": "false"}


def _equal(value: str | None, wanted: str) -> bool:
    """Equality as RouterOS queries see it: the query value is read as the property's type, so a
    boolean matches `yes`/`no` as well as `true`/`false` (librouteros sends `?=disabled=no`
    for `Key('disabled') == False`, its documented example)."""
    if value == wanted:
        return True
    return value in ("true", "false") and _BOOLEAN_WORDS.get(wanted.lower()) == value


def _word_predicate(word: str) -> Predicate:
    body = word[1:]
    if body.startswith("-"):
        name = body[1:]
        return lambda item: name not in item
    if body.startswith("<") or body.startswith(">"):
        op, rest = body[0], body[1:]
        name, _, value = rest.partition("=")
        sign = -1 if op == "<" else 1
        return lambda item: name in item and _compare(item[name], value) == sign
    if body.startswith("="):
        body = body[1:]
    if "=" in body:
        name, _, value = body.partition("=")
        return lambda item: _equal(item.get(name), value)
    name = body
    return lambda item: name in item


class _Stack:
    """A list whose bottom is an endless run of `true`."""

    def __init__(self) -> None:
        self.items: list[bool] = []

    def pop(self) -> bool:
        return self.items.pop() if self.items else True

    def push(self, value: bool) -> None:
        self.items.append(value)

    def top_index(self, index: int) -> bool:
        position = len(self.items) - 1 - index
        return self.items[position] if position >= 0 else True


def _run_ops(ops: str, stack: _Stack) -> None:
    i = 0
    while i < len(ops):
        ch = ops[i]
        if ch.isdigit():
            j = i
            while j < len(ops) and ops[j].isdigit():
                j += 1
            value = stack.top_index(int(ops[i:j]))
            if j == len(ops):
                stack.items = [value]  # an index at the end replaces the stack with that entry
            else:
                stack.push(value)
                if ops[j] == ".":
                    j += 1  # `.` after an index does nothing (it only ends the index)
            i = j
            continue
        if ch == "!":
            stack.push(not stack.pop())
        elif ch == "&":
            b, a = stack.pop(), stack.pop()
            stack.push(a and b)
        elif ch == "|":
            b, a = stack.pop(), stack.pop()
            stack.push(a or b)
        elif ch == ".":
            value = stack.pop()
            stack.push(value)
            stack.push(value)
        else:
            raise Trap("unknown query operation", errors.API)
        i += 1


def compile_query(words: list[str]) -> Predicate:
    steps: list[tuple[str, object]] = []
    for word in words:
        if word.startswith("?#"):
            steps.append(("ops", word[2:]))
        else:
            steps.append(("push", _word_predicate(word)))

    def match(item: Item) -> bool:
        stack = _Stack()
        for kind, arg in steps:
            if kind == "push":
                stack.push(arg(item))  # type: ignore[operator]
            else:
                _run_ops(arg, stack)  # type: ignore[arg-type]
        return all(stack.items)

    return match
