#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: routes
short_description: Manage static routes and, on RouterOS 7.x, their routing tables (/ip route)
version_added: 0.1.0
description:
  - Adds, changes and removes static IPv4 routes. A route is identified by O(config[].dst_address),
    O(config[].gateway) and O(config[].routing_table).
  - O(config[].routing_table) is written C(routing-mark) on RouterOS 6.x and C(routing-table) on 7.x; on 7.x a
    table that does not exist yet is created (C(/routing table add fib)) before the route.
  - Dynamic routes (connected networks) are never touched.
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
      dst_address:
        description:
          - Destination prefix (RouterOS default C(0.0.0.0/0)). Host bits are cleared as RouterOS does.
        type: str
      gateway:
        description:
          - Gateway address or interface (7.x also C(address%interface)).
        required: true
        type: str
      routing_table:
        description:
          - "Routing table of the route: C(routing-mark) on RouterOS 6.x, C(routing-table) on 7.x (default
            C(main)). On 7.x a missing table is created with C(fib) first."
        type: str
      distance:
        description:
          - Administrative distance, 0 to 255 (RouterOS default C(1)).
        type: int
      check_gateway:
        description:
          - "How the gateway is checked: C(arp) or C(ping); 7.x also C(bfd), C(bfd-multihop) and C(none)."
        type: str
        choices: [arp, bfd, bfd-multihop, none, ping]
      scope:
        description:
          - Scope, 0 to 255 (RouterOS default C(30)).
        type: int
      target_scope:
        description:
          - Target scope, 0 to 255 (RouterOS default C(10)).
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
- name: Dual ISP failover and policy routes
  ispkit.routeros.routes:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - gateway: 192.0.2.1
        distance: 1
        check_gateway: ping
      - gateway: 198.51.100.1
        distance: 2
        check_gateway: ping
      - gateway: 192.0.2.1
        routing_table: to_WAN1
        check_gateway: ping
      - gateway: 198.51.100.1
        routing_table: to_WAN2
        check_gateway: ping
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{dst_address: 0.0.0.0/0, gateway: 192.0.2.1, routing_table: main, distance: 1, check_gateway: ping}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{dst_address: 0.0.0.0/0, gateway: 192.0.2.1, routing_table: main, distance: 1, check_gateway: ping}]
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
  sample: ['/ip route add dst-address=0.0.0.0/0 gateway=192.0.2.1 check-gateway=ping']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{dst_address: 0.0.0.0/0, gateway: 192.0.2.1, routing_table: main, distance: 1, check_gateway: ping}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip route add dst-address=0.0.0.0/0 gateway=192.0.2.1 check-gateway=ping']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations import ROUTE
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(ROUTE), ROUTE)


if __name__ == '__main__':
    main()
