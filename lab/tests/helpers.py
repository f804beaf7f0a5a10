"""Helpers the test files share: the refusal check, row finders and small shortcuts.

Fixtures (routers, clients) live in conftest.py; these are plain functions."""
from __future__ import annotations

import librouteros
import pytest
from librouteros.exceptions import MultiTrapError, TrapError

from conftest import connect

UNKNOWN_COMMAND = "no such command or directory ("


def refused(handle, paths, call, message: str, *, category: int | None = None, prefix: bool = False,
            journaled: bool = True) -> TrapError:
    """`call()` is refused with `message` and changes nothing.

    - it raises TrapError, or MultiTrapError whose first trap carries the message; a MultiTrapError
      exactly when RouterOS sends one, for an unknown command or directory;
    - the message is `message` exactly (with `prefix`, it starts with `message`), and its category
      is `category` when one is given;
    - every menu of `paths` (one path or several) prints as it did before;
    - the journal holds exactly the refused command, with the trap's message as its result (all
      the traps' messages, joined by "; ", for a MultiTrapError); with `journaled=False`, for a
      command that is not a write, it holds nothing.

    Returns the (first) trap."""
    paths = (paths,) if isinstance(paths, str) else tuple(paths)
    before = {path: handle.print(path) for path in paths}
    mark = handle.mark()
    with pytest.raises((TrapError, MultiTrapError)) as info:
        call()
    error = info.value
    trap = error.traps[0] if isinstance(error, MultiTrapError) else error
    if prefix:
        assert trap.message.startswith(message), trap.message
    else:
        assert trap.message == message
    assert isinstance(error, MultiTrapError) == trap.message.startswith(UNKNOWN_COMMAND), repr(error)
    if category is not None:
        assert trap.category == category
    assert {path: handle.print(path) for path in paths} == before
    # the journal keeps a multi-trap refusal as its messages joined by "; "
    journaled_as = "; ".join(t.message for t in error.traps) if isinstance(error, MultiTrapError) else trap.message
    results = [record.result for record in handle.writes_since(mark)]
    assert results == ([journaled_as] if journaled else [])
    return trap


def one(rows, **query):
    """The only row of `rows` (a list or a librouteros path) whose fields equal `query`."""
    found = [row for row in rows if all(row.get(key) == value for key, value in query.items())]
    assert len(found) == 1, found
    return found[0]


def by_id(rows, entry_id: str):
    return one(rows, **{".id": entry_id})


def by_name(rows, name: str):
    return one(rows, name=name)


def v7(handle) -> bool:
    return handle.router.dialect == "v7"


def menu(api, path: str):
    """The librouteros path for a menu written "/ip/firewall/filter"."""
    return api.path(*path.strip("/").split("/"))


def rows(api, path: str) -> list[dict]:
    return list(menu(api, path))


def missing_path(api, path: str, word: str) -> None:
    """Printing `path` fails: the dialect has no such menu."""
    with pytest.raises(MultiTrapError) as info:
        rows(api, path)
    assert f"no such command or directory ({word})" in str(info.value)


def login(handle, name: str, password: str):
    """A librouteros client logged in to `handle` as `name`."""
    return librouteros.connect("127.0.0.1", name, password, port=handle.port)


def same_fields_in_both_dialects(router_v6, router_v7, add) -> None:
    """`add(client)` creates an entry (or finds one) and returns its printed row; both dialects must
    print the same fields (no field of the menu is known to exist in only one of 6.49 and 7.x)."""
    printed = []
    for handle in (router_v6, router_v7):
        client = connect(handle)
        printed.append(sorted(add(client)))
        client.close()
    assert printed[0] == printed[1]
