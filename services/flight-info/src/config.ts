import { env, sqlServiceConfigSchema, z } from '@csm/platform/config';
import { DEFAULT_RATE_TABLE, type RateTableEntry } from './domain/rates';

const thresholds = z
  .string()
  .default('15,60,180')
  .transform((v, ctx): number[] => {
    const list = v.split(',').map((x) => x.trim()).filter((x) => x !== '').map(Number);
    if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of positive whole minutes' });
      return z.NEVER;
    }
    return [...new Set(list)].sort((a, b) => a - b);
  });

const weightBreak = z.object({ fromKg: z.number().min(0), perKgMinor: z.number().int().min(0) });
const rateEntry = z.object({
  route: z.string().regex(/^(\*|[A-Z]{3}-[A-Z]{3})$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
  minimumMinor: z.number().int().min(0),
  breaks: z.array(weightBreak).min(1),
  fuelPerKgMinor: z.number().int().min(0),
  securityPerKgMinor: z.number().int().min(0),
  dgrFeeMinor: z.number().int().min(0),
});
const rateTable = z
  .string()
  .optional()
  .transform((v, ctx): RateTableEntry[] => {
    if (v === undefined) return [...DEFAULT_RATE_TABLE];
    try {
      return z.array(rateEntry).min(1).parse(JSON.parse(v));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of rate entries (see docs/services/flight-info.md)' });
      return z.NEVER;
    }
  });

/** Environment variables of this service (shared ones: docs/operations/configuration.md; these: docs/services/flight-info.md). */
export const configSchema = sqlServiceConfigSchema({
  /** Departure-delay thresholds (minutes); one FlightDelayed event per flight and threshold crossed. */
  CSM_FLIGHT_DELAY_THRESHOLDS_MIN: thresholds,
  /** Volumetric divisor of chargeable weight (cm³ per kg; IATA 6000). */
  CSM_CARGO_VOLUME_DIVISOR: env.int(6000, 1),
  /** Minutes after a flight's arrival without RCF before a shipment exception is raised. */
  CSM_CARGO_RCF_TIMEOUT_MIN: env.int(360, 1),
  /** How often the missing-RCF scan runs (0 disables it). */
  CSM_CARGO_RCF_SCAN_INTERVAL_MS: env.int(60_000, 0),
  /** Airline prefix of the air waybill stock the service allocates from. */
  CSM_CARGO_AWB_PREFIX: z.string().regex(/^\d{3}$/, { message: 'must be 3 digits' }).default('999'),
  /** Rate table (JSON); default: CNY general-cargo weight breaks for every route. */
  CSM_CARGO_RATE_TABLE: rateTable,
  /** Hours a rate quote stays valid. */
  CSM_CARGO_QUOTE_VALIDITY_HOURS: env.int(24, 1),
});
export type Config = z.infer<typeof configSchema>;
