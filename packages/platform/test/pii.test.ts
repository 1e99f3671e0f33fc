import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigError } from '../src/config';
import {
  decryptWithDataKey,
  encryptWithDataKey,
  fieldAad,
  generatePiiKey,
  KeyRing,
  keyRingFromEnv,
  PiiCryptoError,
} from '../src/security';

const k1 = generatePiiKey();
const k2 = generatePiiKey();
const i1 = generatePiiKey();
const i2 = generatePiiKey();

function ring(active: 'k1' | 'k2' = 'k2', activeIndex: 'i1' | 'i2' = 'i1'): KeyRing {
  return keyRingFromEnv({
    CSM_PII_KEYS: active === 'k2' ? `k2:${k2},k1:${k1}` : `k1:${k1}`,
    CSM_PII_ACTIVE_KEY: active,
    CSM_PII_INDEX_KEYS: activeIndex === 'i2' ? `i2:${i2},i1:${i1}` : `i1:${i1}`,
    CSM_PII_ACTIVE_INDEX_KEY: activeIndex,
  });
}

/** Flips one bit of the byte at `index` in the decoded blob of a `v1:<kid>:<b64url>` value. */
function flip(ciphertext: string, index: (len: number) => number): string {
  const [v, kid, data] = ciphertext.split(':') as [string, string, string];
  const blob = Buffer.from(data, 'base64url');
  const at = index(blob.length);
  blob[at] = (blob[at] as number) ^ 0x01;
  return `${v}:${kid}:${blob.toString('base64url')}`;
}

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PiiCryptoError) return err.reason;
    throw err;
  }
  throw new Error('expected a PiiCryptoError');
}

describe('PII field encryption', () => {
  it('round-trips text, including empty and non-ASCII values', () => {
    const r = ring();
    for (const value of ['jane.doe@example.com', '', 'Zoë Ångström 李小龙 ✈️']) {
      const ct = r.encryptField(value, { aad: fieldAad('profiles', 'name', 'pax_1') });
      expect(ct).toMatch(/^v1:k2:[A-Za-z0-9_-]+$/);
      expect(ct).not.toContain(value || '\u0000');
      expect(r.decryptField(ct, { aad: fieldAad('profiles', 'name', 'pax_1') })).toBe(value);
    }
  });

  it('uses a fresh IV per encryption (same input, different ciphertexts; 12-byte IV + 16-byte tag)', () => {
    const r = ring();
    const a = r.encryptField('same');
    const b = r.encryptField('same');
    expect(a).not.toBe(b);
    const blob = Buffer.from(a.split(':')[2] as string, 'base64url');
    expect(blob.length).toBe(12 + 'same'.length + 16);
  });

  it.each([
    ['IV', (_len: number) => 0],
    ['ciphertext', (_len: number) => 12],
    ['tag', (len: number) => len - 1],
  ])('detects a flipped %s byte', (_what, index) => {
    const r = ring();
    const ct = r.encryptField('4111 1111 1111 1111', { aad: 'x' });
    expect(reason(() => r.decryptField(flip(ct, index), { aad: 'x' }))).toBe('auth_failed');
  });

  it('rejects a truncated or malformed value', () => {
    const r = ring();
    expect(reason(() => r.decryptField('v1:k2:AAAA'))).toBe('malformed');
    expect(reason(() => r.decryptField('not-a-ciphertext'))).toBe('malformed');
    expect(reason(() => r.decryptField('v1:k2:***'))).toBe('malformed');
  });

  it('binds the ciphertext to its AAD: moved to another record or field, it no longer decrypts', () => {
    const r = ring();
    const ct = r.encryptField('+447700900123', { aad: fieldAad('profiles', 'phone', 'pax_1') });
    expect(reason(() => r.decryptField(ct, { aad: fieldAad('profiles', 'phone', 'pax_2') }))).toBe('auth_failed');
    expect(reason(() => r.decryptField(ct, { aad: fieldAad('profiles', 'email', 'pax_1') }))).toBe('auth_failed');
    expect(reason(() => r.decryptField(ct))).toBe('auth_failed');
    expect(() => r.decryptField(ct, { aad: fieldAad('profiles', 'phone', 'pax_1') })).not.toThrow();
  });

  it('rotation: old key ids still decrypt, new writes use the active key, re-encryption moves data forward', () => {
    const before = ring('k1');
    const old = before.encryptField('passport X123', { aad: 'a' });
    expect(before.keyIdOf(old)).toBe('k1');

    const after = ring('k2');
    expect(after.decryptField(old, { aad: 'a' })).toBe('passport X123');
    expect(after.needsRotation(old)).toBe(true);
    const fresh = after.encryptField('passport X123', { aad: 'a' });
    expect(after.keyIdOf(fresh)).toBe('k2');
    const moved = after.reencryptField(old, { aad: 'a' });
    expect(after.keyIdOf(moved)).toBe('k2');
    expect(after.needsRotation(moved)).toBe(false);
    expect(after.decryptField(moved, { aad: 'a' })).toBe('passport X123');

    // Once k1 is retired the old ciphertext fails with a clear, specific error.
    const retired = new KeyRing({ keys: `k2:${k2}`, activeKeyId: 'k2' });
    expect(() => retired.decryptField(old, { aad: 'a' })).toThrow(/key id "k1", which is not in the key ring \(CSM_PII_KEYS\)/);
    expect(reason(() => retired.decryptField(old, { aad: 'a' }))).toBe('unknown_key');
  });

  it('a ciphertext re-labelled with another key id fails authentication', () => {
    const r = ring();
    const ct = r.encryptField('secret');
    expect(reason(() => r.decryptField(ct.replace('v1:k2:', 'v1:k1:')))).toBe('auth_failed');
  });
});

