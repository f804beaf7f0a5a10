"""What several menu modules share: the dialect sets, the comment/disabled pair most menus end
with, and hooks whose logic is the same from menu to menu."""
from __future__ import annotations

from ..errors import failure
from ..schema import V6, V7, Field
from ..values import Bool, Text

ONLY_V6 = frozenset({V6})
ONLY_V7 = frozenset({V7})

COMMENT = Field("comment", Text())
COMMON = [COMMENT, Field("disabled", Bool(), default="false")]


def builtin_default_flag(router, entry):
    """`compute` of menus that print `default` on every entry: true on the built-in ones, false on
    those a user added (6.x OSPF instances and areas, /ppp/profile)."""
    return {"default": "true" if entry.builtin else "false"}


def not_itself(field: str, message: str):
    """A `validate` hook: `field` may not name the entry itself (a pool's next-pool, a queue's
    parent); RouterOS refuses with failure `message`."""

    def check(router, values, old):
        if values.get(field) == values.get("name"):
            raise failure(message)

    return check
