// Structured JSON logging (pino) with trace correlation and redaction. Safe to import before startTelemetry().
export { createLogger, traceFields, type Logger, type LoggerOptions, type LogLevel } from './logger';
export { logConfig } from './log-config';
export { CENSOR, REDACTED_KEYS, redactDeep, redactionPaths } from './redaction';
