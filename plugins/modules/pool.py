#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: pool
short_description: Manage IP address pools (/ip pool)
version_added: 0.1.0
description:
  - Adds, changes and removes address pools used by PPP, Hotspot and DHCP. A pool is identified by
    O(config[].name).
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
      name:
        description:
          - Name of the entry. Identifies it.
        required: true
        type: str
      ranges:
        description:
          - Address ranges, each C(A.B.C.D-A.B.C.E), an address or a prefix.
        type: list
        elements: str
      next_pool:
        description:
          - Pool to take addresses from when this one is exhausted (RouterOS default C(none)).
        type: str
      comment:
        description:
          - Comment of the entry.
        type: str
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: Pools for PPPoE and Hotspot subscribers
  ispkit.routeros.pool:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - name: pppoe-pool
        ranges: [10.10.10.2-10.10.10.254]
      - name: hotspot-pool
        ranges: [10.20.0.2-10.20.0.254]
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: pppoe-pool, ranges: [10.10.10.2-10.10.10.254], next_pool: none}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: pppoe-pool, ranges: [10.10.10.2-10.10.10.254], next_pool: none}]
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
  sample: ['/ip pool add name=pppoe-pool ranges=10.10.10.2-10.10.10.254']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{name: pppoe-pool, ranges: [10.10.10.2-10.10.10.254], next_pool: none}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip pool add name=pppoe-pool ranges=10.10.10.2-10.10.10.254']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations import POOL
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(POOL), POOL)


if __name__ == '__main__':
    main()
