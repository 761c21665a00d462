#!/usr/bin/env bash
# Run Apache Superset 6.1 once against the PUBLISHED warehouse, end to end, and print what it sees.
# Not part of CI or `make test`: it installs Superset (~150 packages) into its own venv. docs/access.md,
# section "Apache Superset (tried once)", records a run of it.
#
#   scripts/try_superset.sh
#
# Steps (each one prints its time; the script stops non-zero with a message at the first failing step):
#   1. the published file: POLICY_WH_PUBLISHED, else data/published/warehouse.duckdb, else one built here
#      (`policy-wh build` + `policy-wh publish` from a snapshot of the checkout, into the scratch folder;
#      SUPERSET_TRY_DEMO=1 runs `policy-wh demo` instead, with 18 months of demo submissions)
#   2. a venv of its own (never the project's .venv) with Python 3.11: apache-superset 6.1.0, rich, cachetools,
#      flask-caching<2.4 (Superset 6.1 needs these three added), duckdb 1.5.6 and duckdb-engine 0.17.0
#   3. the project's dialect package duckdb-sqlalchemy>=1.5.6.5 against Superset 6.1 (a dry-run install: it
#      does not resolve, the message is printed, the script goes on)
#   4. reflection through SQLAlchemy in that venv, duckdb:// and duckdb+policy_wh:// (scripts/try_superset.py)
#   5. Superset's metadata DB (sqlite, in the scratch folder), an admin user, `superset init`
#   6. `superset run` on 127.0.0.1 in the background (stopped when the script ends, whatever happens)
#   7. through the REST API: the file registered twice, read-only ({"connect_args": {"read_only": true}} as
#      engine_params), schema and table lists, a dataset reports.rpt_department_scorecard by reflection,
#      a chart data query and a SQL Lab query; their rows are printed
#
# Settings (environment):
#   SUPERSET_TRY_DIR   scratch folder (default data/superset; data/ is not committed)
#   SUPERSET_VENV      the venv (default $SUPERSET_TRY_DIR/venv; reused when it exists)
#   SUPERSET_PYTHON    the Python 3.11 to build it with (default python3.11)
#   SUPERSET_PORT      port of `superset run` on 127.0.0.1 (default 8088)
#   POLICY_WH_PUBLISHED  the published file to open (read-only)
#   SUPERSET_TRY_DEMO  1: build the file with `policy-wh demo` when none exists
#   SUPERSET_TRY_INSTALLER  pip: use python -m venv and pip even when uv is on PATH (default: uv if found)
#
# Superset's metadata DB is made afresh on every run; the venv and a file built in step 1 are reused.
# Nothing is sent anywhere: only 127.0.0.1 is used, no browser loads the UI (whose bundle carries a Scarf
# pixel; the generated config's Content-Security-Policy allows images from 'self' only anyway).
set -Eeuo pipefail

SUPERSET_VERSION=6.1.0
DUCKDB_VERSION=1.5.6
DUCKDB_ENGINE_VERSION=0.17.0
DIALECT_PACKAGE="duckdb-sqlalchemy>=1.5.6.5"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRATCH=$(mkdir -p "${SUPERSET_TRY_DIR:-$ROOT/data/superset}" && cd "${SUPERSET_TRY_DIR:-$ROOT/data/superset}" && pwd)
VENV=${SUPERSET_VENV:-$SCRATCH/venv}
PYTHON=${SUPERSET_PYTHON:-python3.11}
PORT=${SUPERSET_PORT:-8088}
HOME_DIR=$SCRATCH/home          # SUPERSET_HOME: config, metadata DB, logs
LOGS=$HOME_DIR/logs

STEP="start"
SERVER_PID=""
T0=$EPOCHREALTIME
T_STEP=$T0

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
step() {
    [[ $STEP == start ]] || echo "   ($(seconds "$T_STEP" "$EPOCHREALTIME") s)"
    STEP=$1; T_STEP=$EPOCHREALTIME
    echo; echo "== $STEP"
}
fail() { echo "try_superset: FAILED at step '$STEP': $*" >&2; exit 1; }
on_error() { echo "try_superset: FAILED at step '$STEP' (command exited $1: $2)" >&2; }
trap 'on_error $? "$BASH_COMMAND"' ERR
stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        echo "stopped superset run (pid $SERVER_PID)"
    fi
}
trap stop_server EXIT

