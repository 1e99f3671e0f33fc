/** Why a PII crypto operation failed; stable strings for logs and tests (never key or plaintext material). */
export type PiiCryptoFailure = 'malformed' | 'unknown_key' | 'auth_failed' | 'no_index_key' | 'bad_input' | 'destroyed_key';

export class PiiCryptoError extends Error {
  constructor(
    message: string,
    readonly reason: PiiCryptoFailure,
  ) {
    super(message);
    this.name = 'PiiCryptoError';
  }
}
