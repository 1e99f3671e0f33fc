#!/usr/bin/env bash
# Print the connection settings of the harness as shell exports: eval "$(bash scripts/infra/env.sh)".
# Values already set in the environment win, so the same suite can target real servers.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

printf 'export CSM_PG_URL=%q\n' "${CSM_PG_URL:-$(csm_pg_url)}"
printf 'export CSM_KAFKA_BROKERS=%q\n' "${CSM_KAFKA_BROKERS:-$(csm_kafka_brokers)}"
printf 'export CSM_MONGO_URL=%q\n' "${CSM_MONGO_URL:-$(csm_mongo_url)}"
