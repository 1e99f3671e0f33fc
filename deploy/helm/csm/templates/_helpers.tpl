{{/* Names and labels shared by every object. */}}
{{- define "csm.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 40 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{/* <fullname>-<service>; call with (dict "root" $ "name" $name) */}}
{{- define "csm.svcname" -}}
{{- printf "%s-%s" (include "csm.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "csm.commonLabels" -}}
app.kubernetes.io/part-of: csm
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one service's pods; (dict "root" $ "name" $name) */}}
{{- define "csm.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: service
{{- end -}}

{{- define "csm.labels" -}}
{{ include "csm.selectorLabels" . }}
app.kubernetes.io/part-of: csm
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* Image of one service; (dict "root" $ "name" $name) */}}
{{- define "csm.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $img.tag -}}
{{- $svc := index .root.Values.services .name -}}
{{- $ref := printf "%s/%s-%s:%s" $img.registry $img.repositoryPrefix .name $tag -}}
{{- if $svc.imageDigest }}{{ $ref }}@{{ $svc.imageDigest }}{{ else }}{{ $ref }}{{ end -}}
{{- end -}}

{{- define "csm.replicas" -}}
{{- $svc := index .root.Values.services .name -}}
{{- if hasKey $svc "replicaCount" }}{{ $svc.replicaCount }}{{ else }}{{ .root.Values.replicaCount }}{{ end -}}
{{- end -}}

{{/* Effective autoscaling / PDB settings of a service (service override merged over the defaults), as YAML. */}}
{{- define "csm.autoscaling" -}}
{{- $svc := index .root.Values.services .name -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.autoscaling) (default (dict) $svc.autoscaling)) -}}
{{- end -}}
{{- define "csm.pdb" -}}
{{- $svc := index .root.Values.services .name -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.podDisruptionBudget) (default (dict) $svc.podDisruptionBudget)) -}}
{{- end -}}

{{/* Secret (name, key) holding a service's store URL: explicit, else the operator's secret, else <fullname>-<svc>-db/url. */}}
{{- define "csm.dbSecretName" -}}
{{- $svc := index .root.Values.services .name -}}
{{- $db := default (dict) $svc.database -}}
{{- if $db.secretName -}}{{ $db.secretName }}
{{- else if and (eq $svc.store "postgres") .root.Values.postgresql.cnpg.create -}}{{ include "csm.svcname" . }}-pg-app
{{- else if and (eq $svc.store "mongodb") .root.Values.mongodb.community.create -}}{{ include "csm.svcname" . }}-mongo-{{ .name | replace "-" "_" }}-app
{{- else -}}{{ include "csm.svcname" . }}-db{{- end -}}
{{- end -}}
{{- define "csm.dbSecretKey" -}}
{{- $svc := index .root.Values.services .name -}}
{{- $db := default (dict) $svc.database -}}
{{- if $db.secretKey -}}{{ $db.secretKey }}
{{- else if and (eq $svc.store "postgres") .root.Values.postgresql.cnpg.create -}}uri
{{- else if and (eq $svc.store "mongodb") .root.Values.mongodb.community.create -}}connectionString.standard
{{- else -}}url{{- end -}}
{{- end -}}

{{- define "csm.kafkaBrokers" -}}
{{- if .Values.kafka.strimzi.create -}}{{ printf "%s-kafka-bootstrap:9092" .Values.kafka.strimzi.name }}{{- else -}}{{ .Values.kafka.brokers }}{{- end -}}
{{- end -}}

{{/* The store URL variable of one service, from its Secret. */}}
{{- define "csm.dbEnv" -}}
{{- $svc := index .root.Values.services .name -}}
{{- if eq $svc.store "postgres" }}
- name: CSM_PG_URL
  valueFrom: { secretKeyRef: { name: {{ include "csm.dbSecretName" . }}, key: {{ include "csm.dbSecretKey" . | quote }} } }
{{- else if eq $svc.store "mongodb" }}
- name: CSM_MONGO_URL
  valueFrom: { secretKeyRef: { name: {{ include "csm.dbSecretName" . }}, key: {{ include "csm.dbSecretKey" . | quote }} } }
{{- end }}
{{- end -}}

{{/* Environment from Secrets (by name) of one service: store URL, Kafka SASL, PII keys, OIDC issuer and JWKS. */}}
{{- define "csm.secretEnv" -}}
{{- $svc := index .root.Values.services .name -}}
{{- include "csm.dbEnv" . }}
{{- if and $svc.kafka .root.Values.kafka.sasl.enabled }}
- name: CSM_KAFKA_SASL_MECHANISM
  value: {{ .root.Values.kafka.sasl.mechanism | quote }}
- name: CSM_KAFKA_SASL_USERNAME
  valueFrom: { secretKeyRef: { name: {{ .root.Values.kafka.sasl.secretName }}, key: username } }
- name: CSM_KAFKA_SASL_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ .root.Values.kafka.sasl.secretName }}, key: password } }
{{- end }}
{{- if $svc.pii }}
{{- range list "CSM_PII_KEYS" "CSM_PII_ACTIVE_KEY" "CSM_PII_INDEX_KEYS" "CSM_PII_ACTIVE_INDEX_KEY" }}
- name: {{ . }}
  valueFrom: { secretKeyRef: { name: {{ $.root.Values.secrets.pii }}, key: {{ . }} } }
{{- end }}
{{- end }}
{{- range $var, $ref := $svc.secretEnv }}
- name: {{ $var }}
  valueFrom: { secretKeyRef: { name: {{ $ref.secretName }}, key: {{ $ref.key | quote }} } }
{{- end }}
{{- /* Every service verifies the caller's JWT itself (authorization is re-checked behind the gateway). */}}
- name: CSM_AUTH_ISSUER
  valueFrom: { secretKeyRef: { name: {{ .root.Values.secrets.jwks }}, key: issuer } }
