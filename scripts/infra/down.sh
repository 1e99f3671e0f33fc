#!/usr/bin/env bash
# Stop the real infrastructure (FerretDB and Kafka first, PostgreSQL last). Idempotent.
# Data stays in $CSM_INFRA_STATE/data; `down.sh --purge` also deletes it (caches are kept).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "${here}/lib.sh"

bash "${here}/ferretdb.sh" stop
bash "${here}/kafka.sh" stop
bash "${here}/postgres.sh" stop
if [[ "${1:-}" == "--purge" ]]; then
  rm -rf "${CSM_INFRA_STATE}/data"
  csm_log "deleted ${CSM_INFRA_STATE}/data"
fi
