// OpenTelemetry tracing, W3C context propagation helpers and Prometheus metrics.
// Safe to import before startTelemetry(): it loads no gRPC, HTTP-client, express or pg module itself.
export { startTelemetry, type Telemetry, type TelemetryOptions } from './sdk';
export { extractTraceContext, injectTraceContext, type CarrierValue } from './propagation';
export { activeTraceIds, SpanKind, withSpan, type Context, type Span, type WithSpanOptions } from './spans';
export {
  counter,
  enableDefaultMetrics,
  gauge,
  histogram,
  LATENCY_BUCKETS,
  metricsRegistry,
  type HistogramOptions,
  type MetricOptions,
} from './metrics';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server';
