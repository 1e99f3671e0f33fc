/**
 * Parameter serializers for PGlite matching node-postgres' handling of the same JS values. They avoid `instanceof`
 * (PGlite's built-ins use it) because under jest PGlite lives in another JS realm, where a test's Date or Buffer is
 * not an instance of PGlite's Date or Uint8Array.
 */
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

function timestamp(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isDate(v)) return v.toISOString();
  if (typeof v === 'number') return new Date(v).toISOString();
  throw new TypeError('a date/timestamp parameter must be a Date, an ISO string or epoch milliseconds');
}

function bytea(v: unknown): string {
  if (typeof v === 'string') return v;
  if (ArrayBuffer.isView(v)) return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  throw new TypeError('a bytea parameter must be a Buffer/Uint8Array or a string');
}

export const pgliteSerializers: Record<number, (value: unknown) => string> = {
  17: bytea,
  1082: timestamp,
  1114: timestamp,
  1184: timestamp,
};
