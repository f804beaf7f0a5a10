#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: service
short_description: Set the router's own services, e.g. restrict the API to a management network (/ip service)
version_added: 0.1.0
description:
  - Sets the port, allowed client networks, certificate and state of the router's built-in services
    (C(api), C(api-ssl), C(ftp), C(ssh), C(telnet), C(winbox), C(www), C(www-ssl)).
  - These entries belong to RouterOS; the module only sets them, it never adds or removes one. An
    unknown service name fails before anything is written.
  - Mind the service this module itself talks through (C(api) or C(api-ssl)) when restricting its
    addresses or disabling it.
  - Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported.
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
  - ispkit.routeros.api.config_file
options:
  config:
    description:
      - The services to set. Required unless O(state=gathered).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The service. Identifies the entry.
        required: true
        type: str
        choices: [api, api-ssl, ftp, ssh, telnet, winbox, www, www-ssl]
      port:
        description:
          - TCP port, 1 to 65535. Not reset by V(replaced) (each service has its own default).
        type: int
      address:
        description:
          - Client addresses or networks allowed to connect; an empty list allows every client
            (RouterOS default).
        type: list
        elements: str
      certificate:
        description:
          - Certificate of C(api-ssl) and C(www-ssl), or C(none). Not reset by V(replaced).
        type: str
      disabled:
        description:
          - Whether the service is disabled (RouterOS default C(false)).
        type: bool
  state:
    description:
      - V(merged) sets the given options of the listed services; V(replaced) also resets
        O(config[].address) and O(config[].disabled) when not given.
      - V(gathered) returns every service in the shape O(config) takes; V(rendered) returns the
        script lines without connecting.
      - Services cannot be added or removed, so V(overridden) and V(deleted) do not exist here.
    type: str
    choices: [merged, replaced, gathered, rendered]
    default: merged
  ros_version:
    description:
      - RouterOS major version to render for with O(state=rendered).
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
- name: API only from the management network; no telnet, ftp or plain www
  ispkit.routeros.service:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - name: api
        address: [192.0.2.0/24]
      - name: telnet
        disabled: true
      - name: ftp
        disabled: true
      - name: www
        disabled: true
'''

RETURN = r'''
before:
  description: The services before the task, in the shape O(config) takes.
  returned: when state is merged or replaced
  type: list
  elements: dict
  sample: [{name: api, port: 8728, address: [], disabled: false}]
after:
  description: The services after the task (predicted in check mode).
  returned: when state is merged or replaced
  type: list
  elements: dict
  sample: [{name: api, port: 8728, address: [192.0.2.0/24], disabled: false}]
commands:
  description: RouterOS script lines the task ran, or would run in check mode.
  returned: when state is merged or replaced
  type: list
  elements: str
  sample: ['/ip service set [find name=api] address=192.0.2.0/24']
gathered:
  description: The services, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{name: api, port: 8728, address: [192.0.2.0/24], disabled: false}]
rendered:
  description: RouterOS script lines that set O(config).
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip service set [find name=api] address=192.0.2.0/24']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import SERVICE
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(SERVICE), SERVICE)


if __name__ == '__main__':
    main()
