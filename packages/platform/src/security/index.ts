// Caller identity (JWT → Principal), authorization checks, and PII protection (field encryption, blind indexes,
// per-subject data keys for crypto-shredding).
export { ROLES, ANONYMOUS, hasRole, hasScope } from './principal';
export type { Role, Principal } from './principal';
export { UnauthenticatedError, PermissionDeniedError, UnavailableError } from './errors';
export { principalFromClaims, DEFAULT_ROLES_CLAIMS } from './claims';
export type { ClaimsMapping } from './claims';
export { createJwtVerifier, bearerToken, DEFAULT_JWT_ALGORITHMS } from './jwt-verifier';
export type { JwtVerifier, JwtVerifierOptions, JwtAlgorithm } from './jwt-verifier';
export { createDevIssuer } from './dev-issuer';
export { cachedVerifier } from './cached-verifier';
export type { CachedVerifierOptions } from './cached-verifier';
export type { DevIssuer, DevIssuerOptions, IssueRequest } from './dev-issuer';
export { requireRole, requireScope, requireSelfOrRole, requirePartnerOrRole } from './authorize';
export { KeyRing, keyRingFromEnv, fieldAad, generatePiiKey, PII_ENV } from './key-ring';
export type { KeyRingConfig, KeyMaterial, FieldOptions, BlindIndexOptions } from './key-ring';
export { normalizers } from './blind-index';
export type { Normalizer, NormalizerName } from './blind-index';
export { DataKey, encryptWithDataKey, decryptWithDataKey } from './data-key';
export { PiiCryptoError } from './pii-errors';
export type { PiiCryptoFailure } from './pii-errors';
export { createClientCredentialsTokenSource } from './client-credentials';
export type { ClientCredentialsOptions, TokenSource } from './client-credentials';
