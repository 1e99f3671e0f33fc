import { types as pgTypes } from 'pg';

/**
 * One mapping from PostgreSQL values to JS, shared by both adapters so code behaves the same embedded and in a
 * cluster: node-postgres' own text parsers (pg-types) — int8/numeric as strings (no silent precision loss),
 * timestamptz as Date, json/jsonb parsed, bytea as Buffer — except DATE (and date[]), returned as `YYYY-MM-DD`
 * text: pg-types would make a Date at *local* midnight, which shifts the day in any non-UTC process.
 */
export type TextParser = (value: string) => unknown;

export const PG_DATE_OID = 1082;
const PG_DATE_ARRAY_OID = 1182;
const PG_TEXT_ARRAY_OID = 1009;

/** Array types of the built-ins (pg-types knows their parsers; PGlite needs them listed). */
const ARRAY_OIDS = [
  1000, 1001, 1005, 1007, 1016, 1021, 1022, 1231, 1009, 1015, 1014, 1182, 1115, 1185, 2951, 199, 3807, 1183, 1187, 1041, 651, 1028, 1270, 1040,
];

const identity: TextParser = (v) => v;

export function textParser(oid: number): TextParser {
  if (oid === PG_DATE_OID) return identity;
  // pg-types' TypeId union lists only scalar built-ins; its parsers also cover the array oids.
  const byOid = pgTypes.getTypeParser as (oid: number, format: 'text') => TextParser;
  if (oid === PG_DATE_ARRAY_OID) return byOid(PG_TEXT_ARRAY_OID, 'text');
  return byOid(oid, 'text');
}

/** For node-postgres' per-pool `types` option. */
export const pgTypeOverrides = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    format === 'binary' ? pgTypes.getTypeParser(oid, format) : textParser(oid)) as typeof pgTypes.getTypeParser,
};

/** For PGlite's `parsers` option: every built-in scalar and common array type, keyed by oid. */
export function pgliteParsers(): Record<number, TextParser> {
  const out: Record<number, TextParser> = {};
  for (const oid of [...Object.values(pgTypes.builtins as Record<string, number>), ...ARRAY_OIDS]) {
    const parse = textParser(oid);
    out[oid] = (value) => parse(value);
  }
  return out;
}
