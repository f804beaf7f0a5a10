#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: netwatch
short_description: Manage host watchers that run scripts when a host goes up or down (/tool netwatch)
version_added: 0.1.0
description:
  - Adds, changes and removes netwatch entries. An entry is identified by O(config[].host).
  - RouterOS 6.x has the plain ping watcher (host, interval, timeout, up and down scripts). 7.x adds
    names, probe types and thresholds; giving one of those options to a 6.x router fails before
    anything is written, naming the option.
  - Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported.
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
  - ispkit.routeros.api.config_file
  - ispkit.routeros.api.resource
options:
  config:
    description:
      - The entries to manage.
    type: list
    elements: dict
    suboptions:
      host:
        description:
          - Address to watch (7.x C(type=dns) probes also take a name). Identifies the entry.
        required: true
        type: str
      interval:
        description:
          - Time between checks (RouterOS default C(1m) on 6.x, C(10s) on 7.x).
        type: str
      timeout:
        description:
          - How long to wait for an answer (RouterOS default C(1s) on 6.x, C(3s) on 7.x).
        type: str
      up_script:
        description:
          - Script to run when the host comes up.
        type: str
      down_script:
        description:
          - Script to run when the host goes down.
        type: str
      name:
        description:
          - Name of the entry. RouterOS 7.x only.
        type: str
      type:
        description:
          - Probe type (RouterOS default C(simple)). RouterOS 7.x only.
        type: str
        choices: [dns, http-get, https-get, icmp, simple, tcp-conn]
      test_script:
        description:
          - Script to run after each test. RouterOS 7.x only.
        type: str
      src_address:
        description:
          - Source address of the probes. RouterOS 7.x only.
        type: str
      port:
        description:
          - TCP port for C(tcp-conn) and HTTP probes, 1 to 65535. RouterOS 7.x only.
        type: int
      packet_count:
        description:
          - ICMP packets per test, 1 to 10000. RouterOS 7.x only.
        type: int
      thr_max:
        description:
          - ICMP threshold of the worst round trip time. RouterOS 7.x only.
        type: str
      thr_avg:
        description:
          - ICMP threshold of the average round trip time. RouterOS 7.x only.
        type: str
      thr_loss_count:
        description:
          - ICMP threshold of lost packets. RouterOS 7.x only.
        type: int
      comment:
        description:
          - Comment of the entry.
        type: str
      disabled:
        description:
          - Whether the entry is disabled (RouterOS default C(false)).
        type: bool
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: Log when the ISP gateways stop answering
  ispkit.routeros.netwatch:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - host: 198.51.100.1
        interval: 30s
        down_script: ':log warning "ISP1 gateway down"'
        up_script: ':log info "ISP1 gateway up"'
        comment: managed
    scope:
      comment: managed
    state: overridden
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{host: 198.51.100.1, interval: 30s, timeout: 1s, up_script: '', down_script: '', disabled: false}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{host: 198.51.100.1, interval: 30s, timeout: 1s, up_script: '', down_script: '', disabled: false}]
entry_counts:
  description:
    - How many entries RV(before) and RV(after) would list, how many the task changes, and how many
      of those they list.
    - Returned only when RV(before) or RV(after) would list more than 500 entries; they then list only
      the C(changed) entries (those the task adds, sets, unsets, moves or removes), at most 500 of them
      (C(listed)), and the diff shows only those. RV(commands) is complete.
  returned: when before or after holds more than 500 entries
  type: dict
  contains:
    before:
      description: Entries before the task.
      type: int
    after:
      description: Entries after the task.
      type: int
    changed:
      description: Entries the task changes, the only ones RV(before) and RV(after) list.
      type: int
    listed:
      description: How many of the changed entries RV(before) and RV(after) list (at most 500).
      type: int
  sample: {before: 10000, after: 10000, changed: 100, listed: 100}
commands:
  description: RouterOS script lines the task ran, or would run in check mode.
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: str
  sample: ['/tool netwatch add host=198.51.100.1 interval=30s']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{host: 198.51.100.1, interval: 30s, timeout: 1s, up_script: '', down_script: '', disabled: false}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/tool netwatch add host=198.51.100.1 interval=30s']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import NETWATCH
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(NETWATCH), NETWATCH)


if __name__ == '__main__':
    main()
