#!/usr/bin/env bash
# PostgreSQL for the real-infrastructure harness: Debian's server binaries, a private cluster under
# $CSM_INFRA_STATE/data/postgres run as the `postgres` OS user (the server refuses root), listening
# on 127.0.0.1:$CSM_PG_PORT only. Creates role csm/csm (CREATEDB, for throw-away test databases),
# database csm, and database ferretdb (FerretDB's backend).
# Usage: postgres.sh start|stop|status
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_OS_USER=postgres
PG_DATA="$(csm_data_dir postgres)"
PG_LOG="$(csm_logs_dir)/postgres.log"
PG_SOCKET_DIR="$(csm_run_dir)/postgres"

as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }

# The newest installed major, unless the cluster was made by another installed one.
pg_bindir() {
  local want=""
  [[ -s "$PG_DATA/PG_VERSION" ]] && want="$(<"$PG_DATA/PG_VERSION")"
  if [[ -n "$want" && -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]]; then
    printf '%s\n' "/usr/lib/postgresql/$want/bin"; return 0
  fi
  local dir
  dir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$dir" ]] || return 1
  if [[ -n "$want" ]]; then
    csm_die "postgres: ${PG_DATA} was initialised by PostgreSQL ${want}, whose binaries are gone; remove that directory to re-create it"
  fi
  dirname "$dir"
}

install_server() {
  csm_log "postgres: no server binaries under /usr/lib/postgresql; installing Debian's postgresql"
  # Don't let the package create and start its own cluster on 5432: we run a private one.
  mkdir -p /etc/postgresql-common
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
}

# The postgres user must be able to reach its data dir, which by default is under /root (0700).
# Grant traverse-only (x) on the ancestors that lack it; listing stays forbidden.
grant_traverse() {
  local path="" part
  local -a parts
  IFS=/ read -r -a parts <<<"${1#/}"
  for part in "${parts[@]}"; do   # top-down, so each test sees its parents already fixed
    path="${path}/${part}"
    if ! as_pg test -x "$path" 2>/dev/null; then
      if command -v setfacl >/dev/null 2>&1; then
        setfacl -m "u:${PG_OS_USER}:x" "$path"
      else
        chmod o+x "$path"
      fi
      csm_log "postgres: granted traverse permission on ${path} so the ${PG_OS_USER} user can reach its data dir"
    fi
  done
}

psql_admin() {
  as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$CSM_PG_PORT" -U postgres -d postgres
}

bootstrap_sql() {
  psql_admin <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${CSM_PG_USER}') THEN
    CREATE ROLE ${CSM_PG_USER} LOGIN CREATEDB PASSWORD '${CSM_PG_PASSWORD}';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE ${CSM_PG_DB} OWNER ${CSM_PG_USER}'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${CSM_PG_DB}') \gexec
SELECT 'CREATE DATABASE ${CSM_FERRETDB_PG_DB} OWNER ${CSM_PG_USER}'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${CSM_FERRETDB_PG_DB}') \gexec
SQL
}

running() { as_pg "$BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

ready() { as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$CSM_PG_PORT" -d postgres >/dev/null 2>&1; }

do_start() {
  BIN="$(pg_bindir)" || { install_server; BIN="$(pg_bindir)" || csm_die "postgres: no server binaries after install"; }

  grant_traverse "$PG_DATA"
  chown "$PG_OS_USER:" "$PG_DATA"
  chmod 700 "$PG_DATA"
  mkdir -p "$PG_SOCKET_DIR"
  chown "$PG_OS_USER:" "$PG_SOCKET_DIR"
  chmod 700 "$PG_SOCKET_DIR"
  touch "$PG_LOG"
  chown "$PG_OS_USER:" "$PG_LOG"

  if running; then
    ready || csm_wait_until postgres "$PG_LOG" "" ready
    bootstrap_sql
    csm_log "postgres: already running on 127.0.0.1:${CSM_PG_PORT}"
    return 0
  fi
  if csm_port_open "$CSM_PG_PORT"; then
    csm_die "postgres: port ${CSM_PG_PORT} is taken by another process; set CSM_PG_PORT or stop it"
  fi

  if [[ ! -s "$PG_DATA/PG_VERSION" ]]; then
    csm_log "postgres: initialising cluster in ${PG_DATA}"
    # Local (socket) connections: peer, i.e. only the postgres OS user; TCP: passwords.
    as_pg "$BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 --no-instructions >>"$PG_LOG" 2>&1 \
      || csm_die "postgres: initdb failed; see ${PG_LOG}"
    as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<'CONF'

# --- csm test-harness settings ---
max_connections = 200
shared_buffers = 128MB
# Durable enough for tests (fsync stays on); a crash may only lose the last few commits.
synchronous_commit = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = -1
# Rewritten on every start from the environment (port, socket dir).
include_if_exists = 'csm-runtime.conf'
CONF
  fi
  as_pg tee "$PG_DATA/csm-runtime.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = ${CSM_PG_PORT}
unix_socket_directories = '${PG_SOCKET_DIR}'
CONF

  csm_log "postgres: starting on 127.0.0.1:${CSM_PG_PORT} (log: ${PG_LOG})"
  as_pg "$BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$CSM_INFRA_TIMEOUT" start >/dev/null 9>&- \
    || csm_die "postgres: failed to start within ${CSM_INFRA_TIMEOUT}s; see ${PG_LOG}"
  csm_wait_until postgres "$PG_LOG" "" ready
  bootstrap_sql
  csm_log "postgres: ready"
}

do_stop() {
  BIN="$(pg_bindir)" || { csm_log "postgres: not installed"; return 0; }
  if ! running; then
    csm_log "postgres: not running"
    return 0
  fi
  as_pg "$BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null \
    || csm_die "postgres: failed to stop; see ${PG_LOG}"
  csm_log "postgres: stopped"
}

do_status() {
  local detail
  detail="$(csm_pg_url | sed "s/:${CSM_PG_PASSWORD}@/:***@/") data=${PG_DATA} log=${PG_LOG}"
  if BIN="$(pg_bindir 2>/dev/null)" && ready; then
    csm_status_line postgres 0 "$detail"
  else
    csm_status_line postgres 1 "$detail"
    return 1
  fi
}

case "${1:-}" in
  start) csm_with_lock postgres do_start ;;
  stop) csm_with_lock postgres do_stop ;;
  status) do_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