- name: CSM_AUTH_JWKS_URL
  valueFrom: { secretKeyRef: { name: {{ .root.Values.secrets.jwks }}, key: jwksUrl } }
{{- end -}}

{{/* Plain configuration of one service (rendered into its ConfigMap). */}}
{{- define "csm.plainEnv" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values.services .name -}}
CSM_MODE: cluster
CSM_LOG_LEVEL: {{ $root.Values.logLevel | quote }}
CSM_GRPC_PORT: {{ $root.Values.ports.grpc | quote }}
CSM_METRICS_PORT: {{ $root.Values.ports.metrics | quote }}
CSM_SHUTDOWN_GRACE_MS: {{ mul $root.Values.shutdownGraceSeconds 1000 | quote }}
{{- if $root.Values.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ $root.Values.otel.endpoint | quote }}
{{- end }}
{{- if $svc.kafka }}
CSM_KAFKA_BROKERS: {{ include "csm.kafkaBrokers" $root | quote }}
CSM_KAFKA_CLIENT_ID: {{ printf "csm-%s" .name | quote }}
{{- if $root.Values.kafka.tls.enabled }}
CSM_KAFKA_SSL: "true"
{{- end }}
{{- end }}
{{- if eq $svc.kind "gateway" }}
CSM_HTTP_PORT: {{ $root.Values.ports.http | quote }}
{{- end }}
{{- /* gRPC address of every service it calls, e.g. CSM_LOYALTY_ADDR=csm-loyalty:50051 */}}
{{- range $other := $svc.calls }}
{{- if (index $root.Values.services $other).enabled }}
CSM_{{ $other | upper | replace "-" "_" }}_ADDR: {{ printf "%s:%v" (include "csm.svcname" (dict "root" $root "name" $other)) $root.Values.ports.grpc | quote }}
{{- end }}
{{- end }}
{{- range $k, $v := $svc.env }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* Probes: what each kind really serves. Backends: gRPC health (startup, readiness) and the metrics endpoint answering
     (liveness: the event loop is alive; a store outage makes the pod unready, not restarted). Gateway: /livez, /readyz. */}}
{{- define "csm.probes" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values.services .name -}}
{{- if eq $svc.kind "gateway" }}
startupProbe:
  httpGet: { path: /livez, port: http }
  periodSeconds: 2
  failureThreshold: 30
readinessProbe:
  httpGet: { path: /readyz, port: http }
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 2
livenessProbe:
  httpGet: { path: /livez, port: http }
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
{{- else }}
startupProbe:
  grpc: { port: {{ $root.Values.ports.grpc }}, service: "" }
  periodSeconds: 2
  failureThreshold: 60
readinessProbe:
  grpc: { port: {{ $root.Values.ports.grpc }}, service: "" }
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 2
livenessProbe:
  httpGet: { path: /metrics, port: metrics }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}
{{- end -}}

{{/* NetworkPolicy peers list, or "any destination" when empty (port-restricted rule). */}}
{{- define "csm.peers" -}}
{{- if . }}
to:
{{ toYaml . | indent 2 }}
{{- end }}
{{- end -}}
