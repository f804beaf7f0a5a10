"""The life of a resource on both dialects: create, then replace, override and delete.

Every state runs three times: in check mode (as the `checker` user), for real, and again. The
check run must announce the real run's commands and `after` and write nothing; the second real run must
change nothing; the emulator must hold exactly the expected entries after each state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import ros_emulator
import yaml
from conftest import CHECKER, DIALECTS, PASSWORD, PerMajor, Playbook, replay, resolve, static_entries

STATES = ("replaced", "overridden", "deleted")


@dataclass
class Lifecycle:
    module: str
    path: str  # menu whose static entries are compared
    fields: tuple  # RouterOS field names compared
    merged: PerMajor  # config of the first run
    after_merged: PerMajor  # expected entries (RouterOS names, menu order) after it
    replaced: PerMajor = None
    after_replaced: PerMajor = None
    overridden: PerMajor = None
    scope: Optional[dict] = None
    after_overridden: PerMajor = None
    deleted: PerMajor = None  # config for deleted; None: delete everything in scope
    after_deleted: PerMajor = field(default_factory=list)
    foreign: PerMajor = field(default_factory=list)  # (path, attrs) another tool added
    gathered_feeds_back: bool = True
    secret_fields: tuple = ()  # masked in rendered output, so not compared after a replay
    from_file: bool = False  # give every config as config_file (a YAML file next to the playbook)
    workdir: Optional[Path] = None  # the playbook's directory, set by run()

    def config_args(self, name: str, config: PerMajor, major: str) -> dict[str, Any]:
        """{'config': ...}, or with from_file {'config_file': <name>-<major>.yml}, a relative path
        the action plugin finds next to the playbook."""
        value = resolve(config, major)
        if value is None:
            return {}
        if not self.from_file:
            return {"config": value}
        file_name = "%s-%s.yml" % (name, major)
        (self.workdir / file_name).write_text(yaml.safe_dump(value, sort_keys=False))
        return {"config_file": file_name}

    def three(self, state: str, config: PerMajor, scope: Optional[dict] = None) -> list[dict]:
        def args(major: str) -> dict[str, Any]:
            result: dict[str, Any] = {"state": state}
            result.update(self.config_args(state, config, major))
            if scope is not None:
                result["scope"] = scope
            return result
        return [{"module": self.module, "args": args, "check": True},
                {"module": self.module, "args": args},
                {"module": self.module, "args": args}]

    def run(self, playbook: Playbook) -> None:
        self.workdir = playbook.workdir
        tasks = self.three("merged", self.merged)
        tasks.append({"module": self.module, "args": {"state": "gathered"}})
        tasks.append({"module": self.module, "args": lambda major: dict(
            self.config_args("rendered", self.merged, major), state="rendered", ros_version=major,
            hostname="192.0.2.254", port=9)})  # rendered needs no router: an unreachable one proves it
        if self.gathered_feeds_back:
            tasks.append({"module": self.module, "args": {"config": "{{ r3.gathered }}"}})
        runs = playbook.run(tasks)
        for major, run in runs.items():
            router = playbook.routers[major]
            self.assert_three(run, 0, "merged", major)
            self.assert_state(router, self.after_merged, "merged", run.results[1])
            if self.gathered_feeds_back:
                assert run.results[5]["changed"] is False, (major, run.results[5])
            self.assert_rendered_replays(run.results[4]["rendered"], major)
        states = [state for state in STATES if state == "deleted" or getattr(self, state) is not None]
        for major, router in playbook.routers.items():
            self.add_foreign(router, resolve(self.foreign, major))
        tasks = []
        for state in states:
            tasks += self.three(state, getattr(self, state), self.scope if state != "replaced" else None)
        # a run's state is checked at its end; earlier states through the `after` they report
        runs = playbook.run(tasks)
        for major, run in runs.items():
            for position, state in enumerate(states):
                self.assert_three(run, 3 * position, state, major)
            last = states[-1]
            self.assert_state(playbook.routers[major], getattr(self, "after_" + last), last, run.results[-2])

    def assert_state(self, router: Any, expected: PerMajor, state: str, result: dict) -> None:
        actual = static_entries(router, self.path, self.fields)
        assert actual == resolve(expected, router.major), (router.major, state, actual, result.get("commands"))

    @staticmethod
    def assert_three(run: Any, first: int, state: str, major: str) -> None:
        check, real, again = run.results[first:first + 3]
        where = (major, state)
        assert real["changed"] is True, (where, real)
        assert check["changed"] is True, (where, check)
        assert check["commands"] == real["commands"], (where, check["commands"], real["commands"])
        # check mode predicts `after` as the router normalises it (what the real run read back)
        assert check["after"] == real["after"], (where, check["after"], real["after"])
        assert again["changed"] is False, (where, again["commands"])
        assert again["commands"] == [], where
        assert again["before"] == real["after"], where
        assert run.writes_by(CHECKER) == [], (where, run.writes_by(CHECKER))

    def assert_rendered_replays(self, lines: list[str], major: str) -> None:
        fresh = ros_emulator.start_router(version=DIALECTS[major], password=PASSWORD)
        try:
            replay(fresh, lines)
            fields = tuple(name for name in self.fields if name not in self.secret_fields)
            expected = [{k: v for k, v in entry.items() if k in fields} for entry in resolve(self.after_merged, major)]
            actual = static_entries(fresh, self.path, fields)
            assert actual == expected, (major, lines, actual)
        finally:
            fresh.stop()

    @staticmethod
    def add_foreign(router: Any, entries: list[tuple[str, dict]]) -> None:
        if not entries:
            return
        import librouteros

        api = librouteros.connect("127.0.0.1", "admin", PASSWORD, port=router.port)
        try:
            for path, attrs in entries:
                api.path(*path.strip("/").split("/")).add(**attrs)
        finally:
            api.close()
