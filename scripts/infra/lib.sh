# shellcheck shell=bash disable=SC2034 # sourced: the variables are used by the scripts that source it
# Shared settings and helpers for the real-infrastructure harness (sourced, never run).
#
# Everything here is driven by environment variables so CI, a developer and a helper session can
# share one machine: state (data + logs) lives in CSM_INFRA_STATE, downloads and builds are cached
# in CSM_INFRA_CACHE keyed by version (both outside the work tree, so a fresh clone reuses them).

CSM_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

: "${CSM_INFRA_STATE:=${HOME}/.local/state/csm-infra}"
: "${CSM_INFRA_CACHE:=${HOME}/.cache/csm-infra}"
: "${CSM_INFRA_TIMEOUT:=120}"  # seconds a component may take to become ready

: "${CSM_PG_PORT:=55432}"
: "${CSM_KAFKA_PORT:=59092}"
: "${CSM_KAFKA_CONTROLLER_PORT:=59093}"
: "${CSM_MONGO_PORT:=57017}"

: "${CSM_KAFKA_VERSION:=4.1.1}"
: "${CSM_KAFKA_HEAP:=-Xms256m -Xmx768m}"
: "${CSM_FERRETDB_VERSION:=v1.24.2}"

# The application role every test and service uses (see docs/operations/real-infrastructure.md).
CSM_PG_USER=csm
CSM_PG_PASSWORD=csm
CSM_PG_DB=csm
# FerretDB keeps its data in this database of the same PostgreSQL server.
CSM_FERRETDB_PG_DB=ferretdb

export CSM_INFRA_STATE CSM_INFRA_CACHE

csm_log() { printf '[csm-infra] %s\n' "$*" >&2; }
csm_die() { printf '[csm-infra] ERROR: %s\n' "$*" >&2; exit 1; }

csm_logs_dir() { mkdir -p "${CSM_INFRA_STATE}/logs" && printf '%s\n' "${CSM_INFRA_STATE}/logs"; }
csm_data_dir() { mkdir -p "${CSM_INFRA_STATE}/data/$1" && printf '%s\n' "${CSM_INFRA_STATE}/data/$1"; }
csm_run_dir() { mkdir -p "${CSM_INFRA_STATE}/run" && printf '%s\n' "${CSM_INFRA_STATE}/run"; }

# csm_port_open PORT -> 0 when something accepts TCP connections on 127.0.0.1:PORT.
csm_port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# csm_pid_alive PIDFILE [PATTERN] -> 0 when the pid in PIDFILE is a live process whose command line
# contains PATTERN (default: the pid file's recorded pattern), so a pid reused by an unrelated process
# after a reboot or a killed session is not mistaken for our server.
csm_pid_alive() {
  local pid pattern="${2:-}"
  [[ -s "$1" ]] || return 1
  pid="$(head -n 1 "$1")"
  [[ -n "$pattern" ]] || pattern="$(sed -n 2p "$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ -z "$pattern" ]] && return 0
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# csm_pid_running PIDFILE: the recorded process exists (no command-line check). Used while a daemon we just
# started comes up: until its `exec` has happened its command line is still the launching shell's, so the pattern
# check of csm_pid_alive would call a healthy, starting daemon dead.
csm_pid_running() {
  local pid
  [[ -s "$1" ]] || return 1
  pid="$(head -n 1 "$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# csm_write_pid PIDFILE PID PATTERN: record a daemon's pid and what its command line contains.
csm_write_pid() {
  printf '%s\n%s\n' "$2" "$3" >"$1"
}

# csm_with_lock NAME CMD... : serialise start/stop of one component across concurrent callers
# (several jest runs may call up.sh at once). Daemons started inside must close fd 9 (`9>&-`),
# or they would hold the lock for their whole life.
csm_with_lock() {
  local name="$1"; shift
  local lock
  lock="$(csm_run_dir)/${name}.lock"
  exec 9>"$lock"
  if ! flock -w "$((CSM_INFRA_TIMEOUT + 60))" 9; then
    csm_die "${name}: timed out waiting for ${lock} (another start/stop is stuck?)"
  fi
  "$@"
  local rc=$?
  flock -u 9
  exec 9>&-
  return "$rc"
}

# csm_wait_until COMPONENT LOGFILE PIDFILE CHECK...: poll CHECK until it succeeds. Fails with a clear
# line naming the log file when the timeout passes or the process (if PIDFILE given) dies first.
csm_wait_until() {
  local component="$1" logfile="$2" pidfile="$3"; shift 3
  local deadline=$((SECONDS + CSM_INFRA_TIMEOUT))
  until "$@"; do
    if [[ -n "$pidfile" ]] && ! csm_pid_running "$pidfile"; then
      csm_log "last lines of ${logfile}:"
      tail -n 20 "$logfile" >&2 2>/dev/null || true
      csm_die "${component} exited during start-up; see ${logfile}"
    fi
    if (( SECONDS >= deadline )); then
      csm_log "last lines of ${logfile}:"
      tail -n 20 "$logfile" >&2 2>/dev/null || true
      csm_die "${component} not ready after ${CSM_INFRA_TIMEOUT}s; see ${logfile}"
    fi
    sleep 0.5
  done
}

# csm_stop_pid COMPONENT PIDFILE [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL. Ok when not running.
csm_stop_pid() {
  local component="$1" pidfile="$2" grace="${3:-30}"
  if ! csm_pid_alive "$pidfile"; then
    rm -f "$pidfile"
    csm_log "${component}: not running"
    return 0
  fi
  local pid
  pid="$(head -n 1 "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      csm_log "${component}: still running after ${grace}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.3
  done
  rm -f "$pidfile"
  csm_log "${component}: stopped"
}

# csm_rotate_log FILE: keep the previous run's log as FILE.1 so readiness greps see only this run.
csm_rotate_log() {
  if [[ -s "$1" ]]; then mv -f "$1" "$1.1"; fi
  : >"$1"
}

# csm_status_line COMPONENT OK DETAIL: the one-line format status.sh prints.
csm_status_line() {
  if [[ "$2" == 0 ]]; then
    printf '%-9s up    %s\n' "$1" "$3"
  else
    printf '%-9s DOWN  %s\n' "$1" "$3"
  fi
}

csm_pg_url() { printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$CSM_PG_USER" "$CSM_PG_PASSWORD" "$CSM_PG_PORT" "$CSM_PG_DB"; }
csm_kafka_brokers() { printf '127.0.0.1:%s\n' "$CSM_KAFKA_PORT"; }
csm_mongo_url() { printf 'mongodb://127.0.0.1:%s/\n' "$CSM_MONGO_PORT"; }
