"""Errors a command can end with, as RouterOS reports them on the API."""
from __future__ import annotations

# Trap categories from the API manual.
MISSING = 0  # missing item or command
ARGUMENT = 1  # argument value failure
INTERRUPTED = 2  # execution of command interrupted
SCRIPT = 3
GENERAL = 4  # general failure
API = 5


class Trap(Exception):
    """One `!trap` reply; a command that raises it changes nothing."""

    def __init__(self, message: str, category: int | None = None):
        super().__init__(message)
        self.message = message
        self.category = category

    def sentences(self) -> list[dict[str, str]]:
        words = {"message": self.message}
        if self.category is not None:
            words = {"category": str(self.category), **words}
        return [words]


class MultiTrap(Trap):
    """Several `!trap` replies for one command (RouterOS does this for unknown paths)."""

    def __init__(self, traps: list[Trap]):
        super().__init__("; ".join(t.message for t in traps), traps[0].category)
        self.traps = traps

    def sentences(self) -> list[dict[str, str]]:
        return [s for t in self.traps for s in t.sentences()]


class Fatal(Exception):
    """A `!fatal` reply: the router closes the connection after sending it."""


def no_such_command(word: str) -> MultiTrap:
    return MultiTrap([Trap(f"no such command or directory ({word})", MISSING), Trap("no such command prefix")])


def unknown_parameter(name: str) -> Trap:
    # RouterOS does not say which parameter it did not know.
    return Trap("unknown parameter", ARGUMENT)


def invalid_value(name: str) -> Trap:
    return Trap(f"invalid value for argument {name}", ARGUMENT)


def no_match(name: str) -> Trap:
    return Trap(f"input does not match any value of {name}", ARGUMENT)


def failure(text: str) -> Trap:
    return Trap(f"failure: {text}", GENERAL)
