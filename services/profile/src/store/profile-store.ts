import type { AuditRecord, IndexKind, PassengerDoc } from './document';

/**
 * The profile store port. Every write is ONE atomic single-document operation (no multi-document transactions:
 * FerretDB v1 and many MongoDB deployments have none). Both adapters — MongoDB via mongoose (cluster) and the
 * embedded PGlite/JSONB store (`npm start`) — pass the same contract suite (test/fixtures/profile-store-contract.ts).
 */
export interface ProfileStore {
  readonly kind: 'mongo' | 'embedded';
  /** Inserts a new document; false when the id exists. */
  insert(doc: PassengerDoc): Promise<boolean>;
  get(id: string): Promise<PassengerDoc | null>;
  getMany(ids: readonly string[]): Promise<PassengerDoc[]>;
  /**
   * Compare-and-set: replaces the document only if its stored revision is `expectedRev` (and `doc.rev` must be
   * `expectedRev + 1`). Exactly one of several concurrent writers on one revision succeeds; the others get false.
   */
  replace(doc: PassengerDoc, expectedRev: number): Promise<boolean>;
  /** Ids of documents whose index `kind` holds any of `values` (blind-index candidates), at most `limit`. */
  findByIndex(kind: IndexKind, values: readonly string[], limit?: number): Promise<string[]>;
  /** The documents `findByIndex` would name, read in the same round trip (the lookup's hot path). */
  findDocsByIndex(kind: IndexKind, values: readonly string[], limit: number): Promise<PassengerDoc[]>;
  /** Documents with a name key starting with `prefix` (already folded), ordered by id, after `afterId`. */
  searchByName(prefix: string, afterId: string, limit: number): Promise<PassengerDoc[]>;
  /** Documents with pending events or audit records, at most `limit`. */
  findPending(limit: number): Promise<PassengerDoc[]>;
  /** Empties `pending`/`pendingAudit` if the document is still at revision `rev` (bumps `rev`, not `version`). */
  clearPending(id: string, rev: number): Promise<boolean>;

  /** Reserves an idempotency key for `passengerId`; returns the id it was already reserved for, or null if new. */
  reserveIdempotencyKey(key: string, passengerId: string): Promise<string | null>;

  /** Wrapped per-passenger data keys, kept apart from the documents so erasure can shred them. */
  /** Stores `wrapped` unless a key exists already; returns the stored one (first writer wins). */
  ensureDataKey(passengerId: string, wrapped: string): Promise<string>;
  getDataKey(passengerId: string): Promise<string | null>;
  deleteDataKey(passengerId: string): Promise<void>;

  /** Appends audit records; records already present (same id) are left as they are. */
  appendAudit(records: readonly AuditRecord[]): Promise<void>;
  /** Audit records of a passenger ordered by id (ULIDs: time order), after `afterId`. */
  listAudit(passengerId: string, filter: AuditFilter, afterId: string, limit: number): Promise<AuditRecord[]>;

  close(): Promise<void>;
}

export interface AuditFilter {
  /** Inclusive start / exclusive end, ISO instants. */
  from?: string;
  to?: string;
  actions?: readonly number[];
}
