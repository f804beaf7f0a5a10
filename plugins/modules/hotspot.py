#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hotspot
short_description: Manage Hotspot servers, server profiles and user profiles (/ip hotspot)
version_added: 0.2.0
description:
  - "Adds, changes and removes Hotspot servers (C(/ip hotspot)), their server profiles (C(/ip hotspot profile):
    login page DNS name, login methods, RADIUS) and user profiles (C(/ip hotspot user profile): rate limits,
    shared users), each menu under its own key of O(config)."
  - "Entries are identified by their name. A menu whose key O(config) does not give is left alone."
  - "User profiles are written before server profiles (a server profile names its trial user profile), server
    profiles before servers; removals go the other way round."
  - "The built-in C(default) server profile and user profile can be changed like any other; they are never
    removed (V(deleted) naming one fails before anything is written)."
  - "The address pool a server or user profile names must exist (see the C(pool) module); the router refuses an
    unknown one and the task reports RouterOS's words."
  - "Local Hotspot users are managed by the C(hotspot_user) module, RADIUS servers by the C(radius) module."
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
      - "The menus to manage, one key each; a key not given leaves its menu alone."
    type: dict
    suboptions:
      user_profiles:
        description:
          - "User profiles (C(/ip hotspot user profile)): what a logged-in user gets."
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - "Name of the user profile. Identifies it. C(default) is built into RouterOS: it can be changed,
                never removed."
            required: true
            type: str
          rate_limit:
            description:
              - "Rate limit of the users, C(rx/tx) (e.g. C(2M/2M)), with optional bursts."
            type: str
          shared_users:
            description:
              - "Logins per user at once, a number or C(unlimited) (RouterOS default C(1))."
            type: str
          address_pool:
            description:
              - "Address pool the users' addresses come from, or C(none) (RouterOS default C(none))."
            type: str
          session_timeout:
            description:
              - "Longest session, a RouterOS duration such as C(1h); unset for no limit."
            type: str
          idle_timeout:
            description:
              - "How long an idle user stays logged in, a duration or C(none) (RouterOS default C(none))."
            type: str
          keepalive_timeout:
            description:
              - "How long an unreachable user stays logged in, a duration or C(none) (RouterOS default C(2m))."
            type: str
          status_autorefresh:
            description:
              - "Refresh interval of the status page, a duration or C(none) (RouterOS default C(1m))."
            type: str
          add_mac_cookie:
            description:
              - "Whether a MAC cookie is made at login (RouterOS default C(true))."
            type: bool
          mac_cookie_timeout:
            description:
              - "How long a MAC cookie is valid (RouterOS default C(3d))."
            type: str
          address_list:
            description:
              - "Address list the user's address is added to while logged in."
            type: str
          open_status_page:
            description:
              - "When the status page opens (RouterOS default C(always))."
            type: str
            choices: [always, http-login]
          transparent_proxy:
            description:
              - "Whether the users' web traffic goes through the transparent proxy (RouterOS default C(false))."
            type: bool
          incoming_filter:
            description:
              - "Firewall chain for packets from the users."
            type: str
          outgoing_filter:
            description:
              - "Firewall chain for packets to the users."
            type: str
          parent_queue:
            description:
              - "Parent queue of the users' queues."
            type: str
          on_login:
            description:
              - "Script run at login."
            type: str
          on_logout:
            description:
              - "Script run at logout."
            type: str
      profiles:
        description:
          - "Server profiles (C(/ip hotspot profile)): how users log in."
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - "Name of the server profile. Identifies it. C(default) is built into RouterOS: it can be changed,
                never removed."
            required: true
            type: str
          hotspot_address:
            description:
              - "Address of the Hotspot service on its interface (RouterOS default C(0.0.0.0))."
            type: str
          dns_name:
            description:
              - "DNS name of the login page (e.g. C(login.example.net)); empty for none."
            type: str
          html_directory:
            description:
              - "Directory of the login pages (RouterOS's default depends on the board). V(replaced) leaves it
                alone when not given."
            type: str
          login_by:
            description:
              - "Login methods (RouterOS default C(cookie,http-chap))."
            type: list
            elements: str
            choices: [mac, cookie, http-chap, https, http-pap, trial, mac-cookie]
          http_cookie_lifetime:
            description:
              - "How long an HTTP cookie is valid (RouterOS default C(3d))."
            type: str
          rate_limit:
            description:
              - "Rate limit of the server's users, C(rx/tx)."
            type: str
          smtp_server:
            description:
              - "SMTP server users' mail is redirected to (RouterOS default C(0.0.0.0))."
            type: str
          split_user_domain:
            description:
              - "Whether user@domain logins are split into user and domain (RouterOS default C(false))."
            type: bool
          install_hotspot_queue:
            description:
              - "Whether RouterOS installs a queue for the Hotspot (RouterOS default C(false))."
            type: bool
          use_radius:
            description:
              - "Whether logins are checked with RADIUS (the RADIUS servers come from the C(radius) module)
                (RouterOS default C(false))."
            type: bool
          radius_accounting:
            description:
              - "Whether RADIUS accounting is sent (RouterOS default C(true))."
            type: bool
          radius_interim_update:
            description:
              - "Interim accounting interval, a duration or C(received) (what RADIUS says) (RouterOS default
                C(received))."
            type: str
          radius_default_domain:
            description:
              - "Domain added to user names sent to RADIUS."
            type: str
          radius_location_id:
            description:
              - "Location id sent to RADIUS."
            type: str
          radius_location_name:
            description:
              - "Location name sent to RADIUS."
            type: str
          nas_port_type:
            description:
              - "NAS-Port-Type sent to RADIUS (RouterOS default C(wireless-802.11))."
            type: str
          trial_uptime_limit:
            description:
              - "Uptime of a trial user (RouterOS default C(30m))."
            type: str
          trial_user_profile:
            description:
              - "User profile of trial users (RouterOS default C(default))."
            type: str
      servers:
        description:
          - "Hotspot servers (C(/ip hotspot)), one per interface."
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - "Name of the Hotspot server. Identifies it."
            required: true
            type: str
          interface:
            description:
              - "Interface the server runs on (one server per interface); it must exist on the router."
            type: str
          address_pool:
            description:
              - "Address pool clients get an address from (one-to-one NAT), or C(none) (RouterOS default
                C(none))."
            type: str
          profile:
            description:
              - "Server profile (from O(config.profiles) or the built-in C(default)) (RouterOS default
                C(default))."
            type: str
          idle_timeout:
            description:
              - "How long an idle, not logged-in client is remembered, a duration or C(none) (RouterOS default
                C(5m))."
            type: str
          keepalive_timeout:
            description:
              - "How long an unreachable client is remembered, a duration or C(none) (RouterOS default C(none))."
            type: str
          login_timeout:
            description:
              - "How long a client may take to log in, a duration or C(none) (RouterOS default C(none))."
            type: str
          addresses_per_mac:
            description:
              - "Addresses one MAC address may have, a number or C(unlimited) (RouterOS default C(2))."
            type: str
          disabled:
            description:
              - "Whether the server is disabled (RouterOS default C(false))."
            type: bool
  scope:
    description:
      - "Per menu, the entries this task owns, as option values they all share (e.g. C({servers: {}}) for every
        static, non built-in entry of that menu). Only entries in a menu's scope are removed by V(overridden)
        and by V(deleted); V(overridden) needs the scope of every menu O(config) gives, V(deleted) without a
        menu in O(config) empties that menu's scope."
    type: dict
    suboptions:
      user_profiles:
        description:
          - "Scope of O(config.user_profiles)."
        type: dict
      profiles:
        description:
          - "Scope of O(config.profiles)."
        type: dict
      servers:
        description:
          - "Scope of O(config.servers)."
        type: dict
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: A Hotspot on the subscriber bridge, login page at login.example.net
  ispkit.routeros.hotspot:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      user_profiles:
        - name: hotspot-2M
          rate_limit: 2M/2M
          shared_users: 1
      profiles:
        - name: hsprof1
          hotspot_address: 10.5.50.1
          dns_name: login.example.net
          login_by: [cookie, http-chap]
          use_radius: true
      servers:
        - name: hotspot1
          interface: bridge-subscribers
          address_pool: hotspot-pool
          profile: hsprof1

