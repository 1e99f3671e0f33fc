import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PiiCryptoError } from './pii-errors';

/**
 * AES-256-GCM with a fresh 96-bit random IV per message, 128-bit tag. Random IVs are safe for up to ~2^32 messages per
 * key — rotate the active key well before that. The sealed blob is IV ‖ ciphertext ‖ tag.
 */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}

export function open(key: Buffer, blob: Buffer, aad: Buffer): Buffer {
  if (blob.length < IV_BYTES + TAG_BYTES) throw new PiiCryptoError('PII ciphertext is truncated', 'malformed');
  const iv = blob.subarray(0, IV_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  const ct = blob.subarray(IV_BYTES, blob.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    // OpenSSL only says "unable to authenticate data"; the useful part is what that means here.
    throw new PiiCryptoError(
      'PII ciphertext failed authentication: it was altered, or its AAD (record/field binding) does not match',
      'auth_failed',
    );
  }
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function fromB64url(s: string, what: string): Buffer {
  if (!B64URL.test(s)) throw new PiiCryptoError(`${what} is not base64url`, 'malformed');
  return Buffer.from(s, 'base64url');
}
