#!/usr/bin/env bash
# One line per component; exits non-zero if any is down.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

rc=0
for component in postgres kafka ferretdb; do
  bash "${here}/${component}.sh" status || rc=1
done
exit "$rc"
