/**
 * The slice of a pino logger the Mongo helper needs; services pass their pino logger (or a child).
 * Without one, warnings and errors still reach stderr as JSON lines so a lost connection is never silent.
 */
export interface MongoLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const write = (level: string) => (obj: object, msg?: string) => {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), component: 'mongo', ...obj, msg })}\n`);
};

export const fallbackMongoLogger: MongoLogger = {
  info: () => undefined,
  warn: write('warn'),
  error: write('error'),
};