describe('blind indexes', () => {
  it('same normalized value → same index; different value → different index', () => {
    const r = ring();
    const a = r.blindIndex('Jane.Doe@Example.com ', { normalize: 'email' });
    expect(r.blindIndex('  jane.doe@example.COM', { normalize: 'email' })).toBe(a);
    expect(r.blindIndex('john.doe@example.com', { normalize: 'email' })).not.toBe(a);
    expect(a).toMatch(/^i1:[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('jane');
  });

  it('normalizes document numbers (uppercase, no spaces/hyphens) and validates E.164 phones', () => {
    const r = ring();
    expect(r.blindIndex('ab-123 456', { normalize: 'document' })).toBe(r.blindIndex('AB123456', { normalize: 'document' }));
    expect(r.blindIndex('+447700900123', { normalize: 'phone' })).toBe(r.blindIndex(' +447700900123 ', { normalize: 'phone' }));
    expect(r.blindIndex('+447700900123', { normalize: 'phone' })).not.toBe(r.blindIndex('+447700900124', { normalize: 'phone' }));
    expect(reason(() => r.blindIndex('07700 900123', { normalize: 'phone' }))).toBe('bad_input');
    expect(reason(() => r.blindIndex('   ', { normalize: 'email' }))).toBe('bad_input');
  });

  it('is case-sensitive without a normalizer, and separated by context', () => {
    const r = ring();
    expect(r.blindIndex('ABC')).not.toBe(r.blindIndex('abc'));
    expect(r.blindIndex('x@y.z', { context: 'profiles.email' })).not.toBe(r.blindIndex('x@y.z', { context: 'cases.contact_email' }));
  });

  it('differs from a plain hash and depends on the index key; candidates cover every index key during rotation', () => {
    const oldRing = ring('k2', 'i1');
    const stored = oldRing.blindIndex('a@b.c', { normalize: 'email' });
    const rotated = ring('k2', 'i2');
    const fresh = rotated.blindIndex('a@b.c', { normalize: 'email' });
    expect(fresh.startsWith('i2:')).toBe(true);
    expect(fresh.split(':')[1]).not.toBe(stored.split(':')[1]);
    const candidates = rotated.blindIndexCandidates('A@B.C', { normalize: 'email' });
    expect(candidates).toEqual([fresh, stored]);
  });

  it('fails clearly when no index keys are configured', () => {
    const r = new KeyRing({ keys: `k1:${k1}` });
    expect(() => r.blindIndex('x')).toThrow(/CSM_PII_INDEX_KEYS/);
  });
});

describe('per-subject data keys (crypto-shredding)', () => {
  it('seals subject data under a wrapped data key; destroying the wrapped key makes it unreadable', () => {
    const r = ring();
    const { wrapped, key } = r.createDataKey({ subject: 'pax_1' });
    expect(wrapped).toMatch(/^w1:k2:/);
    const ct = encryptWithDataKey(key, 'Jane Doe, 1980-02-03', { aad: 'profiles.name' });
    expect(ct).toMatch(/^d1:/);

    // Later request: only the wrapped key is stored; unwrap and read.
    const again = r.unwrapDataKey(wrapped, { subject: 'pax_1' });
    expect(decryptWithDataKey(again, ct, { aad: 'profiles.name' })).toBe('Jane Doe, 1980-02-03');

    // A wrapped key cannot be used for another subject.
    expect(reason(() => r.unwrapDataKey(wrapped, { subject: 'pax_2' }))).toBe('auth_failed');

    // Shredding: the wrapped key is deleted; any other key (even a fresh one for the same subject) cannot read the data.
    const replacement = r.createDataKey({ subject: 'pax_1' }).key;
    expect(reason(() => decryptWithDataKey(replacement, ct, { aad: 'profiles.name' }))).toBe('auth_failed');

    key.destroy();
    expect(reason(() => encryptWithDataKey(key, 'x'))).toBe('destroyed_key');
  });

  it('survives key-ring rotation (old wrap still opens; rewrap moves it to the active key)', () => {
    const before = ring('k1');
    const { wrapped, key } = before.createDataKey({ subject: 's' });
    const ct = encryptWithDataKey(key, 'v');
    const after = ring('k2');
    expect(decryptWithDataKey(after.unwrapDataKey(wrapped, { subject: 's' }), ct)).toBe('v');
    const rewrapped = after.rewrapDataKey(wrapped, { subject: 's' });
    expect(after.keyIdOf(rewrapped)).toBe('k2');
    expect(decryptWithDataKey(after.unwrapDataKey(rewrapped, { subject: 's' }), ct)).toBe('v');
  });

  it('keeps field ciphertexts and wrapped keys apart', () => {
    const r = ring();
    const { wrapped } = r.createDataKey();
    expect(reason(() => r.decryptField(wrapped))).toBe('malformed');
  });
});

describe('key configuration', () => {
  function configError(env: Record<string, string>): ConfigError {
    try {
      keyRingFromEnv(env);
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('expected a ConfigError');
  }

  it('names the variable and never echoes key material', () => {
    const short = randomBytes(16).toString('base64');
    const e = configError({ CSM_PII_KEYS: `k1:${short}` });
    expect(e.message).toBe('CSM_PII_KEYS: key "k1" must be 32 bytes (256 bits), got 16');
    expect(e.variables).toEqual(['CSM_PII_KEYS']);
    expect(e.message).not.toContain(short);

    expect(configError({}).message).toBe('CSM_PII_KEYS is required');
    expect(configError({ CSM_PII_KEYS: 'nokeyid' }).variables).toEqual(['CSM_PII_KEYS']);
    expect(configError({ CSM_PII_KEYS: `k1:${k1},k2:${k2}` }).message).toMatch(/CSM_PII_ACTIVE_KEY is required/);
    expect(configError({ CSM_PII_KEYS: `k1:${k1}`, CSM_PII_ACTIVE_KEY: 'k9' }).variables).toEqual(['CSM_PII_ACTIVE_KEY']);
    expect(configError({ CSM_PII_KEYS: `k1:${k1},k1:${k2}`, CSM_PII_ACTIVE_KEY: 'k1' }).message).toMatch(/appears twice/);
    expect(configError({ CSM_PII_KEYS: `k1:${k1}`, CSM_PII_INDEX_KEYS: `i1:${k1}` }).message).toMatch(/index keys must be separate/);
    expect(configError({ CSM_PII_KEYS: `k1:${k1}`, CSM_PII_INDEX_KEYS: `i1:${short}` }).variables).toEqual(['CSM_PII_INDEX_KEYS']);
  });

  it('defaults the active key when there is only one, and does not reveal keys when logged', () => {
    const r = keyRingFromEnv({ CSM_PII_KEYS: `only:${k1}`, CSM_PII_INDEX_KEYS: `idx:${i1}` });
    expect(r.activeKeyId).toBe('only');
    expect(r.activeIndexKeyId).toBe('idx');
    const shown = `${inspect(r)} ${JSON.stringify(r)} ${JSON.stringify(r.createDataKey().key)} ${inspect(r.createDataKey().key)}`;
    for (const k of [k1, i1, Buffer.from(k1, 'base64').toString('hex')]) expect(shown).not.toContain(k);
  });
});
