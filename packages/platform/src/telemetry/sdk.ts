import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../logging/logger';

export interface TelemetryOptions {
  readonly serviceName: string;
  /** OTLP/HTTP collector base URL (e.g. http://otel-collector:4318); spans are not exported when unset. */
  readonly otlpEndpoint?: string;
  /** false: no spans, no instrumentation; W3C context still passes through (extract → inject) for correlation. */
  readonly enabled: boolean;
  /** Fraction of new traces to sample (parent-based); default 1. */
  readonly sampleRatio?: number;
  /** Where OpenTelemetry's own warnings and errors go (e.g. the service logger); default: nowhere. */
  readonly logger?: Pick<Logger, 'error' | 'warn'>;
}

export interface Telemetry {
  /** Flushes and stops exporting; register it as the last shutdown step. */
  shutdown(): Promise<void>;
}

/** gRPC health probes and reflection would drown real traces. */
const UNTRACED_GRPC = (name: string): boolean =>
  name.includes('grpc.health.v1.Health') || name.includes('grpc.reflection.') || name === 'Check' || name === 'Watch';
const UNTRACED_HTTP_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/livez']);

/** Spans get ids (for logs and propagation) but go nowhere: used when no collector is configured. */
const DISCARDING_PROCESSOR: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

let started: Telemetry | undefined;

/**
 * Starts OpenTelemetry for this process: W3C tracecontext propagation, AsyncLocalStorage context, and
 * instrumentation of http, @grpc/grpc-js, express and pg. It patches those modules when they are loaded, so call it
 * in the entry file BEFORE anything imports them (see docs/platform/grpc-and-observability.md). Idempotent: a
 * second call (embedded mode runs every service in one process) returns the first instance.
 * Metrics are not exported through OpenTelemetry: Prometheus scrapes prom-client (see metrics.ts).
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (started !== undefined) return started;
  const { logger } = options;
  if (logger !== undefined) {
    const noop = () => undefined;
    diag.setLogger(
      {
        error: (message, ...args) => logger.error({ otel: args.map(String) }, message),
        warn: (message, ...args) => logger.warn({ otel: args.map(String) }, message),
        info: noop,
        debug: noop,
        verbose: noop,
      },
      DiagLogLevel.WARN,
    );
  }
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    textMapPropagator: new W3CTraceContextPropagator(),
    // Metrics and logs are not exported via OTLP regardless of OTEL_* env defaults.
    metricReaders: [],
    logRecordProcessors: [],
    spanProcessors: options.enabled ? [spanProcessorFor(options.otlpEndpoint)] : [],
    sampler: new ParentBasedSampler({
      root: options.sampleRatio === undefined || options.sampleRatio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(options.sampleRatio),
    }),
    instrumentations: options.enabled
      ? [
          new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_HTTP_PATHS.has((req.url ?? '').split('?')[0] ?? '') }),
          new GrpcInstrumentation({ ignoreGrpcMethods: [UNTRACED_GRPC] }),
          new ExpressInstrumentation(),
          new PgInstrumentation({ requireParentSpan: true }),
        ]
      : [],
  });
  sdk.start();
  const instance: Telemetry = {
    shutdown: async () => {
      await sdk.shutdown();
      // Unregister globals so a later start (tests) can register again.
      trace.disable();
      propagation.disable();
      context.disable();
      started = undefined;
    },
  };
  started = instance;
  return instance;
}

function spanProcessorFor(otlpEndpoint: string | undefined): SpanProcessor {
  if (otlpEndpoint === undefined || otlpEndpoint === '') return DISCARDING_PROCESSOR;
  const base = otlpEndpoint.replace(/\/+$/, '');
  const url = base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
  return new BatchSpanProcessor(new OTLPTraceExporter({ url }));
}
