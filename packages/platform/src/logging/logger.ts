import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import { CENSOR, REDACTED_KEYS, redactionPaths } from './redaction';

export type Logger = pino.Logger;
export type LogLevel = pino.LevelWithSilent;

export interface LoggerOptions {
  /** Service name, on every line as `service`. */
  readonly service: string;
  readonly level?: LogLevel;
  /** Extra keys to redact besides REDACTED_KEYS. */
  readonly redactKeys?: readonly string[];
}

/** Trace correlation: the active OpenTelemetry span's ids, so a log line can be found from a trace and back. */
export function traceFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: `0${sc.traceFlags.toString(16)}`.slice(-2) };
}

/**
 * One JSON object per line: ISO time, level as a word, service, trace_id/span_id of the active span, message as
 * `msg`; credentials and personal-data keys are replaced with "[REDACTED]". `destination` is for tests.
 */
export function createLogger(options: LoggerOptions, destination?: pino.DestinationStream): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    redact: { paths: redactionPaths([...REDACTED_KEYS, ...(options.redactKeys ?? [])]), censor: CENSOR },
    serializers: { err: pino.stdSerializers.err },
  };
  return destination === undefined ? pino(pinoOptions) : pino(pinoOptions, destination);
}
