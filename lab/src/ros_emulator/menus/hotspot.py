"""/ip/hotspot, its server profiles, users, user profiles and active logins.

Written from MikroTik's HotSpot manual pages (wiki Manual:IP/Hotspot/*, help.mikrotik.com),
RouterOS's `/console/inspect` argument lists (7.15) and routeros-api.md. Facts not seen in a
primary source say "unverified".
"""
from __future__ import annotations

from ..schema import RUNTIME, Field, Menu
from ..values import (
    Bool, Duration, Enum, Flags, Int, InterfaceRef, IPAddress, MacAddress, Name, OneOf, RateLimit, Ref,
    Text,
)
from ._common import COMMON, ONLY_V6
from .ppp import current_uptime, stamp_uptime

POOL_OR_NONE = Ref(("/ip/pool",), special=("none",))
TIMEOUT = OneOf((Enum(("none",)), Duration()))


class OptionalRateLimit(RateLimit):
    """A rate limit, or nothing (printed as an empty string)."""

    def parse(self, text, router=None):
        return "" if text == "" else super().parse(text, router)


RATE_LIMIT = OptionalRateLimit()
HOTSPOT_PATHS = ("/ip/hotspot",)
PROFILE_PATHS = ("/ip/hotspot/profile",)
USER_PROFILE_PATHS = ("/ip/hotspot/user/profile",)
BYTES = Int(0, 2**64 - 1)

HOTSPOT = Menu(
    "/ip/hotspot",
    [
        Field("name", Name()),
        Field("interface", InterfaceRef(), required=True),
        Field("address-pool", POOL_OR_NONE, default="none"),
        Field("profile", Ref(PROFILE_PATHS), default="default"),
        Field("idle-timeout", TIMEOUT, default="5m"),
        Field("keepalive-timeout", TIMEOUT, default="none"),
        Field("login-timeout", TIMEOUT, default="none"),  # unverified default
        Field("addresses-per-mac", OneOf((Enum(("unlimited",)), Int(1, 4294967295))), default="2"),
        Field("HTTPS", readonly=True),
        Field("invalid", readonly=True),
        Field("disabled", Bool(), default="false"),
    ],
    name_field="name",
    auto_name="hotspot",
    unique=[
        (("name",), "hotspot with the same name already exists"),  # unverified text
        (("interface",), "hotspot already configured on this interface"),  # unverified text
    ],
    compute=lambda router, entry: {"HTTPS": "false", "invalid": "false"},
)

LOGIN_BY = Flags(("mac", "cookie", "http-chap", "https", "http-pap", "trial", "mac-cookie"))
MAC_FORMATS = ("XX XX XX XX XX XX", "XX:XX:XX:XX:XX:XX", "XXXXXX-XXXXXX", "XXXXXXXXXXXX",
               "XX-XX-XX-XX-XX-XX", "XXXX:XXXX:XXXX", "XXXXXX:XXXXXX")

PROFILE = Menu(
    "/ip/hotspot/profile",
    [
        Field("name", Name()),
        Field("hotspot-address", IPAddress(), default="0.0.0.0"),  # unverified default
        Field("dns-name", Text(), default=""),
        Field("html-directory", Text(), default="hotspot"),  # flash/hotspot on boards with /flash
        Field("html-directory-override", Text(), default=""),
        Field("rate-limit", RATE_LIMIT, default=""),
        Field("http-proxy", Text(), default="0.0.0.0:0"),
        Field("smtp-server", IPAddress(), default="0.0.0.0"),
        Field("login-by", LOGIN_BY, default="cookie,http-chap"),  # unverified for 7.x
        Field("http-cookie-lifetime", Duration(), default="3d"),
        Field("https-redirect", Bool(), default="true", dialects=ONLY_V6),  # gone from 7.x
        Field("ssl-certificate", Text(), default="none"),
        Field("split-user-domain", Bool(), default="false"),
        Field("install-hotspot-queue", Bool(), default="false"),
        Field("use-radius", Bool(), default="false"),
        Field("radius-accounting", Bool(), default="true"),
        Field("radius-interim-update", OneOf((Enum(("received",)), Duration())), default="received"),
        Field("radius-default-domain", Text(), default=""),
        Field("radius-location-id", Text(), default=""),
        Field("radius-location-name", Text(), default=""),
        Field("radius-mac-format", Enum(MAC_FORMATS), default="XX:XX:XX:XX:XX:XX"),
        Field("nas-port-type", Text(), default="wireless-802.11"),
        Field("mac-auth-mode", Enum(("mac-as-username", "mac-as-username-and-password")), default="mac-as-username"),
        Field("mac-auth-password", Text(), default=""),
        Field("trial-uptime-limit", Duration(), default="30m"),
        Field("trial-uptime-reset", Duration(), default="1d"),
        Field("trial-user-profile", Ref(USER_PROFILE_PATHS), default="default"),
    ],
    name_field="name",
    auto_name="hsprof",  # unverified: the setup wizard names its profile hsprof1
    unique=[(("name",), "profile with the same name already exists")],  # unverified text
    builtins=[{"name": "default"}],
)

