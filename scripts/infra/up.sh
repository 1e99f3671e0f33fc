#!/usr/bin/env bash
# Start the real infrastructure the integration tests use: PostgreSQL, then Kafka and FerretDB
# (FerretDB stores its data in that PostgreSQL). Idempotent: whatever already runs is left alone.
# Prints the connection settings (as env.sh does) when everything is up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

start=$SECONDS
bash "${here}/postgres.sh" start
bash "${here}/kafka.sh" start
bash "${here}/ferretdb.sh" start
csm_log "all up in $((SECONDS - start))s (state: ${CSM_INFRA_STATE}, cache: ${CSM_INFRA_CACHE})"
bash "${here}/status.sh" >&2
bash "${here}/env.sh"
