#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: radius
short_description: Manage the RADIUS client - servers, PPP AAA and incoming CoA (/radius, /ppp aaa, /radius incoming)
version_added: 0.2.0
description:
  - "O(config.servers) are the RADIUS servers (C(/radius)), identified by O(config.servers[].address) and
    O(config.servers[].service) together, kept in the order given (RouterOS asks them in menu order)."
  - "O(config.ppp_aaa) sets C(/ppp aaa) (whether PPP asks RADIUS, accounting) and O(config.incoming) sets
    C(/radius incoming) (CoA and Disconnect-Request from the server). Both are single settings: they are set,
    never removed."
  - "Servers are written first, then the settings that use them. A key O(config) does not give is left alone."
  - "Secrets are never shown: they are masked in commands and left out of C(before), C(after) and C(gathered)."
  - "Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported."
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
  - ispkit.routeros.api.config_file
options:
  config:
    description:
      - "The menus to manage, one key each; a key not given leaves its menu alone."
    type: dict
    suboptions:
      servers:
        description:
          - "RADIUS servers, in the order RouterOS should ask them."
        type: list
        elements: dict
        suboptions:
          address:
            description:
              - "Address of the server. Identifies the entry, with O(config.servers[].service)."
            required: true
            type: str
          service:
            description:
              - "Services that use the server (RouterOS default none)."
            type: list
            elements: str
            choices: [dhcp, dot1x, hotspot, ipsec, login, ppp, wireless]
          secret:
            description:
              - "Shared secret. Never shown in output."
            type: str
          authentication_port:
            description:
              - "Authentication port (RouterOS default C(1812))."
            type: int
          accounting_port:
            description:
              - "Accounting port (RouterOS default C(1813))."
            type: int
          timeout:
            description:
              - "How long to wait for an answer, e.g. C(300ms) or C(1s) (RouterOS default C(300ms))."
            type: str
          src_address:
            description:
              - "Source address of the requests (RouterOS default C(0.0.0.0), automatic)."
            type: str
          called_id:
            description:
              - "Called-Station-Id the server is used for (RouterOS default empty: any)."
            type: str
          domain:
            description:
              - "Domain of the users the server is used for (RouterOS default empty: any)."
            type: str
          realm:
            description:
              - "Realm sent with the user name (RouterOS default empty)."
            type: str
          accounting_backup:
            description:
              - "Whether the server is an accounting backup (RouterOS default C(false))."
            type: bool
          require_message_auth:
            description:
              - "Require Message-Authenticator in responses (BlastRADIUS hardening; RouterOS default
                C(yes-for-request-resp)). RouterOS 7.x only (7.15 and later)."
            type: str
            choices: ['no', yes-for-request-resp]
          comment:
            description:
              - "Comment of the entry."
            type: str
          disabled:
            description:
              - "Whether the entry is disabled (RouterOS default C(false))."
            type: bool
      ppp_aaa:
        description:
          - "C(/ppp aaa): how PPP (PPPoE) authenticates and accounts."
        type: dict
        suboptions:
          use_radius:
            description:
              - "Ask RADIUS for users not in the local secrets (RouterOS default C(false))."
            type: bool
          accounting:
            description:
              - "Send accounting (RouterOS default C(true))."
            type: bool
          interim_update:
            description:
              - "Interval of interim accounting updates, e.g. C(5m) (RouterOS default C(0s): none)."
            type: str
          use_circuit_id_in_nas_port_id:
            description:
              - "Send the PPPoE circuit id as NAS-Port-Id (RouterOS default C(false))."
            type: bool
      incoming:
        description:
          - "C(/radius incoming): CoA and Disconnect-Request from the RADIUS server."
        type: dict
        suboptions:
          accept:
            description:
              - "Accept them (RouterOS default C(false))."
            type: bool
          port:
            description:
              - "UDP port to listen on (RouterOS default C(3799))."
            type: int
  state:
    description:
      - "V(merged) creates missing servers and sets the given options; V(replaced) also resets options not
        given to RouterOS's defaults (for O(config.ppp_aaa) and O(config.incoming) too); V(overridden) also
        removes the servers in O(scope.servers) that O(config.servers) does not list; V(deleted) removes the
        listed servers, or without O(config.servers) every server in O(scope.servers) (the single settings
        are left alone); V(gathered) returns the menus in the shape O(config) takes; V(rendered) returns
        RouterOS script lines without connecting."
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
    default: merged
  scope:
    description:
      - "The servers this task owns, as option values they all share (e.g. C({servers: {comment: ansible}}));
        C({servers: {}}) means every server. Needed by V(overridden) and by V(deleted) without
        O(config.servers)."
    type: dict
    suboptions:
      servers:
        description:
          - "Scope of O(config.servers)."
        type: dict
  ros_version:
    description:
      - "RouterOS major version to render for with O(state=rendered). Other states read it from the router."
    type: str
    choices: ['6', '7']
    default: '7'
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: PPPoE and Hotspot through one RADIUS server, with disconnects from it
  ispkit.routeros.radius:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      servers:
        - address: 192.0.2.10
          service: [ppp, hotspot]
          secret: "{{ radius_secret }}"
          timeout: 1s
      ppp_aaa:
        use_radius: true
        accounting: true
        interim_update: 5m
      incoming:
        accept: true
'''

RETURN = r'''
before:
  description: The menus before the task, in the shape O(config) takes (secrets left out).
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample: {servers: [], ppp_aaa: {use_radius: false, accounting: true, interim_update: 0s}, incoming: {accept: false, port: 3799}}
after:
  description: The menus after the task (predicted in check mode; secrets left out).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample: {servers: [{address: 192.0.2.10, service: [hotspot, ppp], timeout: 1s}], ppp_aaa: {use_radius: true}, incoming: {accept: true}}
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
  description: RouterOS script lines the task ran, or would run in check mode (secrets masked).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: str
  sample: ['/radius add address=192.0.2.10 service=ppp,hotspot secret=********', '/ppp aaa set use-radius=yes']
gathered:
  description: The menus on the router, in the shape O(config) takes (secrets left out).
  returned: when state is gathered
  type: dict
  sample: {servers: [{address: 192.0.2.10, service: [hotspot, ppp]}], ppp_aaa: {use_radius: true}, incoming: {accept: true}}
rendered:
  description: RouterOS script lines that make O(config) on a router nobody configured (secrets masked).
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/radius add address=192.0.2.10 service=ppp,hotspot secret=********', '/radius incoming set accept=yes']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import RADIUS
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(RADIUS), RADIUS)


if __name__ == '__main__':
    main()