USER_PROFILE = Menu(
    "/ip/hotspot/user/profile",
    [
        Field("name", Name()),
        Field("address-pool", POOL_OR_NONE, default="none"),
        Field("shared-users", OneOf((Enum(("unlimited",)), Int(1, 4294967295))), default="1"),
        Field("rate-limit", RATE_LIMIT, default=""),
        Field("idle-timeout", TIMEOUT, default="none"),
        Field("keepalive-timeout", TIMEOUT, default="2m"),
        Field("session-timeout", Duration()),
        Field("status-autorefresh", TIMEOUT, default="1m"),
        Field("transparent-proxy", Bool(), default="false"),
        Field("add-mac-cookie", Bool(), default="true"),
        Field("mac-cookie-timeout", Duration(), default="3d"),
        Field("address-list", Text(), default=""),
        Field("incoming-filter", Text()),
        Field("outgoing-filter", Text()),
        Field("incoming-packet-mark", Text()),
        Field("outgoing-packet-mark", Text()),
        Field("open-status-page", Enum(("always", "http-login")), default="always"),
        Field("advertise", Bool(), default="false"),
        Field("advertise-interval", Text(), default="30m,10m"),
        Field("advertise-timeout", OneOf((Enum(("immediately", "never")), Duration())), default="1m"),
        Field("advertise-url", Text(), default=""),
        Field("insert-queue-before", Text()),
        Field("parent-queue", Text()),
        Field("queue-type", Text()),
        Field("on-login", Text(), default=""),
        Field("on-logout", Text(), default=""),
    ],
    name_field="name",
    auto_name="uprof",  # unverified
    unique=[(("name",), "profile with the same name already exists")],  # unverified text
    builtins=[{"name": "default"}],
)


def _user_compute(router, entry):
    # counters of the user's past sessions; nothing has logged in on an emulated router
    values = entry.values
    return {
        "uptime": values.get("uptime", "0s"),
        "bytes-in": values.get("bytes-in", "0"),
        "bytes-out": values.get("bytes-out", "0"),
        "packets-in": values.get("packets-in", "0"),
        "packets-out": values.get("packets-out", "0"),
    }


USER = Menu(
    "/ip/hotspot/user",
    [
        Field("server", Ref(HOTSPOT_PATHS, special=("all",)), default="all"),
        Field("name", Name(), required=True),  # unverified: RouterOS may auto-name a user
        Field("password", Text(), default=""),
        Field("profile", Ref(USER_PROFILE_PATHS), default="default"),
        Field("address", IPAddress()),
        Field("mac-address", MacAddress()),
        Field("email", Text()),
        Field("routes", Text()),
        Field("limit-uptime", Duration()),
        Field("limit-bytes-in", BYTES),
        Field("limit-bytes-out", BYTES),
        Field("limit-bytes-total", BYTES),
        Field("uptime", readonly=True),
        Field("bytes-in", readonly=True),
        Field("bytes-out", readonly=True),
        Field("packets-in", readonly=True),
        Field("packets-out", readonly=True),
        *COMMON,
    ],
    name_field="name",
    unique=[(("name",), "user with the same name already exists")],  # unverified text
    compute=_user_compute,
)


def _active_changed(router, entry, op):
    """A login holds the pool address, queue and address lists of subscribers.session_entries."""
    from ..subscribers import session_ended, session_entries

    if op == "remove":
        session_ended(router, "/ip/hotspot/active", entry)
        return
    stamp_uptime(entry)
    router.replace_derived("/ip/hotspot/active", entry, session_entries(router, "/ip/hotspot/active", entry))


ACTIVE = Menu(
    "/ip/hotspot/active",
    [
        Field("server", readonly=True),
        Field("user", readonly=True),
        Field("domain", readonly=True),
        Field("address", readonly=True),
        Field("mac-address", readonly=True),
        Field("login-by", readonly=True, default="http-chap"),  # a default for runtime creation only
        Field("uptime", readonly=True, default="0s"),
        Field("session-time-left", readonly=True),
        Field("idle-time", readonly=True, default="0s"),
        Field("idle-timeout", readonly=True),
        Field("keepalive-timeout", readonly=True),
        Field("limit-bytes-in", readonly=True),
        Field("limit-bytes-out", readonly=True),
        Field("limit-bytes-total", readonly=True),
        Field("bytes-in", readonly=True, default="0"),
        Field("bytes-out", readonly=True, default="0"),
        Field("packets-in", readonly=True, default="0"),
        Field("packets-out", readonly=True, default="0"),
        Field("radius", readonly=True, default="false"),
    ],
    kind=RUNTIME,
    on_change=_active_changed,
    compute=lambda router, entry: {"uptime": current_uptime(entry)},
)

MENUS = [HOTSPOT, PROFILE, USER_PROFILE, USER, ACTIVE]
