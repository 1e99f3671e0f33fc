import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigError } from '../config';
import { fromB64url, KEY_BYTES, open, seal } from './aead';
import { resolveNormalizer, type Normalizer, type NormalizerName } from './blind-index';
import { DataKey, dataKeyFromBytes } from './data-key';
import { PiiCryptoError } from './pii-errors';

/**
 * PII field encryption with key ids. Each ciphertext names the key that sealed it, so keys rotate without a big-bang
 * re-encryption: add a new key, make it active (new writes use it), keep the old ones to read existing data, re-encrypt
 * in the background (`needsRotation` / `reencryptField`), then drop the old key. Blind indexes use separate HMAC keys
 * (a leaked index key must not reveal plaintext, and an encryption key must not be usable to build lookups).
 *
 * Formats (all ASCII, safe for TEXT columns):
 *   field ciphertext   `v1:<kid>:<b64url(iv ‖ ct ‖ tag)>`          AAD = "csm-pii:v1:<kid>" NUL <caller aad>
 *   wrapped data key   `w1:<kid>:<b64url(iv ‖ ct ‖ tag)>`          AAD = "csm-dek:w1:<kid>" NUL <subject>
 *   blind index        `<kid>:<b64url(HMAC-SHA256)>`               input = <context> NUL <normalized value>
 */
export type KeyMaterial = Uint8Array | string;

export interface KeyRingConfig {
  /** Encryption keys: `"k2:<base64>,k1:<base64>"` or `{ k2: <32 bytes or base64>, ... }`. */
  keys: string | Readonly<Record<string, KeyMaterial>>;
  /** Id of the key new writes use. May be omitted when there is exactly one key. */
  activeKeyId?: string;
  /** Blind-index HMAC keys, same forms. Optional: without them `blindIndex` throws. */
  indexKeys?: string | Readonly<Record<string, KeyMaterial>>;
  activeIndexKeyId?: string;
}

/** Environment variable names, so errors can name the one to fix. */
export const PII_ENV = {
  keys: 'CSM_PII_KEYS',
  activeKey: 'CSM_PII_ACTIVE_KEY',
  indexKeys: 'CSM_PII_INDEX_KEYS',
  activeIndexKey: 'CSM_PII_ACTIVE_INDEX_KEY',
} as const;

export interface FieldOptions {
  /** Binds the ciphertext to its place, e.g. `fieldAad('profiles', 'email', profileId)`: a ciphertext copied to another field/record fails to decrypt. */
  aad?: string;
}

export interface BlindIndexOptions {
  normalize?: NormalizerName | Normalizer;
  /** Domain separation: the same value in two different fields gets unrelated indexes (e.g. `'profiles.email'`). */
  context?: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Canonical AAD for a field of a record; unambiguous whatever characters the parts contain. */
export function fieldAad(...parts: string[]): string {
  return JSON.stringify(parts);
}

/** A fresh random 256-bit key, base64 — what goes into CSM_PII_KEYS / CSM_PII_INDEX_KEYS. */
export function generatePiiKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function parseKeys(input: string | Readonly<Record<string, KeyMaterial>>, variable: string): Map<string, Buffer> {
  const entries: [string, KeyMaterial][] =
    typeof input === 'string'
      ? input
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
          .map((pair): [string, string] => {
            const at = pair.indexOf(':');
            if (at <= 0) throw new ConfigError(`${variable} must be a comma-separated list of <keyId>:<base64 key>`, [variable]);
            return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
          })
      : Object.entries(input);
  if (entries.length === 0) throw new ConfigError(`${variable} must list at least one key`, [variable]);
  const keys = new Map<string, Buffer>();
  for (const [id, material] of entries) {
    if (!KEY_ID.test(id)) throw new ConfigError(`${variable}: key id "${id}" must be 1-32 characters of A-Z a-z 0-9 _ -`, [variable]);
    if (keys.has(id)) throw new ConfigError(`${variable}: key id "${id}" appears twice`, [variable]);
    let bytes: Buffer;
    if (typeof material === 'string') {
      if (!B64.test(material)) throw new ConfigError(`${variable}: key "${id}" is not base64`, [variable]);
      bytes = Buffer.from(material, 'base64'); // Node's base64 decoder also accepts the URL-safe alphabet
    } else {
      bytes = Buffer.from(material);
    }
    // Never echo the key: only its id and decoded length.
    if (bytes.length !== KEY_BYTES) throw new ConfigError(`${variable}: key "${id}" must be ${KEY_BYTES} bytes (256 bits), got ${bytes.length}`, [variable]);
    keys.set(id, bytes);
  }
  return keys;
}

function pickActive(keys: Map<string, Buffer>, active: string | undefined, keysVar: string, activeVar: string): string {
  if (active === undefined || active.trim() === '') {
    if (keys.size === 1) return [...keys.keys()][0] as string;
    throw new ConfigError(`${activeVar} is required when ${keysVar} lists more than one key`, [activeVar]);
  }
  if (!keys.has(active)) throw new ConfigError(`${activeVar} names key "${active}", which is not in ${keysVar}`, [activeVar]);
  return active;
}

function splitHeader(value: string, prefix: 'v1' | 'w1', what: string): [string, string] {
  if (typeof value !== 'string') throw new PiiCryptoError(`${what} must be a string`, 'malformed');
  const parts = value.split(':');
  if (parts.length !== 3 || parts[0] !== prefix || !parts[1] || parts[2] === undefined) {
    throw new PiiCryptoError(`${what} is not in the ${prefix}:<keyId>:<data> format`, 'malformed');
  }
  return [parts[1], parts[2]];
}

export class KeyRing {
  readonly #keys: Map<string, Buffer>;
  readonly #active: string;
  readonly #indexKeys: Map<string, Buffer>;
  readonly #activeIndex: string | undefined;