# run_logged LOG CMD...: the command's output goes to LOG; on failure its last lines are shown.
run_logged() {
    local log=$1; shift
    if ! "$@" >"$log" 2>&1; then
        echo "--- last lines of $log:" >&2; tail -n 30 "$log" >&2
        fail "$(basename "$1") ${2:-} failed (log: $log)"
    fi
}

# ------------------------------------------------------------------------------------------------------------
step "1. the published warehouse"
if [[ -n ${POLICY_WH_PUBLISHED:-} ]]; then
    PUBLISHED=$POLICY_WH_PUBLISHED
    [[ -f $PUBLISHED ]] || fail "POLICY_WH_PUBLISHED=$PUBLISHED does not exist"
elif [[ -f $ROOT/data/published/warehouse.duckdb ]]; then
    PUBLISHED=$ROOT/data/published/warehouse.duckdb
else
    WH_DATA=$SCRATCH/warehouse
    PUBLISHED=$WH_DATA/published/warehouse.duckdb
    if [[ -f $PUBLISHED ]]; then
        echo "no data/published/warehouse.duckdb; reusing the one this script built before"
    else
        POLICY_WH=$ROOT/.venv/bin/policy-wh
        [[ -x $POLICY_WH ]] || fail "no published file and no $POLICY_WH to build one: run 'make env' (or set POLICY_WH_PUBLISHED)"
        command -v git >/dev/null || fail "git is needed to snapshot the checkout"
        # A snapshot of the checkout (tracked and untracked, not ignored files), so that building touches
        # neither dbt/target nor data/warehouse.duckdb of the checkout.
        SNAPSHOT=$SCRATCH/checkout
        rm -rf "$SNAPSHOT" "$WH_DATA"; mkdir -p "$SNAPSHOT" "$WH_DATA"
        (cd "$ROOT" && git ls-files -co --exclude-standard -z \
            | while IFS= read -r -d '' f; do if [[ -e $f ]]; then printf '%s\0' "$f"; fi; done \
            | tar --null -T - -cf -) | tar -xf - -C "$SNAPSHOT"
        build_env=(env -u POLICY_WH_DB -u POLICY_WH_PUBLISHED -u POLICY_WH_INBOX -u POLICY_WH_SOURCE -u DAGSTER_HOME
                   POLICY_WH_ROOT="$SNAPSHOT" POLICY_WH_DATA="$WH_DATA")
        if [[ ${SUPERSET_TRY_DEMO:-0} == 1 ]]; then
            echo "building with policy-wh demo into $WH_DATA (log: $WH_DATA/build.log)"
            run_logged "$WH_DATA/build.log" "${build_env[@]}" "$POLICY_WH" demo
        else
            echo "building with policy-wh build + publish into $WH_DATA (log: $WH_DATA/build.log)"
            run_logged "$WH_DATA/build.log" "${build_env[@]}" "$POLICY_WH" build
            run_logged "$WH_DATA/publish.log" "${build_env[@]}" "$POLICY_WH" publish
            tail -n 2 "$WH_DATA/publish.log" | head -n 1
        fi
        [[ -f $PUBLISHED ]] || fail "the build finished but $PUBLISHED is missing"
    fi
fi
PUBLISHED=$(cd "$(dirname "$PUBLISHED")" && pwd)/$(basename "$PUBLISHED")
echo "published file: $PUBLISHED ($(du -h "$PUBLISHED" | cut -f1))"

