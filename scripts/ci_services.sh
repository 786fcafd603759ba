#!/usr/bin/env bash
# Bring up the external services the test-suite needs, idempotently:
#
#   * a private PostgreSQL cluster (Debian package `postgresql`) listening on
#     127.0.0.1 only, with role/database for the tests;
#   * Debian `chromium` + `chromium-driver` (/usr/bin/chromium, /usr/bin/chromedriver)
#     for the Playwright browser tests (Playwright never downloads a browser).
#
# Usage (stdout carries exactly one line, everything else goes to stderr):
#
#   line=$(scripts/ci_services.sh) && eval "$line"   # exports NEWSGRAPH_TEST_PG
#
# (Prefer the two-step form above to `eval "$(scripts/ci_services.sh)"`: the exit
# status of a command substitution inside `eval` is lost, so `set -e` would not
# notice a failure.)
#
# Safe on a developer machine: the cluster lives in its own directory on its own
# port, so it never touches a system PostgreSQL (e.g. the Debian `main` cluster on
# 5432). Running it again reuses the running cluster. Stop it with
#   pg_ctl -D "${NEWSGRAPH_PG_DIR:-/tmp/newsgraph-pg}/data" stop   (as its owner)
#
# Settings (environment, all optional):
#   NEWSGRAPH_PG_DIR       cluster directory          (default /tmp/newsgraph-pg)
#   NEWSGRAPH_PG_PORT      TCP port on 127.0.0.1      (default 54329)
#   NEWSGRAPH_PG_USER      test role                  (default newsgraph)
#   NEWSGRAPH_PG_PASSWORD  its password               (default newsgraph)
#   NEWSGRAPH_PG_DB        test database              (default newsgraph_test)
#   NEWSGRAPH_PG_TIMEOUT   seconds to wait for server (default 60)
#   NEWSGRAPH_SKIP_APT=1   never run apt-get (fail if something is missing)
set -euo pipefail

# Keep stdout clean for the final `export` line: fd 3 is the real stdout, and
# everything else (ours, apt's, postgres') goes to stderr.
exec 3>&1 1>&2

PG_DIR=${NEWSGRAPH_PG_DIR:-/tmp/newsgraph-pg}
PG_PORT=${NEWSGRAPH_PG_PORT:-54329}
PG_USER=${NEWSGRAPH_PG_USER:-newsgraph}
PG_PASSWORD=${NEWSGRAPH_PG_PASSWORD:-newsgraph}
PG_DB=${NEWSGRAPH_PG_DB:-newsgraph_test}
PG_TIMEOUT=${NEWSGRAPH_PG_TIMEOUT:-60}
PG_HOST=127.0.0.1
APT_PACKAGES=(postgresql chromium chromium-driver)

log() { printf 'ci_services: %s\n' "$*" >&2; }
die() { printf 'ci_services: ERROR: %s\n' "$*" >&2; exit 1; }

# The values end up unquoted in a URL; keep them URL-safe rather than escaping.
for v in PG_USER PG_PASSWORD PG_DB; do
    [[ ${!v} =~ ^[A-Za-z0-9_]+$ ]] || die "$v must match [A-Za-z0-9_]+ (got '${!v}')"
done
[[ $PG_PORT =~ ^[0-9]+$ ]] || die "NEWSGRAPH_PG_PORT must be a number (got '$PG_PORT')"
[[ $PG_TIMEOUT =~ ^[0-9]+$ ]] || die "NEWSGRAPH_PG_TIMEOUT must be a number (got '$PG_TIMEOUT')"

# Run a command as root: directly if we are root, else via sudo if available.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' (not root and no sudo)"
    fi
}

