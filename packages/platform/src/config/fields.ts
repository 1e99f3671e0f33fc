import { z } from 'zod';

/** Reusable environment-variable field parsers: every service reads ports, booleans and lists the same way. */
export const env = {
  string: () => z.string().min(1),
  url: () => z.string().url({ message: 'must be a URL' }),
  port: (fallback?: number) => {
    const p = z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0, { message: 'must be a port 0-65535' }).max(65535, { message: 'must be a port 0-65535' });
    return fallback === undefined ? p : p.default(fallback);
  },
  int: (fallback: number, min = 0) => z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(min, { message: `must be >= ${min}` }).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(fallback),
  list: () => z.string().transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)),
  oneOf: <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be a pino level' }).default('info'),
};
