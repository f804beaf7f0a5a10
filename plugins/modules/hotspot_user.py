#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hotspot_user
short_description: Manage local Hotspot users (/ip hotspot user)
version_added: 0.2.0
description:
  - "Adds, changes and removes local Hotspot users, for networks without RADIUS. A user is identified by
    O(config[].name)."
  - "Passwords are compared with the router's but never shown: output leaves them out, commands show C(********)."
  - "Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported."
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
          - "User name. Identifies the user."
        required: true
        type: str
      password:
        description:
          - "Password of the user. Never shown in output."
        type: str
      server:
        description:
          - "Hotspot server the user may log in to, or C(all) (RouterOS default C(all))."
        type: str
      profile:
        description:
          - "Hotspot user profile the user gets (RouterOS default C(default))."
        type: str
      address:
        description:
          - "IPv4 address the user is given."
        type: str
      mac_address:
        description:
          - "MAC address the user must log in from."
        type: str
      email:
        description:
          - "E-mail address of the user."
        type: str
      routes:
        description:
          - "Routes added while the user is logged in, in RouterOS's syntax."
        type: str
      limit_uptime:
        description:
          - "Total time the user may be logged in, a RouterOS duration such as C(1d)."
        type: str
      limit_bytes_in:
        description:
          - "Bytes the user may send."
        type: int
      limit_bytes_out:
        description:
          - "Bytes the user may receive."
        type: int
      limit_bytes_total:
        description:
          - "Bytes the user may send and receive together."
        type: int
      comment:
        description:
          - "Comment of the entry."
        type: str
      disabled:
        description:
          - "Whether the user is disabled (RouterOS default C(false))."
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
- name: A Hotspot test user
  ispkit.routeros.hotspot_user:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - name: guest1
        password: "{{ guest1_password }}"
        profile: hotspot-2M
        limit_uptime: 1d
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: guest1, server: all, profile: hotspot-2M, limit_uptime: 1d}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: guest1, server: all, profile: hotspot-2M, limit_uptime: 1d}]
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
  sample: ['/ip hotspot user add name=guest1 password=******** profile=hotspot-2M']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{name: guest1, server: all, profile: hotspot-2M, limit_uptime: 1d}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip hotspot user add name=guest1 password=******** profile=hotspot-2M']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_access import HOTSPOT_USER
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(HOTSPOT_USER), HOTSPOT_USER)


if __name__ == '__main__':
    main()
