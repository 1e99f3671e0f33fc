import { z } from 'zod';

/**
 * Building blocks for the route schemas. Bodies and answers are proto3 JSON (camelCase fields, enum values by their
 * proto names), so a channel sees the same shapes as the gRPC contracts. Every object is strict: an unknown field
 * is a 400 naming it, never silently dropped.
 */

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

/** A prefixed ULID such as `pax_01J…` (DESIGN: IDs). */
export function prefixedId(prefix: string): z.ZodString {
  return z.string().regex(new RegExp(`^${prefix}_${ULID}$`), { message: `must be an id like ${prefix}_<26-char ULID>` });
}

export const ids = {
  passenger: prefixedId('pax'),
  case: prefixedId('case'),
  article: prefixedId('kb'),
};

/** An enum of a ts-proto enum object, by the names proto3 JSON uses, without *_UNSPECIFIED / UNRECOGNIZED. */
export function protoEnum(enumObject: Record<string, string | number>): z.ZodEnum<Record<string, string>> {
  const names = Object.keys(enumObject).filter((k) => Number.isNaN(Number(k)) && !/UNSPECIFIED$|^UNRECOGNIZED$/.test(k));
  return z.enum(names as [string, ...string[]]);
}

/** Paging query of every list: `pageSize` (1–200) and the opaque `pageToken` of the previous answer. */
export const pageQuery = {
  pageSize: z.coerce.number().int().min(1).max(200).optional().describe('items per page, 1-200'),
  pageToken: z.string().max(512).optional().describe('the nextPageToken of the previous page'),
};

export const text = (max: number) => z.string().max(max);
export const requiredText = (max: number) => z.string().trim().min(1).max(max);
export const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'must be a date YYYY-MM-DD' });
export const isoInstant = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 instant, e.g. 2026-11-29T08:00:00Z' });
export const iata = z.string().regex(/^[A-Z]{3}$/, { message: 'must be a 3-letter IATA code' });
export const carrier = z.string().regex(/^([A-Z0-9]{2}|[A-Z]{3})$/, { message: 'must be a 2-character IATA or 3-letter ICAO airline code' });
export const flightNumber = z.string().regex(/^[0-9]{1,4}[A-Z]?$/, { message: 'must be 1-4 digits with an optional suffix letter' });
export const language = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'must be a BCP 47 language tag' });
export const miles = z.number().int().min(1).max(10_000_000);
export const currency = z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code' });
export const partnerCode = z.string().regex(/^[A-Z0-9]{2,12}$/, { message: 'must be 2-12 characters A-Z 0-9' });

/** The proto PageRequest of a validated page query. */
export function pageOf(query: { pageSize?: number | undefined; pageToken?: string | undefined }): { pageSize: number; pageToken: string } {
  return { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? '' };
}

/** A `YYYY-MM-DDTHH:MM` airport-local time (boards by local time). */
export const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { message: 'must be a local time YYYY-MM-DDTHH:MM' });
