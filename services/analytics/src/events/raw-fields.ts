/**
 * Reading event payloads tolerantly. Producers may ADD fields and enum values within v1: ts-proto's fromJSON drops
 * unknown fields and turns an unknown enum name into UNRECOGNIZED, so enum names are taken from the raw proto3 JSON
 * when present (a new channel still lands as its own dimension value), and a few optional extras are read raw.
 */
export type RawData = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown): RawData {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawData) : {};
}

/** The enum's name: the raw JSON string if the producer wrote one, else the decoded number's name; null if unset. */
export function enumName(raw: RawData, field: string, decoded: number, toJSON: (n: number) => string): string | null {
  const value = raw[field];
  if (typeof value === 'string' && value !== '' && !value.endsWith('_UNSPECIFIED')) return value;
  if (decoded <= 0) return null;
  return toJSON(decoded);
}

/** Empty strings (proto3 defaults) become null so "unset" never turns into a dimension value. */
export function nonEmpty(value: string | undefined | null): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** An optional non-negative integer read raw (e.g. a field a producer may add later). */
export function optionalInt(raw: RawData, ...fields: string[]): number | null {
  for (const f of fields) {
    const v = raw[f];
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  }
  return null;
}

export function optionalString(raw: RawData, ...fields: string[]): string | null {
  for (const f of fields) {
    const v = raw[f];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return null;
}
