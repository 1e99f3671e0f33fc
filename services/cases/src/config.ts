import { env, secret, sqlServiceConfigSchema, z as zod } from '@csm/platform/config';

const int = env.int;
const ratio = (fallback: number) => zod.coerce.number({ message: 'must be a number' }).gt(0, { message: 'must be > 0' }).lt(1, { message: 'must be < 1' }).default(fallback);
const json = () =>
  zod
    .string()
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return zod.NEVER;
      }
    })
    .optional();

/** Environment variables of this service (shared ones: docs/operations/configuration.md; these: docs/services/cases.md). */
export const configSchema = sqlServiceConfigSchema({
  /** Loyalty service gRPC address (miles compensation). Embedded default: 127.0.0.1:50053. */
  CSM_LOYALTY_ADDR: zod.string().min(1).optional(),
  /** Flight-info service gRPC address (flight manifests for proactive care). Embedded default: 127.0.0.1:50054. */
  CSM_FLIGHT_INFO_ADDR: zod.string().min(1).optional(),
  /** Bearer token the service presents to other services when acting on its own (event consumers). */
  CSM_CASES_SERVICE_TOKEN: secret(zod.string().min(1)).optional(),
  /** Or: short-lived tokens from the identity provider by the OAuth 2.0 client credentials grant (all three, or none). */
  CSM_CASES_OAUTH_TOKEN_URL: env.url().optional(),
  CSM_CASES_OAUTH_CLIENT_ID: zod.string().min(1).optional(),
  CSM_CASES_OAUTH_CLIENT_SECRET: secret(zod.string().min(1)).optional(),
  CSM_CASES_OAUTH_SCOPE: zod.string().min(1).optional(),
  CSM_CASES_OAUTH_AUDIENCE: zod.string().min(1).optional(),
  /** SLA warning threshold as a fraction of the target (DOMAIN default 80 %). */
  CSM_CASES_SLA_WARN_RATIO: ratio(0.8),
  /** Extra / overriding SLA rules (JSON array, see docs). */
  CSM_CASES_SLA_RULES: json(),
  /** Business-hours calendars (JSON object id → {zone, hours, holidays}). */
  CSM_CASES_CALENDARS: json(),
  /** How often each replica scans for SLA warnings and breaches. */
  CSM_CASES_SLA_SCAN_INTERVAL_MS: int(15_000, 100),
  CSM_CASES_SLA_SCAN_BATCH: int(200, 1),
  /** A resolved or closed case may be reopened within this many days. */
  CSM_CASES_REOPEN_WINDOW_DAYS: int(30, 0),
  /** Miles an agent role may grant without a higher role (JSON object role → max miles). */
  CSM_CASES_MILES_LIMITS: json(),
  /** Voucher/refund value (minor units) a role may grant (JSON object role → max). */
  CSM_CASES_MONEY_LIMITS: json(),
  /** Proactive care opens disruption cases from this departure/arrival delay on. */
  CSM_CASES_DISRUPTION_MIN_DELAY_MINUTES: int(60, 0),
  /** Consumer group of proactive care on csm.flight.v1 (and its de-duplication name). */
  CSM_CASES_FLIGHT_CONSUMER_GROUP: zod.string().min(1).default('cases.flight-disruptions'),
  /** EU 261 policy overrides (JSON, see docs). */
  CSM_CASES_EU261: json(),
  /** Case numbers each replica takes from the per-year sequence at once (1 = strictly sequential numbers). */
  CSM_CASES_NUMBER_BLOCK: int(20, 1),
  /** Intake group commit: most new cases written in one statement (1 = one statement per case). */
  CSM_CASES_INTAKE_BATCH_MAX: int(64, 1),
  CSM_CASES_INTAKE_BATCH_WINDOW_MS: int(2, 0),
  /** Deadline of calls to loyalty and flight-info. */
  CSM_CASES_UPSTREAM_DEADLINE_MS: int(5_000, 100),
}).superRefine((c, ctx) => {
  const oauth = ['CSM_CASES_OAUTH_TOKEN_URL', 'CSM_CASES_OAUTH_CLIENT_ID', 'CSM_CASES_OAUTH_CLIENT_SECRET'] as const;
  const missing = oauth.filter((k) => c[k] === undefined);
  if (missing.length > 0 && missing.length < oauth.length) {
    for (const k of missing) ctx.addIssue({ code: 'custom', path: [k], message: 'is required with the other CSM_CASES_OAUTH_* client credentials' });
  }
  if (missing.length === 0 && c.CSM_CASES_SERVICE_TOKEN !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['CSM_CASES_SERVICE_TOKEN'], message: 'set either this or the CSM_CASES_OAUTH_* client credentials, not both' });
  }
});
export type Config = zod.infer<typeof configSchema>;