- name: Remove every Hotspot server the task does not list (profiles are left alone)
  ispkit.routeros.hotspot:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    state: overridden
    scope:
      servers: {}
    config:
      servers:
        - name: hotspot1
          interface: bridge-subscribers
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample:
    user_profiles: [{name: default, shared_users: 1}]
    profiles: [{name: hsprof1, dns_name: login.example.net}]
    servers: [{name: hotspot1, interface: bridge-subscribers, profile: hsprof1}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample:
    user_profiles: [{name: default, shared_users: 1}]
    profiles: [{name: hsprof1, dns_name: login.example.net}]
    servers: [{name: hotspot1, interface: bridge-subscribers, profile: hsprof1}]
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
  sample: ['/ip hotspot profile add name=hsprof1 dns-name=login.example.net', '/ip hotspot add name=hotspot1 interface=bridge-subscribers profile=hsprof1']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: dict
  sample:
    user_profiles: [{name: default, shared_users: 1}]
    profiles: [{name: hsprof1, dns_name: login.example.net}]
    servers: [{name: hotspot1, interface: bridge-subscribers, profile: hsprof1}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip hotspot profile add name=hsprof1 dns-name=login.example.net', '/ip hotspot add name=hotspot1 interface=bridge-subscribers profile=hsprof1']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_access import HOTSPOT
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(HOTSPOT), HOTSPOT)


if __name__ == '__main__':
    main()
