#!/usr/bin/env bash
# Prints the path of the kstrict binary (deploy/tools/kstrict: strict decoding into the Kubernetes Go API types),
# building it once per source version into a cache outside the clone from the Go module proxy.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SRC="$ROOT/deploy/tools/kstrict"
HASH="$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-16)"
CACHE="${CSM_TOOLS_CACHE:-$HOME/.cache/csm-infra}/kstrict/$HASH"
BIN="$CACHE/kstrict"
if [[ ! -x "$BIN" ]]; then
  command -v go >/dev/null || { echo "kstrict.sh: Go toolchain not found" >&2; exit 1; }
  mkdir -p "$CACHE"
  echo "kstrict.sh: building kstrict into $CACHE (first run only)" >&2
  (cd "$SRC" && CGO_ENABLED=0 GOFLAGS=-mod=mod timeout 900 go build -trimpath -o "$BIN.tmp" . && mv "$BIN.tmp" "$BIN") >&2
fi
echo "$BIN"