# ------------------------------------------------------------------------------------------------------------
step "2. Superset's own venv: $VENV"
if [[ ${SUPERSET_TRY_INSTALLER:-uv} == uv ]] && command -v uv >/dev/null; then
    [[ -x $VENV/bin/python ]] || uv venv --quiet --python "$PYTHON" "$VENV" || fail "uv venv --python $PYTHON failed"
    install() { VIRTUAL_ENV=$VENV uv pip install "$@"; }
    dry_run() { VIRTUAL_ENV=$VENV uv pip install --dry-run "$@"; }
    new_packages() { grep -c '^ + ' "$1" || true; }
    resolver_message() { grep -v '^Using Python' "$1"; }
    INSTALLER="uv $(uv --version | cut -d' ' -f2) pip"
else
    command -v "$PYTHON" >/dev/null || fail "$PYTHON not found (set SUPERSET_PYTHON to a Python 3.11)"
    [[ -x $VENV/bin/python ]] || "$PYTHON" -m venv "$VENV" || fail "$PYTHON -m venv failed"
    install() { "$VENV/bin/python" -m pip install "$@"; }
    dry_run() { "$VENV/bin/python" -m pip install --dry-run "$@"; }
    new_packages() { awk '/^Successfully installed/ { n = NF - 2 } END { print n + 0 }' "$1"; }
    resolver_message() { sed -n '/^ERROR/,$p' "$1"; }
    INSTALLER="pip"
fi
"$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
    || fail "$VENV has Python $("$VENV/bin/python" -V 2>&1), not 3.11 (remove it or set SUPERSET_VENV)"
mkdir -p "$LOGS"
T_INSTALL=$EPOCHREALTIME
run_logged "$LOGS/install.log" install "apache-superset==$SUPERSET_VERSION" rich cachetools "flask-caching<2.4" \
    "duckdb==$DUCKDB_VERSION" "duckdb-engine==$DUCKDB_ENGINE_VERSION"
echo "installed with $INSTALLER in $(seconds "$T_INSTALL" "$EPOCHREALTIME") s ($(new_packages "$LOGS/install.log") packages newly installed; log: $LOGS/install.log)"
"$VENV/bin/python" -c 'import superset, duckdb_engine' 2>"$LOGS/import.log" \
    || { tail -n 5 "$LOGS/import.log" >&2; fail "superset or duckdb_engine does not import in $VENV"; }

# ------------------------------------------------------------------------------------------------------------
step "3. the project's dialect package ($DIALECT_PACKAGE) next to Superset $SUPERSET_VERSION"
if dry_run "apache-superset==$SUPERSET_VERSION" "$DIALECT_PACKAGE" >"$LOGS/dialect-dry-run.log" 2>&1; then
    echo "it would install:"; grep -E '^ *[+-] ' "$LOGS/dialect-dry-run.log" || cat "$LOGS/dialect-dry-run.log"
else
    echo "does not install (so duckdb+policy_wh:// here is duckdb-engine with plain schema names, scripts/try_superset.py):"
    resolver_message "$LOGS/dialect-dry-run.log" | sed 's/^/  /'
fi

# ------------------------------------------------------------------------------------------------------------
step "4. reflection through SQLAlchemy in Superset's venv"
"$VENV/bin/python" -W ignore "$ROOT/scripts/try_superset.py" probe "$PUBLISHED" || fail "reflection failed (above)"

# ------------------------------------------------------------------------------------------------------------
step "5. Superset's metadata DB, admin user, init"
mkdir -p "$HOME_DIR"
rm -f "$HOME_DIR/superset.db"
"$VENV/bin/python" - "$HOME_DIR" "$ROOT/scripts" <<'EOF'
import secrets, sys
from pathlib import Path

home, scripts = sys.argv[1:]
csp = {"base-uri": ["'self'"], "default-src": ["'self'"], "img-src": ["'self'", "blob:", "data:"],
       "worker-src": ["'self'", "blob:"], "connect-src": ["'self'"], "object-src": "'none'",
       "style-src": ["'self'", "'unsafe-inline'"], "font-src": ["'self'"], "script-src": ["'self'", "'strict-dynamic'"]}
