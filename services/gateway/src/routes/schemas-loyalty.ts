import { z } from 'zod';
import { isoDate, prefixedId } from './schemas';

/**
 * Shared pieces of the loyalty, partner, operations, cargo and analytics routes (added next to schemas.ts so the
 * framework file stays untouched).
 */

export const loyaltyIds = {
  member: prefixedId('mbr'),
  quote: prefixedId('quo'),
  redemption: prefixedId('rdm'),
  alert: prefixedId('alr'),
  shipment: prefixedId('shp'),
};

/** A frequent-flyer number as printed on the card: 10 digits (the last one a Luhn check digit, verified by loyalty). */
export const memberNumber = z.string().regex(/^\d{10}$/, { message: 'must be a 10-digit frequent-flyer number' });

/** An air waybill number "NNN-NNNNNNNN" (3-digit airline prefix, 8-digit serial). */
export const awbNumber = z.string().regex(/^\d{3}-\d{8}$/, { message: 'must be an air waybill number NNN-NNNNNNNN' });

/**
 * A query parameter that may be given once or repeated (`?status=A&status=B`): always an array afterwards.
 * Bounded so a query cannot carry thousands of values.
 */
export function repeated<T extends z.ZodType>(item: T, maxItems = 16) {
  return z.union([item.transform((v: z.output<T>) => [v]), z.array(item).max(maxItems)]);
}

/** An optional inclusive date period in a query: `from` / `to` (YYYY-MM-DD). */
export const periodQuery = {
  from: isoDate.optional().describe('first day, inclusive (YYYY-MM-DD)'),
  to: isoDate.optional().describe('last day, inclusive (YYYY-MM-DD)'),
};

/** The proto DateRange of a validated period (an empty bound is unbounded). */
export function dateRangeOf(q: { from?: string | undefined; to?: string | undefined }): { startDate: string; endDate: string } {
  return { startDate: q.from ?? '', endDate: q.to ?? '' };
}


/** Long-running admin jobs (expiry, rebuilds, clustering) get more time than an interactive call. */
export const JOB_DEADLINE_MS = 120_000;
