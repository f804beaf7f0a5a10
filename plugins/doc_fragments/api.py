# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # How the modules reach the router; set once with module_defaults group/ispkit.routeros.api.
    DOCUMENTATION = r'''
options:
  hostname:
    description:
      - Address or name of the router's API service.
      - Required, except with C(state=rendered) of the resource modules, which needs no router.
    type: str
  port:
    description:
      - TCP port of the API service.
      - Defaults to V(8728), or V(8729) (api-ssl) when O(tls=true).
    type: int
  username:
    description:
      - RouterOS user to log in as. It needs the C(write) policy to change anything.
    type: str
    default: admin
  password:
    description:
      - Password of O(username). Never shown in output or logs.
    type: str
    default: ''
  tls:
    description:
      - Use the api-ssl service (API over TLS).
    type: bool
    default: false
  validate_certs:
    description:
      - With O(tls=true), check the router's certificate against the trusted CAs (O(ca_path), or the
        system's) and its name against O(hostname).
      - Set to V(false) only on lab networks.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA that signed the router's certificate, for O(tls=true).
    type: path
  timeout:
    description:
      - Seconds to wait for the router to connect and to answer each command.
    type: int
    default: 10
requirements:
  - librouteros (Python library) on the host that runs the module, usually the controller
    (C(ansible_connection=local)).
notes:
  - Set the connection once for every module of this collection with
    C(module_defaults) and the action group C(group/ispkit.routeros.api).
'''

    # state, scope and ros_version of the list resource modules.
    RESOURCE = r'''
options:
  state:
    description:
      - V(merged) creates missing entries and sets the given options of existing ones; options not
        given are left as they are.
      - V(replaced) is V(merged), and options not given are reset to RouterOS's defaults on the
        entries in O(config).
      - V(overridden) is V(replaced), and every entry in O(scope) that O(config) does not list is
        removed.
      - V(deleted) removes the entries listed in O(config) (matched by their identity), or, without
        O(config), every entry in O(scope).
      - V(gathered) returns the entries (those in O(scope) when given) in the shape O(config) takes,
        and changes nothing.
      - V(rendered) returns the RouterOS script lines that create O(config) on an empty router,
        without connecting to one.
      - Dynamic entries and entries built into RouterOS are never removed.
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
    default: merged
  scope:
    description:
      - "The entries this task owns, as option values they all share, for example
        C({comment: managed-by-ansible}). Only entries in scope are removed by V(overridden) and by
        V(deleted) without O(config), and entries in O(config) that do not give these options get them."
      - "A text option's value may be C({starts_with: TEXT}): the entries whose value begins with TEXT, for
        example C({comment: {starts_with: 'dual_isp:'}}) for every rule a role wrote with comments
        C(dual_isp: ...). Such a value selects entries only; it is not given to the entries of O(config)."
      - Required for O(state=overridden) and for O(state=deleted) without O(config).
        An empty dictionary C({}) means every static, non built-in entry of the menu.
    type: dict
  ros_version:
    description:
      - RouterOS major version to render for with O(state=rendered). Other states read the
        version from the router.
    type: str
    choices: ['6', '7']
    default: '7'
notes:
  - Large tasks - when the entries before or after the task are more than 500, the return values
    C(before), C(after) and the diff list only the entries the task changes (adds, sets, unsets,
    moves or removes), at most 500 of them, C(entry_counts) gives the full counts, and the echoed
    arguments (C(invocation)) leave out the options of C(config) that were not given. C(commands)
    is always complete. Ten thousand entries in a result cost Ansible seconds to pass on.
  - Large tasks - C(after) is predicted, as in check mode (the values as RouterOS prints them),
    instead of read back from the router, since reading ten thousand entries again costs a second. A
    smaller task reads back what it changed.
  - Runs of adds, sets or removes on one menu are sent as a batch, without waiting for each answer
    (RouterOS runs a session's commands in order). When the router refuses one, the commands sent
    with it may still be applied; the error names the refused command and every applied one.
'''

    # config_file of the list resource modules (run through the ispkit.routeros.resource action).
    CONFIG_FILE = r'''
options:
  config_file:
    description:
      - A JSON or YAML file holding what O(config) takes, in the same shape, instead of O(config).
        Mutually exclusive with O(config).
      - Meant for large tasks. Ten thousand entries written in a playbook cost Ansible 10 to 15 seconds
        before the module starts (parsing, copying and templating them, checking the arguments,
        sending them back with the result); read from a file by the module, they cost a fraction
        of a second.
      - A relative path is looked up on the controller as C(src) of M(ansible.builtin.copy) is - in
        the role's C(files/) directory, the role, then the playbook's C(files/) directory and the
        playbook's directory. A vault-encrypted file is decrypted into a private temporary file for
        the module's run and removed after it (not with C(async)). This is why the modules run
        through an action plugin; the module itself reads and checks the file.
      - Values are taken as written, without templating. JSON is read fastest; YAML is read with
        a safe loader.
      - Entries are checked as strictly as in O(config) (types, choices, required and unknown
        options); messages name the file, the entry and the option (C(config_file[3].service)) and
        never show a value of a secret option.
    type: path
notes:
  - The file named by O(config_file) is read where the module runs, which for these modules is the
    controller (C(ansible_connection=local)).
'''
