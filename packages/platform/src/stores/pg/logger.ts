/**
 * The slice of a pino logger the SQL stores need; services pass theirs. Without one, warnings and errors still reach
 * stderr as JSON lines so a broken pool connection is never silent.
 */
export interface SqlLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const write = (level: string) => (obj: object, msg?: string) => {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), component: 'sql', ...obj, msg })}\n`);
};

export const fallbackSqlLogger: SqlLogger = { warn: write('warn'), error: write('error') };

/** A PostgreSQL URL safe to log: the password is replaced by `***`. */
export function redactPgUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}
