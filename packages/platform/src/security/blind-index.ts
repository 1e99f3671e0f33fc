import { PiiCryptoError } from './pii-errors';

/**
 * Normalizers for blind indexes: the index is an exact-match HMAC, so two spellings of the same value must be made
 * identical before hashing, and the same normalizer must be used when writing and when looking up.
 */
export type Normalizer = (value: string) => string;
export type NormalizerName = 'email' | 'phone' | 'document' | 'exact';

const E164 = /^\+[1-9]\d{1,14}$/;

export const normalizers: Readonly<Record<NormalizerName, Normalizer>> = Object.freeze({
  /** trim + lowercase (addresses are matched case-insensitively in practice). */
  email: (v: string) => v.normalize('NFC').trim().toLowerCase(),
  /** Must already be E.164 (`+` and up to 15 digits); format with libphonenumber before. Only surrounding spaces are trimmed. */
  phone: (v: string) => {
    const t = v.trim();
    if (!E164.test(t)) throw new PiiCryptoError('phone must be in E.164 form (+ followed by up to 15 digits)', 'bad_input');
    return t;
  },
  /** Passport/ID numbers: uppercase, spaces and hyphens removed. */
  document: (v: string) => v.normalize('NFC').toUpperCase().replace(/[\s-]+/g, ''),
  /** No change. */
  exact: (v: string) => v,
});

export function resolveNormalizer(n: NormalizerName | Normalizer | undefined): Normalizer {
  if (n === undefined) return normalizers.exact;
  if (typeof n === 'function') return n;
  const f = normalizers[n];
  if (!f) throw new PiiCryptoError(`unknown normalizer "${String(n)}"`, 'bad_input');
  return f;
}
