#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: ppp_profile
short_description: Manage PPP profiles (/ppp profile)
version_added: 0.2.0
description:
  - "Adds, changes and removes PPP profiles: addresses, DNS servers and rate limits of PPP (PPPoE) sessions. A
    profile is identified by O(config[].name)."
  - "The built-in profiles C(default) and C(default-encryption) can be changed like any other; V(overridden) and
    V(deleted) never remove them (V(deleted) naming one fails before anything is written)."
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
          - "Name of the profile. Identifies it. C(default) and C(default-encryption) are built into RouterOS:
            they can be changed, never removed."
        required: true
        type: str
      local_address:
        description:
          - "Router-side address of the sessions, an IPv4 address or the name of an address pool."
        type: str
      remote_address:
        description:
          - "Address given to the subscriber, an IPv4 address or the name of an address pool."
        type: str
      dns_server:
        description:
          - "DNS servers given to the subscriber, IPv4 addresses."
        type: list
        elements: str
      rate_limit:
        description:
          - "Rate limit of the sessions, C(rx/tx) as the router sees it (e.g. C(10M/10M)), with optional bursts
            C(rx/tx burst-rx/burst-tx threshold-rx/tx time-rx/tx priority)."
        type: str
      only_one:
        description:
          - "Whether a user may have one session at a time (RouterOS default C(default))."
        type: str
        choices: [default, 'no', 'yes']
      change_tcp_mss:
        description:
          - "Whether the router adjusts the TCP MSS of the sessions (RouterOS default C(default) on added
            profiles, C(yes) on the built-in ones). V(replaced) leaves it alone when not given (RouterOS default
            C(default))."
        type: str
        choices: [default, 'no', 'yes']
      use_encryption:
        description:
          - "Whether the sessions are encrypted (RouterOS default C(default) on added profiles, C(yes) on
            C(default-encryption)). V(replaced) leaves it alone when not given (RouterOS default C(default))."
        type: str
        choices: [default, 'no', required, 'yes']
      use_compression:
        description:
          - "Whether the sessions are compressed (RouterOS default C(default))."
        type: str
        choices: [default, 'no', 'yes']
      address_list:
        description:
          - "Address list the subscriber's address is added to while connected."
        type: str
      idle_timeout:
        description:
          - "How long an idle session stays up, a RouterOS duration such as C(10m)."
        type: str
      session_timeout:
        description:
          - "Longest session, a RouterOS duration such as C(1d)."
        type: str
      bridge:
        description:
          - "Bridge the sessions' interfaces join."
        type: str
      on_up:
        description:
          - "Script run when a session comes up."
        type: str
      on_down:
        description:
          - "Script run when a session goes down."
        type: str
      comment:
        description:
          - "Comment of the entry."
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
- name: Rate-limited PPPoE profiles handing out addresses from a pool
  ispkit.routeros.ppp_profile:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - name: pppoe-10M
        local_address: 10.10.10.1
        remote_address: pppoe-pool
        dns_server: [10.10.10.1]
        rate_limit: 10M/10M
        only_one: "yes"
        comment: managed
      - name: default
        only_one: "yes"

- name: Remove every profile tagged managed that is not listed (built-in profiles stay)
  ispkit.routeros.ppp_profile:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    state: overridden
    scope:
      comment: managed
    config:
      - name: pppoe-10M
        remote_address: pppoe-pool
        rate_limit: 10M/10M
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: pppoe-10M, remote_address: pppoe-pool, rate_limit: 10M/10M, only_one: default}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: pppoe-10M, remote_address: pppoe-pool, rate_limit: 10M/10M, only_one: default}]
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
  sample: ['/ppp profile add name=pppoe-10M remote-address=pppoe-pool rate-limit=10M/10M']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{name: pppoe-10M, remote_address: pppoe-pool, rate_limit: 10M/10M, only_one: default}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ppp profile add name=pppoe-10M remote-address=pppoe-pool rate-limit=10M/10M']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_access import PPP_PROFILE
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(PPP_PROFILE), PPP_PROFILE)


if __name__ == '__main__':
    main()
