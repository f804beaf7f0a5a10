"""ispkit.routeros.ppp_profile on both dialects: added profiles, and the built-in ones (editable, never removed)."""
from __future__ import annotations

from lifecycle import Lifecycle

FIELDS = ("name", "local-address", "remote-address", "dns-server", "rate-limit", "only-one", "comment")
BUILTIN = [{"name": "default", "only-one": "default"}, {"name": "default-encryption", "only-one": "default"}]


def test_ppp_profile_lifecycle(playbook):
    Lifecycle(
        module="ppp_profile",
        path="/ppp/profile",
        fields=FIELDS,
        merged=[{"name": "pppoe-10M", "local_address": "10.10.10.1", "remote_address": "10.10.10.2",
                 "dns_server": ["10.10.10.1", "8.8.8.8"], "rate_limit": "10M/10M", "only_one": "yes",
                 "comment": "managed"}],
        after_merged=BUILTIN + [
            {"name": "pppoe-10M", "local-address": "10.10.10.1", "remote-address": "10.10.10.2",
             "dns-server": "10.10.10.1,8.8.8.8", "rate-limit": "10M/10M", "only-one": "yes", "comment": "managed"}],
        # replaced: a pool as remote address, addresses and DNS unset, only-one back to its default;
        # the built-in `default` profile is changed like any other
        replaced=[{"name": "pppoe-10M", "remote_address": "pppoe-pool", "rate_limit": "20M/20M", "comment": "managed"},
                  {"name": "default", "only_one": "yes"}],
        foreign=[("/ip/pool", {"name": "pppoe-pool", "ranges": "10.10.10.2-10.10.10.254"}),
                 ("/ppp/profile", {"name": "by-hand", "comment": "other tool"})],
        scope={"comment": "managed"},
        # pppoe-10M goes, pppoe-5M comes (with the scope's comment); built-ins and by-hand stay
        overridden=[{"name": "pppoe-5M", "remote_address": "pppoe-pool", "rate_limit": "5M/5M"}],
        after_deleted=[{"name": "default", "only-one": "yes"}, {"name": "default-encryption", "only-one": "default"},
                       {"name": "by-hand", "only-one": "default", "comment": "other tool"}],
    ).run(playbook)