Path(home, "superset_config.py").write_text(f'''\
# Written by scripts/try_superset.sh on every run.
import sys

SECRET_KEY = {secrets.token_urlsafe(42)!r}
SQLALCHEMY_DATABASE_URI = {"sqlite:///" + str(Path(home, "superset.db")) + "?check_same_thread=false"!r}
# only this machine: the UI's images (its bundle has a Scarf pixel), connections and fonts from 'self'
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {{"content_security_policy": {csp!r},
                   "content_security_policy_nonce_in": ["script-src"], "force_https": False,
                   "session_cookie_secure": False}}
FEATURE_FLAGS = {{}}

# duckdb+policy_wh:// (duckdb-engine, the published file's schemas by their plain names)
sys.path.insert(0, {scripts!r})
import try_superset  # noqa: E402,F401
''')
EOF
chmod 600 "$HOME_DIR/superset_config.py"
export SUPERSET_CONFIG_PATH=$HOME_DIR/superset_config.py SUPERSET_HOME=$HOME_DIR FLASK_APP=superset
export SCARF_ANALYTICS=false PYTHONWARNINGS=ignore
ADMIN_PASSWORD=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))')
(umask 077 && printf '%s\n' "$ADMIN_PASSWORD" > "$HOME_DIR/admin_password")
t=$EPOCHREALTIME; run_logged "$LOGS/db-upgrade.log" "$VENV/bin/superset" db upgrade
echo "superset db upgrade: $(seconds "$t" "$EPOCHREALTIME") s"
t=$EPOCHREALTIME; run_logged "$LOGS/create-admin.log" "$VENV/bin/superset" fab create-admin --username admin \
    --firstname Policy --lastname Warehouse --email admin@localhost --password "$ADMIN_PASSWORD"
echo "superset fab create-admin: $(seconds "$t" "$EPOCHREALTIME") s (user admin, password in $HOME_DIR/admin_password)"
t=$EPOCHREALTIME; run_logged "$LOGS/init.log" "$VENV/bin/superset" init
echo "superset init: $(seconds "$t" "$EPOCHREALTIME") s"

# ------------------------------------------------------------------------------------------------------------
step "6. superset run on 127.0.0.1:$PORT"
BASE=http://127.0.0.1:$PORT
answers() { "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null; }
"$VENV/bin/python" -c 'import socket, sys; sys.exit(socket.socket().connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0)' "$PORT" \
    && fail "port $PORT on 127.0.0.1 is taken (set SUPERSET_PORT)"
"$VENV/bin/superset" run -h 127.0.0.1 -p "$PORT" --with-threads >"$LOGS/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 180); do
    answers "$BASE/health" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$LOGS/server.log" >&2; SERVER_PID=""; fail "superset run exited (log: $LOGS/server.log)"; }
    sleep 1
done
answers "$BASE/health" || { tail -n 30 "$LOGS/server.log" >&2; fail "no answer on $BASE/health after 180 s"; }
echo "superset run (pid $SERVER_PID) answers on $BASE/health after $(seconds "$T_STEP" "$EPOCHREALTIME") s (log: $LOGS/server.log)"

# ------------------------------------------------------------------------------------------------------------
step "7. through Superset's REST API"
SUPERSET_TRY_PASSWORD=$ADMIN_PASSWORD "$VENV/bin/python" "$ROOT/scripts/try_superset.py" rest "$BASE" "$PUBLISHED" admin \
    || { echo "--- last lines of $LOGS/server.log:" >&2; tail -n 40 "$LOGS/server.log" >&2; fail "a REST call failed (above)"; }

step "done"
stop_server
SERVER_PID=""
echo "Superset $SUPERSET_VERSION read the published warehouse end to end in $(seconds "$T0" "$EPOCHREALTIME") s."
echo "To look at it in a browser: SUPERSET_CONFIG_PATH=$SUPERSET_CONFIG_PATH SUPERSET_HOME=$HOME_DIR \\"
echo "  $VENV/bin/superset run -h 127.0.0.1 -p $PORT   # then http://127.0.0.1:$PORT, user admin, password in $HOME_DIR/admin_password"
