import { inspect } from 'node:util';
import { fromB64url, KEY_BYTES, open, seal } from './aead';
import { PiiCryptoError } from './pii-errors';

/**
 * A per-subject data key (envelope encryption). Only its wrapped form is stored; the raw key lives in this opaque
 * object, which never serializes or prints its bytes. Ciphertext format: `d1:<b64url(iv ‖ ct ‖ tag)>`,
 * AAD = "csm-pii:d1" NUL <caller aad>.
 */
const material = new WeakMap<DataKey, Buffer>();

export class DataKey {
  private constructor() {}

  /** @internal Built by KeyRing.createDataKey / unwrapDataKey. */
  static fromBytes(raw: Uint8Array): DataKey {
    if (raw.length !== KEY_BYTES) throw new PiiCryptoError(`a data key must be ${KEY_BYTES} bytes`, 'bad_input');
    const k = new DataKey();
    material.set(k, Buffer.from(raw));
    return k;
  }

  /** Zeroes the in-memory copy; the key is unusable afterwards. (Shredding itself = deleting the wrapped key.) */
  destroy(): void {
    material.get(this)?.fill(0);
    material.delete(this);
  }

  toJSON(): string {
    return '[DataKey]';
  }
  [inspect.custom](): string {
    return '[DataKey]';
  }
}

export function dataKeyFromBytes(raw: Uint8Array): DataKey {
  return DataKey.fromBytes(raw);
}

function keyOf(dk: DataKey): Buffer {
  const k = material.get(dk);
  if (!k) throw new PiiCryptoError('data key was destroyed', 'destroyed_key');
  return k;
}

function aad(callerAad: string | undefined): Buffer {
  return Buffer.from(`csm-pii:d1\0${callerAad ?? ''}`, 'utf8');
}

export function encryptWithDataKey(dk: DataKey, plaintext: string, opts: { aad?: string } = {}): string {
  if (typeof plaintext !== 'string') throw new PiiCryptoError('encryptWithDataKey takes a string', 'bad_input');
  return `d1:${seal(keyOf(dk), Buffer.from(plaintext, 'utf8'), aad(opts.aad)).toString('base64url')}`;
}

export function decryptWithDataKey(dk: DataKey, ciphertext: string, opts: { aad?: string } = {}): string {
  if (typeof ciphertext !== 'string' || !ciphertext.startsWith('d1:')) {
    throw new PiiCryptoError('data-key ciphertext is not in the d1:<data> format', 'malformed');
  }
  return open(keyOf(dk), fromB64url(ciphertext.slice(3), 'data-key ciphertext'), aad(opts.aad)).toString('utf8');
}
