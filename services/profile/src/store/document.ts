import type { CloudEvent } from '@csm/platform/events';

/**
 * The stored form of a passenger, identical in both adapters (MongoDB document / PGlite JSONB). Personal data lives
 * only in `pii` (sealed with the passenger's own data key); lookups go through HMAC blind indexes in `idx`.
 */
export type PassengerState = 'ACTIVE' | 'MERGED' | 'ERASED';

export interface StoredActor {
  kind: number;
  id: string;
}

export interface StoredClassification {
  type: number;
  grade: number;
  vipLevel: number;
  /** 1 evaluated, 2 override. */
  source: number;
  overrideReason: string;
  overriddenBy: StoredActor | null;
  overrideExpireTime: string | null;
  effectiveTime: string;
}

/** Dynamic, non-identifying facts fed by other services' events (kept after erasure). */
export interface PassengerStats {
  tripsFlown: number;
  lastFlightId: string;
  lastFlightDate: string;
  /** ISO times of disruptions experienced (bounded, newest last). */
  disruptionTimes: string[];
  openCaseIds: string[];
  lastCsat: number | null;
  lastNps: number | null;
  lifetimeValueMinor: number;
  loyaltyTier: string;
  /** Behaviour summary: counts per observed choice ("seat:WINDOW", "meal:VGML", "channel:app"). */
  behaviour: Record<string, number>;
}

/** One audit record (names of fields only, never values). */
export interface AuditRecord {
  _id: string;
  passengerId: string;
  time: string;
  actor: StoredActor;
  action: number;
  fields: string[];
  purpose: string;
  requestId: string;
}

export interface PassengerDoc {
  _id: string;
  /** Client-visible version (optimistic concurrency of use cases): bumped by every change a caller can see. */
  version: number;
  /**
   * Store revision: the compare-and-set token of EVERY write, including the relay clearing `pending` (which must not
   * bump `version`, or callers would get spurious conflicts).
   */
  rev: number;
  state: PassengerState;
  mergedIntoId: string;
  /** Ids folded into this survivor. */
  mergedIds: string[];
  /** AES-GCM (per-passenger data key) of the JSON profile data; null once erased. */
  pii: string | null;
  /** Blind indexes per strong key; `member` holds loyalty member ids (not personal data). */
  idx: { phone: string[]; email: string[]; doc: string[]; ffp: string[]; member: string[] };
  /** Folded name keys for prefix search (names must be searchable; cleared on erasure). */
  names: string[];
  classification: StoredClassification;
  stats: PassengerStats;
  /** Ids of consumed events applied to this document (bounded): de-duplication in the same write as the effect. */
  seen: string[];
  /** Outbox inside the document: events written atomically with the change, cleared by the relay. */
  pending: CloudEvent[];
  /** Audit records of the change, written with it; the relay copies them into the audit collection. */
  pendingAudit: AuditRecord[];
  hasPending: boolean;
  createdAt: string;
  createdBy: StoredActor;
  updatedAt: string;
  updatedBy: StoredActor;
}

export type IndexKind = keyof PassengerDoc['idx'];