# ---------------------------------------------------------------- packages --
is_installed() {
    dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    [[ ${NEWSGRAPH_SKIP_APT:-0} == 1 ]] && die "missing Debian packages: ${missing[*]} (NEWSGRAPH_SKIP_APT=1)"
    log "installing Debian packages: ${missing[*]}"
    start=$SECONDS
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    log "apt install took $((SECONDS - start))s"
else
    log "Debian packages already installed: ${APT_PACKAGES[*]}"
fi
for f in /usr/bin/chromium /usr/bin/chromedriver; do
    [[ -x $f ]] || die "$f not found after installing chromium/chromium-driver"
done

# Debian keeps the server binaries out of PATH; take the newest installed major.
PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[[ -n $PG_BIN && -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] \
    || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
PG_MAJOR=$(basename "$(dirname "$PG_BIN")")

# ------------------------------------------------------- cluster ownership --
# The server refuses to run as root. Use the owner of an existing cluster
# directory; otherwise `postgres` when we are root, or ourselves when not
# (a developer can then run this without any sudo once packages exist).
if [[ -e $PG_DIR ]]; then
    PG_OS_USER=$(stat -c %U "$PG_DIR")
elif [[ $(id -u) -eq 0 ]]; then
    PG_OS_USER=postgres
else
    PG_OS_USER=$(id -un)
fi
[[ $PG_OS_USER != root ]] || die "$PG_DIR is owned by root; remove it or set NEWSGRAPH_PG_DIR"
id "$PG_OS_USER" >/dev/null 2>&1 || die "user '$PG_OS_USER' does not exist"

# Run a command as the cluster owner, from / (the caller's cwd may be unreadable
# for them), without PG* variables from the caller's environment, and with the
# lock fd 9 and the result fd 3 closed (else the server would inherit them: it would hold the lock
# forever, and the caller's $(...) would never see the end of our output).
as_pg() {
    local clean=(env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGPASSWORD -u PGSERVICE -u PGDATA)
    if [[ $(id -un) == "$PG_OS_USER" ]]; then
        (cd / && "${clean[@]}" "$@") 9<&- 3>&-
    elif [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u "$PG_OS_USER" -- "${clean[@]}" "$@") 9<&- 3>&-
    elif command -v sudo >/dev/null 2>&1; then
        (cd / && sudo -u "$PG_OS_USER" -- "${clean[@]}" "$@") 9<&- 3>&-
    else
        die "need to run as '$PG_OS_USER' (owner of $PG_DIR) but have no sudo"
    fi
}

DATA=$PG_DIR/data
SOCK=$PG_DIR/run
LOGFILE=$PG_DIR/postgres.log

# Tail of the server log on failure (the log is readable by its owner only).
show_log() { as_pg tail -n 30 "$LOGFILE" >&2 2>/dev/null || true; }

# ------------------------------------------------------------------ initdb --
if [[ ! -d $PG_DIR ]]; then
    # Root creates it for `postgres`; a non-root user creates it for themself.
    if [[ $(id -u) -eq 0 ]]; then
        install -d -m 0755 -o "$PG_OS_USER" -g "$(id -gn "$PG_OS_USER")" "$PG_DIR"
    else
        install -d -m 0755 "$PG_DIR"
    fi
fi
# Serialise concurrent runs (two sessions starting at once) on the directory.
exec 9<"$PG_DIR"
flock -w "$PG_TIMEOUT" 9 || die "timed out waiting for another ci_services.sh run (lock on $PG_DIR)"
as_pg mkdir -p "$SOCK"

if ! as_pg test -f "$DATA/PG_VERSION"; then
    ! as_pg test -e "$DATA" || die "$DATA exists but is not a PostgreSQL cluster; remove it"
    log "initialising PostgreSQL $PG_MAJOR cluster in $DATA (owner $PG_OS_USER)"
    # initdb into a scratch directory and rename, so an interrupted run never
    # leaves a half-made cluster behind; clear earlier leftovers (ours by name).
    as_pg find "$PG_DIR" -maxdepth 1 -name 'data.init.*' -exec rm -rf {} +
    tmp=$PG_DIR/data.init.$$
    as_pg "$PG_BIN/initdb" -D "$tmp" --encoding=UTF8 --locale=C \
        --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    # Test-only settings: TCP on loopback only, private socket dir, speed over durability.
    as_pg tee -a "$tmp/postgresql.conf" >/dev/null <<'EOF'

# --- added by scripts/ci_services.sh (throwaway test cluster) ---
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    as_pg mv -T "$tmp" "$DATA"
else
    have=$(as_pg cat "$DATA/PG_VERSION")
    [[ $have == "$PG_MAJOR" ]] \
        || die "$DATA is a PostgreSQL $have cluster but binaries are $PG_MAJOR; remove $PG_DIR"
fi

# ------------------------------------------------------------------- start --
# Port, socket dir and listen address are given on the command line so they
# follow this script's settings even for an existing cluster.
PG_OPTS="-c listen_addresses=$PG_HOST -c port=$PG_PORT -c unix_socket_directories=$SOCK"

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start_server() {
    log "starting PostgreSQL on $PG_HOST:$PG_PORT (log: $LOGFILE)"
    # pg_ctl copes with a stale postmaster.pid itself (e.g. after a crash/reboot).
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -o "$PG_OPTS" -w -t "$PG_TIMEOUT" start >/dev/null \
        || { show_log; die "PostgreSQL failed to start on $PG_HOST:$PG_PORT (port in use? see $LOGFILE)"; }
}

if pg_running; then
    # postmaster.pid line 4 is the port the running server uses.
    running_port=$(as_pg sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true)
    if [[ $running_port == "$PG_PORT" ]]; then
        log "PostgreSQL already running in $DATA on port $PG_PORT"
    else
        log "PostgreSQL running on port ${running_port:-?}, restarting on $PG_PORT"
        as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -o "$PG_OPTS" -w -t "$PG_TIMEOUT" restart -m fast >/dev/null \
            || { show_log; die "could not restart PostgreSQL (log: $LOGFILE)"; }
    fi
else
    start_server
fi

# -------------------------------------------------------------------- wait --
# pg_ctl -w already waits; this also proves TCP on 127.0.0.1 answers. If the
# server turns out to be gone (e.g. a just-killed postmaster still looked alive
# above), start it once more.
deadline=$((SECONDS + PG_TIMEOUT))
restarted=0
until "$PG_BIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 2; do
    if ((SECONDS >= deadline)); then
        show_log
        die "PostgreSQL not accepting connections on $PG_HOST:$PG_PORT after ${PG_TIMEOUT}s (log: $LOGFILE)"
    fi
    if ((!restarted)) && ! pg_running; then
        restarted=1
        start_server
        continue
    fi
    sleep 1
done

# ---------------------------------------------------------- role and db ----
# Superuser connection over the private socket (peer auth as the cluster owner).
# \gexec runs each generated statement only when the object is missing; the
# password is (re)set every time so it always matches this script's setting.
as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PG_PORT" -U "$PG_OS_USER" -d postgres \
    -v user="$PG_USER" -v pw="$PG_PASSWORD" -v db="$PG_DB" <<'SQL' >/dev/null
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'user', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL

# Final check with the very credentials the tests will use, over TCP.
PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
    -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -c 'SELECT 1' >/dev/null \
    || die "cannot log in as $PG_USER to $PG_DB on $PG_HOST:$PG_PORT"

URL="postgresql+psycopg://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"
log "PostgreSQL ready: $URL"
printf 'export NEWSGRAPH_TEST_PG=%s\n' "$URL" >&3
