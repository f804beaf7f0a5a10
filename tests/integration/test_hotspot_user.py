"""ispkit.routeros.hotspot_user on both dialects (passwords compared, never shown)."""
from __future__ import annotations

from lifecycle import Lifecycle


def test_hotspot_user_lifecycle(playbook):
    Lifecycle(
        module="hotspot_user",
        path="/ip/hotspot/user",
        fields=("name", "password", "server", "profile", "limit-uptime", "comment"),
        secret_fields=("password",),
        merged=[{"name": "guest1", "password": "guest1-pw", "limit_uptime": "1d", "comment": "managed"},
                {"name": "guest2", "password": "g2 pw $x", "server": "all", "comment": "managed"}],
        after_merged=[
            {"name": "guest1", "password": "guest1-pw", "server": "all", "profile": "default", "limit-uptime": "1d",
             "comment": "managed"},
            {"name": "guest2", "password": "g2 pw $x", "server": "all", "profile": "default", "comment": "managed"},
        ],
        replaced=[{"name": "guest1", "password": "new-pw", "comment": "managed"}],  # limit-uptime goes
        foreign=[("/ip/hotspot/user", {"name": "by-hand", "password": "x"})],
        scope={"comment": "managed"},
        overridden=[{"name": "guest3", "password": "guest3-pw"}],
        deleted=[{"name": "guest3"}],
        after_deleted=[{"name": "by-hand", "password": "x", "server": "all", "profile": "default"}],
    ).run(playbook)
