import { ValidationError, type FieldViolation } from './domain-errors';

/**
 * Paths (`contact.email`, `tags[2]`) of every string in `value` holding a NUL character. PostgreSQL cannot store NUL
 * in text or jsonb, so such input would otherwise fail deep in a store as an internal error instead of a 400.
 */
export function nulCharacterPaths(value: unknown, path = '', out: string[] = [], depth = 0): string[] {
  if (depth > 32 || out.length >= 20) return out;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulCharacterPaths(v, `${path}[${i}]`, out, depth + 1));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) out.push(path ? `${path}.<key>` : '<key>');
      nulCharacterPaths(v, path ? `${path}.${k}` : k, out, depth + 1);
    }
  }
  return out;
}

/** The violations for `nulCharacterPaths`, each naming its field. */
export function nulCharacterViolations(value: unknown, prefix = ''): FieldViolation[] {
  return nulCharacterPaths(value).map((p) => ({ field: [prefix, p].filter((s) => s !== '').join('.') || prefix || 'request', description: 'must not contain NUL characters', rule: 'CHARACTERS' }));
}

/** Whether any string (or key) in `value` holds a NUL character: the cheap pass, no paths built. */
function hasNulCharacter(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some((v) => hasNulCharacter(v, depth + 1));
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) {
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      if (k.includes('\u0000') || hasNulCharacter((value as Record<string, unknown>)[k], depth + 1)) return true;
    }
  }
  return false;
}

/** Throws a ValidationError naming every string field of a request that holds a NUL character. */
export function rejectNulCharacters(request: unknown): void {
  // Every request passes through here and almost none holds a NUL: build the paths only when one does.
  if (!hasNulCharacter(request)) return;
  const violations = nulCharacterViolations(request);
  if (violations.length > 0) throw new ValidationError(violations);
}