  constructor(config: KeyRingConfig) {
    this.#keys = parseKeys(config.keys, PII_ENV.keys);
    this.#active = pickActive(this.#keys, config.activeKeyId, PII_ENV.keys, PII_ENV.activeKey);
    if (config.indexKeys !== undefined) {
      this.#indexKeys = parseKeys(config.indexKeys, PII_ENV.indexKeys);
      this.#activeIndex = pickActive(this.#indexKeys, config.activeIndexKeyId, PII_ENV.indexKeys, PII_ENV.activeIndexKey);
      for (const [id, k] of this.#indexKeys) {
        if ([...this.#keys.values()].some((e) => e.equals(k))) {
          throw new ConfigError(`${PII_ENV.indexKeys}: key "${id}" is also an encryption key; index keys must be separate`, [PII_ENV.indexKeys]);
        }
      }
    } else {
      this.#indexKeys = new Map();
      this.#activeIndex = undefined;
    }
  }

  get activeKeyId(): string {
    return this.#active;
  }
  get keyIds(): readonly string[] {
    return [...this.#keys.keys()];
  }
  get activeIndexKeyId(): string | undefined {
    return this.#activeIndex;
  }
  get indexKeyIds(): readonly string[] {
    return [...this.#indexKeys.keys()];
  }

  // ---- field encryption -------------------------------------------------------------------------------------------

  encryptField(plaintext: string, opts: FieldOptions = {}): string {
    if (typeof plaintext !== 'string') throw new PiiCryptoError('encryptField takes a string', 'bad_input');
    const kid = this.#active;
    const blob = seal(this.#key(kid), Buffer.from(plaintext, 'utf8'), aad(`csm-pii:v1:${kid}`, opts.aad));
    return `v1:${kid}:${blob.toString('base64url')}`;
  }

  decryptField(ciphertext: string, opts: FieldOptions = {}): string {
    const [kid, data] = splitHeader(ciphertext, 'v1', 'PII ciphertext');
    const blob = fromB64url(data, 'PII ciphertext');
    return open(this.#key(kid), blob, aad(`csm-pii:v1:${kid}`, opts.aad)).toString('utf8');
  }

  /** The key id a ciphertext (field or wrapped data key) was sealed with. */
  keyIdOf(ciphertext: string): string {
    const prefix = ciphertext.startsWith('w1:') ? 'w1' : 'v1';
    return splitHeader(ciphertext, prefix, 'PII ciphertext')[0];
  }

  /** True when a ciphertext was sealed with a key other than the active one (a background job should re-encrypt it). */
  needsRotation(ciphertext: string): boolean {
    return this.keyIdOf(ciphertext) !== this.#active;
  }

  /** Decrypts with whatever key sealed it and re-encrypts with the active key (same AAD). */
  reencryptField(ciphertext: string, opts: FieldOptions = {}): string {
    return this.encryptField(this.decryptField(ciphertext, opts), opts);
  }

  // ---- blind indexes ----------------------------------------------------------------------------------------------

  /** Deterministic exact-match index of `value` under the active index key: store it next to the ciphertext. */
  blindIndex(value: string, opts: BlindIndexOptions = {}): string {
    if (this.#activeIndex === undefined) throw this.#noIndexKeys();
    return this.#hmac(this.#activeIndex, value, opts);
  }

  /**
   * The index of `value` under every index key, active first: look up with `WHERE x_bidx = ANY($1)` while rows
   * written under an older index key still exist.
   */
  blindIndexCandidates(value: string, opts: BlindIndexOptions = {}): string[] {
    if (this.#activeIndex === undefined) throw this.#noIndexKeys();
    const ids = [this.#activeIndex, ...[...this.#indexKeys.keys()].filter((k) => k !== this.#activeIndex)];
    return ids.map((id) => this.#hmac(id, value, opts));
  }

  // ---- per-subject data keys (crypto-shredding) --------------------------------------------------------------------

  /**
   * A fresh random 256-bit data key for one subject, plus the same key wrapped by the active key ring key. Store only
   * `wrapped` (e.g. in a `subject_keys` row); deleting that row makes everything sealed with the key unreadable.
   * `subject` binds the wrapped key to its owner so it cannot be reused for another subject.
   */
  createDataKey(opts: { subject?: string } = {}): { wrapped: string; key: DataKey } {
    const raw = randomBytes(KEY_BYTES);
    const kid = this.#active;
    const blob = seal(this.#key(kid), raw, aad(`csm-dek:w1:${kid}`, opts.subject));
    const key = dataKeyFromBytes(raw);
    raw.fill(0);
    return { wrapped: `w1:${kid}:${blob.toString('base64url')}`, key };
  }

  unwrapDataKey(wrapped: string, opts: { subject?: string } = {}): DataKey {
    const [kid, data] = splitHeader(wrapped, 'w1', 'wrapped data key');
    const raw = open(this.#key(kid), fromB64url(data, 'wrapped data key'), aad(`csm-dek:w1:${kid}`, opts.subject));
    const key = dataKeyFromBytes(raw);
    raw.fill(0);
    return key;
  }

  /** Re-wraps a data key under the active key (after a rotation); the data sealed with it is untouched. */
  rewrapDataKey(wrapped: string, opts: { subject?: string } = {}): string {
    const [kid, data] = splitHeader(wrapped, 'w1', 'wrapped data key');
    const raw = open(this.#key(kid), fromB64url(data, 'wrapped data key'), aad(`csm-dek:w1:${kid}`, opts.subject));
    const active = this.#active;
    const blob = seal(this.#key(active), raw, aad(`csm-dek:w1:${active}`, opts.subject));
    raw.fill(0);
    return `w1:${active}:${blob.toString('base64url')}`;
  }

  // ---- never leak key material through logs -------------------------------------------------------------------------

  toJSON(): Record<string, unknown> {
    return { activeKeyId: this.#active, keyIds: this.keyIds, activeIndexKeyId: this.#activeIndex, indexKeyIds: this.indexKeyIds };
  }
  [inspect.custom](): string {
    return `KeyRing ${JSON.stringify(this.toJSON())}`;
  }

  #key(kid: string): Buffer {
    const key = this.#keys.get(kid);
    if (!key) throw new PiiCryptoError(`PII ciphertext uses key id "${kid}", which is not in the key ring (${PII_ENV.keys})`, 'unknown_key');
    return key;
  }

  #hmac(kid: string, value: string, opts: BlindIndexOptions): string {
    if (typeof value !== 'string') throw new PiiCryptoError('blindIndex takes a string', 'bad_input');
    const normalized = resolveNormalizer(opts.normalize)(value);
    if (normalized.length === 0) throw new PiiCryptoError('cannot index an empty value', 'bad_input');
    const key = this.#indexKeys.get(kid) as Buffer;
    const mac = createHmac('sha256', key).update(opts.context ?? '', 'utf8').update('\0').update(normalized, 'utf8').digest();
    return `${kid}:${mac.toString('base64url')}`;
  }

  #noIndexKeys(): PiiCryptoError {
    return new PiiCryptoError(`no blind-index keys configured (${PII_ENV.indexKeys})`, 'no_index_key');
  }
}

function aad(header: string, callerAad: string | undefined): Buffer {
  return Buffer.from(`${header}\0${callerAad ?? ''}`, 'utf8');
}

/**
 * Builds the key ring from CSM_PII_KEYS, CSM_PII_ACTIVE_KEY, CSM_PII_INDEX_KEYS, CSM_PII_ACTIVE_INDEX_KEY. Throws a
 * ConfigError naming the variable on a missing or malformed value (keys must decode to exactly 32 bytes).
 */
export function keyRingFromEnv(env: Record<string, string | undefined> = process.env): KeyRing {
  const keys = env[PII_ENV.keys];
  if (keys === undefined || keys.trim() === '') throw new ConfigError(`${PII_ENV.keys} is required`, [PII_ENV.keys]);
  const indexKeys = env[PII_ENV.indexKeys];
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  return new KeyRing({
    keys,
    activeKeyId: blank(env[PII_ENV.activeKey]),
    indexKeys: blank(indexKeys),
    activeIndexKeyId: blank(env[PII_ENV.activeIndexKey]),
  });
}
