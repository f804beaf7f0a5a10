# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-task wall times for benchmarks/site/bench_site.py --profile (ansible-core has no timing callback).

Enabled with ANSIBLE_CALLBACK_PLUGINS=<this directory> and ANSIBLE_CALLBACKS_ENABLED=task_times;
writes one JSON list to the file named by BENCH_TASK_TIMES: per task its name, action, the time
from its start to its last host result, and each host's status.
"""
from __future__ import annotations

import json
import os
import time
from typing import Any

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Timestamps task starts and host results; dumps them when the playbook ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._start = time.monotonic()
        self._tasks: list[dict[str, Any]] = []

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._tasks.append({"name": task.get_name(), "action": task.action, "start": time.monotonic() - self._start,
                            "end": None, "hosts": {}})

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self.v2_playbook_on_task_start(task, False)

    def _record(self, result: Any, status: str) -> None:
        if self._tasks:
            task = self._tasks[-1]
            task["end"] = time.monotonic() - self._start
            task["hosts"][result._host.get_name()] = status

    def v2_runner_on_ok(self, result: Any) -> None:
        self._record(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats: Any) -> None:
        path = os.environ.get("BENCH_TASK_TIMES")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"total": time.monotonic() - self._start, "tasks": self._tasks}, handle, indent=1)
