#!/usr/bin/env bash
# FerretDB v1 (MongoDB wire protocol) for the real-infrastructure harness, on
# mongodb://127.0.0.1:$CSM_MONGO_PORT, storing its data in the `ferretdb` database of the harness's
# PostgreSQL (started first if needed). The binary is built with Go from the module pinned in
# ferretdb/go.mod into $CSM_INFRA_CACHE/ferretdb/<version>/ferretdb, once per version.
# Usage: ferretdb.sh start|stop|status
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FERRET_MODULE_DIR="${CSM_INFRA_DIR}/ferretdb"
# The version is whatever go.mod pins; it keys the cached binary.
FERRET_VERSION="$(awk '$1 == "github.com/FerretDB/FerretDB" { print $2; exit }' "${FERRET_MODULE_DIR}/go.mod")"
[[ -n "$FERRET_VERSION" ]] || csm_die "ferretdb: no github.com/FerretDB/FerretDB requirement in ${FERRET_MODULE_DIR}/go.mod"
FERRET_BIN="${CSM_INFRA_CACHE}/ferretdb/${FERRET_VERSION}/ferretdb"
FERRET_DATA="$(csm_data_dir ferretdb)"
FERRET_LOG="$(csm_logs_dir)/ferretdb.log"
FERRET_PID="$(csm_run_dir)/ferretdb.pid"
: "${CSM_FERRETDB_LOG_LEVEL:=warn}"

ensure_binary() {
  if [[ -x "$FERRET_BIN" ]]; then return 0; fi
  command -v go >/dev/null 2>&1 \
    || csm_die "ferretdb: ${FERRET_BIN} is not built and there is no Go toolchain (need Go >= 1.24) to build it"
  local build_log tmp="${FERRET_BIN}.tmp.$$" work="${CSM_INFRA_CACHE}/ferretdb/${FERRET_VERSION}/build.$$"
  build_log="$(csm_logs_dir)/ferretdb-build.log"
  mkdir -p "$(dirname "$FERRET_BIN")"
  csm_log "ferretdb: building FerretDB ${FERRET_VERSION} into ${FERRET_BIN} (a few minutes once; log: ${build_log})"
  # When cmd/ferretdb is built, Go records FerretDB as the binary's main module, and FerretDB then
  # panics at start unless build/version/version.txt (generated in its repo, absent from the module
  # zip) holds the version. The module cache is read-only and refuses -overlay, so vendor the pinned
  # module graph into a scratch dir under the cache, add version.txt there, and build from it.
  rm -rf "$work"
  mkdir -p "$work"
  cp "${FERRET_MODULE_DIR}/go.mod" "${FERRET_MODULE_DIR}/go.sum" "$work/"
  if ! (
    cd "$work" &&
      go mod vendor &&
      printf '%s\n' "$FERRET_VERSION" >vendor/github.com/FerretDB/FerretDB/build/version/version.txt &&
      go build -mod=vendor -trimpath -o "$tmp" github.com/FerretDB/FerretDB/cmd/ferretdb &&
      "$tmp" --version
  ) >"$build_log" 2>&1; then
    rm -rf "$work" "$tmp"
    csm_die "ferretdb: build failed; see ${build_log}"
  fi
  rm -rf "$work"
  mv -f "$tmp" "$FERRET_BIN"
}

do_start() {
  if csm_pid_alive "$FERRET_PID"; then
    csm_wait_until ferretdb "$FERRET_LOG" "$FERRET_PID" csm_port_open "$CSM_MONGO_PORT"
    csm_log "ferretdb: already running on 127.0.0.1:${CSM_MONGO_PORT}"
    return 0
  fi
  if csm_port_open "$CSM_MONGO_PORT"; then
    csm_die "ferretdb: port ${CSM_MONGO_PORT} is taken by another process; set CSM_MONGO_PORT or stop it"
  fi
  ensure_binary
  # Its backend; idempotent and fast when PostgreSQL is already up. Runs in a child without fd 9.
  bash "${CSM_INFRA_DIR}/postgres.sh" start 9>&-

  csm_rotate_log "$FERRET_LOG"
  csm_log "ferretdb: starting ${FERRET_VERSION} on 127.0.0.1:${CSM_MONGO_PORT} (log: ${FERRET_LOG})"
  # The backend URL goes through the environment so its password is not in `ps` output.
  FERRETDB_POSTGRESQL_URL="postgres://${CSM_PG_USER}:${CSM_PG_PASSWORD}@127.0.0.1:${CSM_PG_PORT}/${CSM_FERRETDB_PG_DB}?plan_cache_mode=force_custom_plan" \
    setsid "$FERRET_BIN" \
      --handler=postgresql \
      --listen-addr="127.0.0.1:${CSM_MONGO_PORT}" \
      --state-dir="$FERRET_DATA" \
      --telemetry=disable \
      --test-enable-nested-pushdown \
      --debug-addr=- \
      --log-level="$CSM_FERRETDB_LOG_LEVEL" \
      </dev/null >>"$FERRET_LOG" 2>&1 9>&- &
  csm_write_pid "$FERRET_PID" $! "$FERRET_BIN"
  csm_wait_until ferretdb "$FERRET_LOG" "$FERRET_PID" csm_port_open "$CSM_MONGO_PORT"
  csm_log "ferretdb: ready"
}

do_stop() {
  csm_stop_pid ferretdb "$FERRET_PID" 20
}

do_status() {
  local detail
  detail="url=$(csm_mongo_url) version=${FERRET_VERSION} backend=postgresql:${CSM_FERRETDB_PG_DB} log=${FERRET_LOG}"
  if csm_pid_alive "$FERRET_PID" && csm_port_open "$CSM_MONGO_PORT"; then
    csm_status_line ferretdb 0 "$detail"
  else
    csm_status_line ferretdb 1 "$detail"
    return 1
  fi
}

case "${1:-}" in
  start) csm_with_lock ferretdb do_start ;;
  stop) csm_with_lock ferretdb do_stop ;;
  status) do_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
