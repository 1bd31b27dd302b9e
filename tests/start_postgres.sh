#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the store tests and print its URL.
# Installs Debian's postgresql package when the server binaries are missing. The cluster
# lives in a temporary folder and listens on 127.0.0.1 only; the tests stop it (tests/conftest.py).
set -euo pipefail
PORT="${HMIP_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN="$(find_bin)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
    BIN="$(find_bin)"
fi

DATA="$(mktemp -d /tmp/hmip-pg.XXXXXX)"
RUN=()
if [ "$(id -u)" -eq 0 ]; then          # the server refuses to run as root
    chown postgres: "$DATA"
    RUN=(runuser -u postgres --)
fi
"${RUN[@]}" "$BIN/initdb" -D "$DATA/data" -A trust -U hmip -E UTF8 >"$DATA/initdb.log" 2>&1
"${RUN[@]}" "$BIN/pg_ctl" -D "$DATA/data" -l "$DATA/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off" start >&2
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U hmip hmip_test
echo "$DATA" > "${HMIP_PG_STATE:-/tmp/hmip-pg.last}"
echo "postgresql://hmip@127.0.0.1:$PORT/hmip_test"
