"""A real FreeRADIUS (Debian's `freeradius` package) for the subscriber tests: its own
configuration directory, free loopback ports, a `users` file, and the accounting it received
(the `detail` module's file).

tests/scripts/ensure-freeradius.sh installs the package (as root); `available()` runs it once and
gives the reason to skip when the package cannot be had.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
ENSURE = REPOSITORY / "tests" / "scripts" / "ensure-freeradius.sh"
SKIP_EXIT = 3

# A server with only what the tests need: PAP and CHAP against the `users` file, accounting to a
# detail file, two NAS clients (127.0.0.1 with `secret`, 127.0.0.2 with `secret`-2) that must send
# Message-Authenticator (as radius_server's clients).
RADIUSD_CONF = """\
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
raddbdir = {directory}
confdir = ${{raddbdir}}
logdir = ${{raddbdir}}/log
radacctdir = ${{raddbdir}}/acct
run_dir = ${{raddbdir}}/run
db_dir = ${{raddbdir}}
libdir = /usr/lib/freeradius
pidfile = ${{run_dir}}/radiusd.pid
name = freeradius
max_request_time = 30
cleanup_delay = 5
max_requests = 1024
hostname_lookups = no
log {{
  destination = files
  file = ${{logdir}}/radius.log
  auth = yes
}}
security {{
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}}
thread pool {{
  start_servers = 1
  max_servers = 4
  min_spare_servers = 1
  max_spare_servers = 2
}}
client nas {{
  ipaddr = 127.0.0.1
  secret = "{secret}"
  require_message_authenticator = yes
}}
client second-nas {{
  ipaddr = 127.0.0.2
  secret = "{secret}-2"
  require_message_authenticator = yes
}}
modules {{
  pap {{
  }}
  chap {{
  }}
  files {{
    filename = ${{confdir}}/users
  }}
  linelog auth_method {{
    filename = ${{logdir}}/auth-methods.log
    format = "%{{User-Name}} %{{control:Auth-Type}}"
  }}
  detail {{
    filename = ${{radacctdir}}/detail
    permissions = 0600
    header = "%t"
  }}
}}
server default {{
  listen {{
    type = auth
    ipaddr = 127.0.0.1
    port = {auth_port}
  }}
  listen {{
    type = acct
    ipaddr = 127.0.0.1
    port = {acct_port}
  }}
  authorize {{
    files
    chap
    pap
  }}
  authenticate {{
    Auth-Type PAP {{
      pap
    }}
    Auth-Type CHAP {{
      chap
    }}
  }}
  accounting {{
    detail
  }}
  post-auth {{
    auth_method
    # FreeRADIUS 3.2.1 signs no reply unless it carries a Message-Authenticator; RouterOS 7.15+
    # wants one (require-message-auth). `unsigned` users get none, to show what happens then.
    if (&User-Name !~ /^unsigned/) {{
      update reply {{
        &Message-Authenticator := 0x00
      }}
    }}
    Post-Auth-Type REJECT {{
      update reply {{
        &Message-Authenticator := 0x00
      }}
    }}
  }}
}}
"""


@cache
def available() -> str | None:
    """None when FreeRADIUS can run here, else why not (the script's SKIP line)."""
    ran = subprocess.run([str(ENSURE)], capture_output=True, text=True, timeout=600)
    if ran.returncode == SKIP_EXIT:
        return ran.stdout.strip().removeprefix("SKIP: ") or "FreeRADIUS unavailable"
    if ran.returncode != 0:
        raise RuntimeError(f"{ENSURE} failed ({ran.returncode}): {ran.stdout}{ran.stderr}")
    return None


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_detail(text: str) -> list[dict[str, str]]:
    """The records of a detail file: a date line, then `\\tName = Value` lines, a blank line."""
    records = []
    for block in text.split("\n\n"):
        record = {}
        for line in block.splitlines():
            match = re.fullmatch(r"\t([\w-]+) = (.*)", line)
            if match:
                record[match.group(1)] = match.group(2).strip('"')
        if record:
            records.append(record)
    return records


@dataclass
class FreeRadius:
    directory: Path
    users: str  # the `users` file (Cleartext-Password checks, reply attributes)
    secret: str = "nas-secret"
    auth_port: int = field(default_factory=free_udp_port)
    acct_port: int = field(default_factory=free_udp_port)
    process: subprocess.Popen | None = None

    @property
    def log(self) -> Path:
        return self.directory / "log" / "radius.log"

    def start(self, timeout: float = 20) -> "FreeRadius":
        for sub in ("log", "acct", "run"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        (self.directory / "radiusd.conf").write_text(RADIUSD_CONF.format(
            directory=self.directory, secret=self.secret, auth_port=self.auth_port, acct_port=self.acct_port))
        (self.directory / "users").write_text(self.users)
        self.process = subprocess.Popen(
            [shutil.which("freeradius") or "/usr/sbin/freeradius", "-f", "-d", str(self.directory)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"freeradius exited ({self.process.returncode}): "
                                   f"{self.process.stdout.read() if self.process.stdout else ''}"
                                   f"{self.log.read_text() if self.log.exists() else ''}")
            if self.log.exists() and "Ready to process requests" in self.log.read_text():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"freeradius did not get ready in {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def accounting(self) -> list[dict[str, str]]:
        path = self.directory / "acct" / "detail"
        return parse_detail(path.read_text()) if path.exists() else []

    def wait_accounting(self, count: int, timeout: float = 10, **match: str) -> list[dict[str, str]]:
        """Wait until at least `count` accounting records match `match` (field=value)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [r for r in self.accounting() if all(r.get(k.replace("_", "-")) == v for k, v in match.items())]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def auth_methods(self) -> list[str]:
        """`USER METHOD` (PAP or CHAP) for each accepted Access-Request, in order."""
        path = self.directory / "log" / "auth-methods.log"
        return path.read_text().splitlines() if path.exists() else []

    def logged(self, text: str) -> bool:
        return self.log.exists() and text in self.log.read_text()
