/** MongoDB's (and FerretDB's) error code for a unique-index violation (E11000). */
export const DUPLICATE_KEY_CODE = 11000;

/**
 * True when `err` is a unique-index violation from the server (a MongoServerError with code 11000,
 * also reported inside a bulk write as `writeErrors[].code`), so callers can map it to a domain
 * "already exists" error instead of a 500.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: unknown };
  if (e.code === DUPLICATE_KEY_CODE) return true;
  return (
    Array.isArray(e.writeErrors) &&
    e.writeErrors.some((w: unknown) => typeof w === 'object' && w !== null && (w as { code?: unknown }).code === DUPLICATE_KEY_CODE)
  );
}
