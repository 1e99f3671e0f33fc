import { z } from 'zod';

/**
 * Configuration comes only from environment variables, parsed once at start-up with a zod object schema whose keys
 * are the variable names. A bad or missing value must stop the process with ONE line naming the variable, so the
 * failure is obvious in `kubectl logs` and never cascades into a confusing runtime error later.
 */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variables: readonly string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const SECRET = 'secret';

/** Marks a variable as secret: its value is never echoed in errors or in the logged config. */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.describe(SECRET) as T;
}

function isSecret(schema: z.ZodType | undefined): boolean {
  let s: z.ZodType | undefined = schema;
  // Wrappers like .optional()/.default() keep the inner description; walk down to find it.
  for (let i = 0; s && i < 5; i++) {
    if (s.description === SECRET) return true;
    const def = (s as unknown as { def?: { innerType?: z.ZodType } }).def;
    s = def?.innerType;
  }
  return false;
}

export type Env = Record<string, string | undefined>;

export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const raw = env[key];
    // An empty variable means "not set": Helm and shells often render unset values as "".
    input[key] = raw === undefined || raw.trim() === '' ? undefined : raw;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '?');
    const given = input[key];
    if (given === undefined) return `${key} is required`;
    const shown = isSecret(schema.shape[key] as z.ZodType) ? '(secret)' : JSON.stringify(given);
    return `${key} ${issue.message.toLowerCase()} (got ${shown})`;
  });
  const vars = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))];
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, vars);
}

/** The config as safe to log: secret values replaced, everything else as parsed. */
export function redactConfig<S extends z.ZodObject>(schema: S, config: z.infer<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    out[key] = isSecret(schema.shape[key] as z.ZodType) && value !== undefined ? '[REDACTED]' : value;
  }
  return out;
}

/**
 * Entry-file helper: parse or stop. Prints exactly one line to stderr and exits 1, because a process with a wrong
 * config must not start half-way (and must not throw a stack trace that hides the variable's name).
 */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
