#!/usr/bin/env bash
# Debian 12 (bookworm) test host: a debootstrap root file system, cached between runs, booted with
# systemd-nspawn (systemd as PID 1) and reached over SSH on 127.0.0.1.
#
#   host.sh check         exit 0 if this machine can run the host, else print "SKIP: <reason>", exit 3
#   host.sh build         build the cached root file system if missing (idempotent)
#   host.sh up            build if needed, boot the container, wait for SSH, print the SSH port (idempotent)
#   host.sh down          stop the container, forget its changes
#   host.sh status        "running <port>" (exit 0) or "stopped" (exit 1)
#   host.sh ssh [CMD...]  run a command in the container over SSH
#   host.sh env           print shell variables describing the host (port, key, user)
#
# The container boots from a read-only view of the cached root file system with a tmpfs overlay
# (--volatile=overlay): every `up` after a `down` starts from a pristine Debian.
# Settings (environment):
#   ISPKIT_HOST_NAME      container name, also its hostname          (default ispkit-debian12)
#   ISPKIT_HOST_SSH_PORT  sshd port on 127.0.0.1                      (default 2222)
#   ISPKIT_HOST_CACHE     cache directory (rootfs, keys, apt archives) (default /var/cache/ispkit-test)
#   ISPKIT_HOST_SUITE     Debian suite                                 (default bookworm)
set -euo pipefail

NAME=${ISPKIT_HOST_NAME:-ispkit-debian12}
PORT=${ISPKIT_HOST_SSH_PORT:-2222}
CACHE=${ISPKIT_HOST_CACHE:-/var/cache/ispkit-test}
SUITE=${ISPKIT_HOST_SUITE:-bookworm}
# Bump when the recipe below changes: a cached rootfs with another stamp is rebuilt.
RECIPE=1
PACKAGES=systemd,systemd-sysv,dbus,python3,python3-apt,openssh-server,ca-certificates,iproute2,procps,sqlite3

ROOTFS=$CACHE/$SUITE-rootfs
STAMP=$ROOTFS/.ispkit-rootfs
KEY=$CACHE/ssh/id_ed25519
APT_ARCHIVES=$CACHE/apt-archives
RUN=$CACHE/run/$NAME
PIDFILE=$RUN/nspawn.pid
LOG=$RUN/console.log

log() { printf '[debian_host] %s\n' "$*" >&2; }

# Prints why this machine cannot run the host; empty when it can.
skip_reason() {
    [ "$(uname -s)" = Linux ] || { echo "not Linux ($(uname -s)): systemd-nspawn needs Linux"; return; }
    [ "$(id -u)" = 0 ] || { echo "not root: debootstrap and systemd-nspawn need root"; return; }
    if ! command -v systemd-nspawn >/dev/null || ! command -v debootstrap >/dev/null; then
        command -v apt-get >/dev/null \
            || { echo "systemd-nspawn/debootstrap missing and no apt-get to install them"; return; }
    fi
    grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null \
        || { echo "kernel has no overlayfs (needed for --volatile=overlay)"; return; }
    return 0
}

cmd_check() {
    local reason
    reason=$(skip_reason)
    if [ -n "$reason" ]; then echo "SKIP: Debian test host unavailable: $reason"; exit 3; fi
}

ensure_tools() {
    local missing=()
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
    command -v ssh >/dev/null || missing+=(openssh-client)
    command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing host packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

ensure_key() {
    [ -f "$KEY" ] && return
    mkdir -p "$(dirname "$KEY")"
    ssh-keygen -q -t ed25519 -N '' -C "ispkit-test-host" -f "$KEY"
}

cmd_build() {
    cmd_check
    ensure_tools
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$RECIPE $SUITE $PACKAGES" ]; then
        return
    fi
    local start tmp
    start=$(date +%s)
    tmp=$ROOTFS.tmp.$$
    rm -rf "$tmp"
    mkdir -p "$CACHE"
    log "building Debian $SUITE root file system in $ROOTFS (takes a minute or two)"
    # No mirror argument: debootstrap's default mirror is the right one.
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$tmp" >"$CACHE/debootstrap.log" 2>&1 || {
        tail -n 20 "$CACHE/debootstrap.log" >&2; rm -rf "$tmp"; log "debootstrap failed"; exit 1; }
    # Package lists inside the image, so `apt-get install` works without an update first.
    chroot "$tmp" apt-get update -qq >/dev/null
    chroot "$tmp" apt-get clean
    # Keep downloaded packages between boots (apt-archives is bind-mounted over this directory).
    rm -f "$tmp/etc/apt/apt.conf.d/docker-clean"
    echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' >"$tmp/etc/apt/apt.conf.d/10ispkit-keep-debs"
    # The host's network is shared: nothing in the container may take the host's port 22.
    chroot "$tmp" systemctl disable ssh.socket >/dev/null 2>&1 || true
    rm -f "$tmp/etc/ssh/sshd_config.d/"*.conf
    # Units that make no sense in a container sharing the host's network and clock.
    chroot "$tmp" systemctl mask systemd-timesyncd.service systemd-networkd.service \
        systemd-resolved.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
        fstrim.timer >/dev/null 2>&1 || true
    echo "$SUITE" >"$tmp/etc/hostname"
    mkdir -p "$tmp/root/.ssh"
    chmod 700 "$tmp/root/.ssh"
    echo "$RECIPE $SUITE $PACKAGES" >"$tmp/.ispkit-rootfs"
    rm -rf "$ROOTFS"
    mv "$tmp" "$ROOTFS"
    log "root file system built in $(( $(date +%s) - start )) s ($(du -sh "$ROOTFS" | cut -f1))"
}

