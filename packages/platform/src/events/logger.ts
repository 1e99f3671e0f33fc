/**
 * The slice of a pino logger the events kit needs. Services pass their pino logger (or a child of it); the fallback
 * writes warn/error as JSON lines to stderr so a failure is never silent even in a bare script.
 */
export interface EventsLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const write = (level: string) => (obj: object, msg?: string) => {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), component: 'events', ...obj, msg })}\n`);
};

export const fallbackLogger: EventsLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: write('warn'),
  error: write('error'),
};

/** Error fields safe to log: name and message, never the failing payload. */
export function errorFields(err: unknown): { err: { name: string; message: string } } {
  return err instanceof Error
    ? { err: { name: err.name, message: err.message } }
    : { err: { name: 'NonError', message: String(err) } };
}
