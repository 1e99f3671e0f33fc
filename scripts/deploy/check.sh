#!/usr/bin/env bash
# Offline checks of the delivery artefacts (CI calls this; no cluster, no Docker):
#   helm lint --strict and helm template for every shipped values set, each render validated against the Kubernetes
#   OpenAPI schemas (kubernetes-models) and strictly decoded into the Kubernetes Go types (kstrict), the values
#   schema rejecting a typo, and deploy/k8s in sync with the chart.
set -euo pipefail
cd "$(dirname "$0")/../.."
HELM="$(bash scripts/deploy/helm.sh)"
KSTRICT="$(bash scripts/deploy/kstrict.sh)"
CHART=deploy/helm/csm
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$HELM" version --short
declare -A SETS=(
  [default]=""
  [production]="-f $CHART/values-production.yaml"
  [dev]="-f $CHART/values-dev.yaml"
  [operators]="-f $CHART/values-production.yaml -f $CHART/ci/operators-values.yaml"
  [minimal]="-f $CHART/ci/minimal-values.yaml"
)
for name in default production dev operators minimal; do
  # shellcheck disable=SC2086
  "$HELM" lint --strict "$CHART" ${SETS[$name]} >/dev/null
  # shellcheck disable=SC2086
  "$HELM" template csm "$CHART" --namespace csm --kube-version 1.30.0 ${SETS[$name]} > "$OUT/$name.yaml"
  printf '%-11s lint ok; openapi: %s; strict: %s\n' "$name" \
    "$(node deploy/tools/validate.mjs "$OUT/$name.yaml" | tail -1)" \
    "$("$KSTRICT" < "$OUT/$name.yaml" | tail -1)"
done
if "$HELM" template csm "$CHART" --kube-version 1.30.0 --set-string replicaCount=two >/dev/null 2>&1; then
  echo "values schema did NOT reject replicaCount=two" >&2; exit 1
fi
echo "values schema rejects replicaCount: \"two\""
node deploy/tools/gen-kustomize.mjs --check
