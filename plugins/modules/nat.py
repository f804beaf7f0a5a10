#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nat
short_description: Manage firewall NAT rules, in order (/ip firewall nat)
version_added: 0.1.0
description:
  - Adds, changes, orders and removes NAT rules. A rule is identified by its O(config[].comment), which must be
    unique in the task.
  - The task's rules are put in the order of O(config); rules the task does not own keep their places.
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
      chain:
        description:
          - Chain of the rule, for example C(prerouting) or C(srcnat). Required to create a rule.
        type: str
      action:
        description:
          - Action (RouterOS default C(accept)).
        type: str
        choices:
          - accept
          - add-dst-to-address-list
          - add-src-to-address-list
          - dst-nat
          - endpoint-independent-nat
          - jump
          - log
          - masquerade
          - netmap
          - passthrough
          - redirect
          - return
          - same
          - src-nat
      to_addresses:
        description:
          - Address or range to translate to (C(dst-nat), C(src-nat), C(netmap)).
        type: str
      to_ports:
        description:
          - Ports to translate to.
        type: str
      jump_target:
        description:
          - Chain to jump to with C(jump).
        type: str
      src_address:
        description:
          - Source address, prefix or range, optionally negated with C(!).
        type: str
      dst_address:
        description:
          - Destination address, prefix or range, optionally negated with C(!).
        type: str
      src_address_list:
        description:
          - Source address list, optionally negated with C(!).
        type: str
      dst_address_list:
        description:
          - Destination address list, optionally negated with C(!).
        type: str
      src_address_type:
        description:
          - Source address type, for example C(local) or C(!local).
        type: str
      dst_address_type:
        description:
          - Destination address type, for example C(local) or C(!local).
        type: str
      in_interface:
        description:
          - Interface the packet comes in on, optionally negated with C(!); it must exist on the router.
        type: str
      out_interface:
        description:
          - Interface the packet goes out on, optionally negated with C(!); it must exist on the router.
        type: str
      in_interface_list:
        description:
          - Interface list the packet comes in on.
        type: str
      out_interface_list:
        description:
          - Interface list the packet goes out on.
        type: str
      protocol:
        description:
          - IP protocol, for example C(tcp).
        type: str
      src_port:
        description:
          - Source ports (needs O(config[].protocol) tcp, udp, udp-lite, dccp or sctp).
        type: str
      dst_port:
        description:
          - Destination ports (needs O(config[].protocol) tcp, udp, udp-lite, dccp or sctp).
        type: str
      connection_state:
        description:
          - Connection states, for example C([established, related]); order does not matter.
        type: list
        elements: str
      connection_mark:
        description:
          - Connection mark to match; C(no-mark) matches unmarked connections.
        type: str
      packet_mark:
        description:
          - Packet mark to match.
        type: str
      per_connection_classifier:
        description:
          - Per connection classifier, for example C(both-addresses:2/0).
        type: str
      nth:
        description:
          - Match every nth packet, for example C(2,1).
        type: str
      log:
        description:
          - Whether matching packets are logged (RouterOS default C(false)).
        type: bool
      log_prefix:
        description:
          - Prefix of log lines (RouterOS default empty).
        type: str
      comment:
        description:
          - Comment of the rule. Identifies the rule and must be unique in the task.
        required: true
        type: str
      disabled:
        description:
          - Whether the rule is disabled (RouterOS default C(false)).
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
- name: Masquerade out of both uplinks
  ispkit.routeros.nat:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - comment: masquerade WAN1
        chain: srcnat
        out_interface: ether1
        action: masquerade
      - comment: masquerade WAN2
        chain: srcnat
        out_interface: ether2
        action: masquerade
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{comment: masquerade WAN1, chain: srcnat, action: masquerade, out_interface: ether1}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{comment: masquerade WAN1, chain: srcnat, action: masquerade, out_interface: ether1}]
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
  sample: ['/ip firewall nat add comment="masquerade WAN1" chain=srcnat action=masquerade out-interface=ether1']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{comment: masquerade WAN1, chain: srcnat, action: masquerade, out_interface: ether1}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip firewall nat add comment="masquerade WAN1" chain=srcnat action=masquerade out-interface=ether1']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations import NAT
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(NAT), NAT)


if __name__ == '__main__':
    main()
