#!/usr/bin/env bash
# Prints the path of a pinned helm binary, building it once from the Go module proxy into a cache outside the clone
# (no Docker, no release-download URL needed). CI and the deploy tests call this; `HELM=$(bash scripts/deploy/helm.sh)`.
# Override the cache with CSM_TOOLS_CACHE; the version is pinned here and documented in docs/operations/kubernetes.md.
set -euo pipefail
HELM_VERSION="${HELM_VERSION:-v3.21.4}"
CACHE="${CSM_TOOLS_CACHE:-$HOME/.cache/csm-infra}/helm/${HELM_VERSION}"
BIN="$CACHE/helm"
if [[ ! -x "$BIN" ]]; then
  command -v go >/dev/null || { echo "helm.sh: Go toolchain not found (needed once to build helm ${HELM_VERSION})" >&2; exit 1; }
  mkdir -p "$CACHE"
  echo "helm.sh: building helm ${HELM_VERSION} from the Go module proxy into $CACHE (first run only)" >&2
  # CGO off: a static binary; GOFLAGS=-mod=mod so a surrounding go.work/go.mod never interferes.
  (cd "$CACHE" && CGO_ENABLED=0 GOBIN="$CACHE" GOFLAGS=-mod=mod timeout 900 go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}") >&2
fi
echo "$BIN"