running_pid() {
    local pid
    [ -f "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = systemd-nspawn ] \
        && echo "$pid"
}

ssh_opts() {
    printf '%s\n' -i "$KEY" -p "$PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o LogLevel=ERROR -o BatchMode=yes -o ConnectTimeout=3
}

cmd_ssh() {
    local opts
    mapfile -t opts < <(ssh_opts)
    exec ssh "${opts[@]}" root@127.0.0.1 "$@"
}

port_busy() {
    # true when something already listens on 127.0.0.1:$PORT or *:$PORT
    ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .
}

cmd_up() {
    cmd_check
    if running_pid >/dev/null; then
        wait_ssh 5 && { echo "$PORT"; return; }
    fi
    cmd_build
    ensure_key
    if port_busy; then
        log "port $PORT on this machine is already in use: set ISPKIT_HOST_SSH_PORT to a free port"
        exit 1
    fi
    local start
    start=$(date +%s)
    mkdir -p "$RUN" "$APT_ARCHIVES/partial"
    cp "$KEY.pub" "$RUN/authorized_keys"
    cat >"$RUN/sshd.conf" <<CONF
# written by tests/debian_host/host.sh: the container shares the host's network
Port $PORT
ListenAddress 127.0.0.1
PermitRootLogin prohibit-password
PasswordAuthentication no
UseDNS no
CONF
    # --register=no --keep-unit: the machine has no systemd/machined to register with.
    # --volatile=overlay: the cached rootfs stays pristine, changes live in a tmpfs.
    rm -f "$PIDFILE"
    # In its own session, so it outlives the caller. setsid forks when it leads a process group,
    # so $! may not be nspawn's PID: the shell writes its own PID, then becomes nspawn.
    # shellcheck disable=SC2016  # $$ and "$@" expand in the inner shell
    setsid sh -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
        systemd-nspawn --quiet --register=no --keep-unit --boot \
        --directory="$ROOTFS" --volatile=overlay --machine="$NAME" --console=read-only \
        --bind-ro="$RUN/authorized_keys:/root/.ssh/authorized_keys" \
        --bind-ro="$RUN/sshd.conf:/etc/ssh/sshd_config.d/ispkit-test.conf" \
        --bind="$APT_ARCHIVES:/var/cache/apt/archives" \
        </dev/null >"$LOG" 2>&1 &
    for _ in $(seq 1 50); do
        running_pid >/dev/null && break
        sleep 0.1
    done
    if ! wait_ssh 90; then
        log "container did not answer SSH on 127.0.0.1:$PORT within 90 s; console log:"
        tail -n 30 "$LOG" >&2
        cmd_down
        exit 1
    fi
    log "container $NAME up in $(( $(date +%s) - start )) s, SSH on 127.0.0.1:$PORT"
    echo "$PORT"
}

# Waits up to $1 seconds for systemd to finish booting and SSH to answer.
wait_ssh() {
    local deadline opts state
    deadline=$(( $(date +%s) + $1 ))
    mapfile -t opts < <(ssh_opts)
    while [ "$(date +%s)" -lt "$deadline" ]; do
        running_pid >/dev/null || return 1
        state=$(ssh "${opts[@]}" root@127.0.0.1 systemctl is-system-running 2>/dev/null || true)
        case "$state" in
            running|degraded) return 0 ;;
        esac
        sleep 0.5
    done
    return 1
}

cmd_down() {
    local pid
    pid=$(running_pid) || { rm -f "$PIDFILE"; return 0; }
    # SIGTERM makes systemd-nspawn ask the container's systemd for an orderly shutdown.
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "container did not stop in 30 s, killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    log "container $NAME stopped"
}

cmd_status() {
    if running_pid >/dev/null; then echo "running $PORT"; else echo "stopped"; return 1; fi
}

cmd_env() {
    cat <<ENV
ISPKIT_HOST_NAME=$NAME
ISPKIT_HOST_SSH_PORT=$PORT
ISPKIT_HOST_SSH_KEY=$KEY
ISPKIT_HOST_SSH_USER=root
ISPKIT_HOST_ADDRESS=127.0.0.1
ENV
}

case "${1:-}" in
    check) cmd_check ;;
    build) cmd_build ;;
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    ssh) shift; cmd_ssh "$@" ;;
    env) cmd_env ;;
    *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
