import { decodePageToken, encodePageToken } from '@csm/platform/paging';
import { profile } from '@csm/contracts';
import {
  FailedPreconditionError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
  type FieldViolation,
} from '@csm/platform/errors';
import type { CloudEvent } from '@csm/platform/events';
import { hasScope, requireRole, requireScope, requireSelfOrRole, type DataKey, type Principal } from '@csm/platform/security';
import { ulid } from '@csm/platform/ids';
import { activeSsrCodes, evaluateClassification } from '../domain/classification';
import { matchDuplicate } from '../domain/duplicates';
import { maskPassenger } from '../domain/masking';
import { mergeProfileData } from '../domain/merge';
import { DATA_FIELDS, PII_FIELDS, dataOf, emptyProfileData, type Passenger, type ProfileData } from '../domain/model';
import { foldName, nameKeys } from '../domain/names';
import { applyUpdateMask, checkUpdateMask, topFields } from '../domain/update-mask';
import { validateProfileData } from '../domain/validate';
import { profileEvents } from '../events/event-builders';
import type { AuditRecord, IndexKind, PassengerDoc, PassengerStats, StoredActor, StoredClassification } from '../store/document';
import { documentKey, indexesOf, lookupCandidates, openProfile, sealProfile } from '../store/pii-codec';
import type { AuditFilter } from '../store/profile-store';
import { SYSTEM_ACTOR, actorOf } from './actor';
import type { ProfileDeps } from './deps';

const { AuditAction, ClassificationSource, PassengerStatus } = profile;

/** Internal: the write lost to a store-revision bump that changed nothing a caller can see; re-run the use case. */
class StaleRevision extends Error {}

/** Who may do what (re-checked here; the gateway checks too). */
const READERS = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin', 'service'] as const;
const WRITERS = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin', 'service'] as const;
const SUPERVISORS = ['supervisor', 'admin'] as const;
const MERGERS = ['agent_l2', 'agent_l3', 'supervisor', 'admin'] as const;
export const PII_READ_SCOPE = 'pii:read';

const MAX_REDIRECTS = 5;
const MAX_PAGE = 100;
const DEFAULT_PAGE = 20;
const MAX_DISRUPTIONS_KEPT = 50;

export interface RequestInfo {
  readonly principal: Principal;
  /** Trace id or similar correlation id for the audit trail. */
  readonly requestId: string;
}

export interface OverrideRequest {
  passengerId: string;
  type: number;
  grade: number;
  vipLevel: number;
  reason: string;
  expireTime?: Date | undefined;
  expectedVersion: number;
}

/** What an event from another service changes on a passenger. */
export interface EventEffect {
  /** Mutates a copy of the stats; returns false when nothing changed. */
  stats?(s: PassengerStats): boolean;
  /** A loyalty member id to link (MemberEnrolled). */
  memberId?: string;
  /** A change to the sealed data, or null for none (e.g. the FFP number learnt from loyalty). */
  data?(d: ProfileData): ProfileData | null;
}

export type LookupKey =
  | { kind: 'ffp'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'document'; type: number; number: string; issuingCountry: string };

function emptyStats(): PassengerStats {
  return {
    tripsFlown: 0,
    lastFlightId: '',
    lastFlightDate: '',
    disruptionTimes: [],
    openCaseIds: [],
    lastCsat: null,
    lastNps: null,
    lifetimeValueMinor: 0,
    loyaltyTier: '',
    behaviour: {},
  };
}

function pageToken(afterId: string, scope: string): string {
  return encodePageToken({ a: afterId, s: scope });
}

/** A token from another query (scope) or not ours at all is INVALID_ARGUMENT naming the field. */
function readPageToken(token: string, scope: string): string {
  const isOurs = (v: unknown): v is { a: string; s: string } =>
    typeof v === 'object' && v !== null && typeof (v as { a?: unknown }).a === 'string' && (v as { s?: unknown }).s === scope;
  return decodePageToken(token, 'page.page_token', isOurs)?.a ?? '';
}

function clampPage(size: number): number {
  return size <= 0 ? DEFAULT_PAGE : Math.min(size, MAX_PAGE);
}

const PASSENGER_ID = /^pax_[0-9A-HJKMNP-TV-Z]{26}$/;

export function checkPassengerId(id: string, field = 'passenger_id'): void {
  if (!PASSENGER_ID.test(id)) throw new ValidationError({ field, description: 'must be "pax_" followed by a ULID', rule: 'INVALID_ID' });
}

/** Top-level proto field names whose values differ between two versions of the data (names only). */
function changedFields(a: ProfileData, b: ProfileData): string[] {
  const ja = profile.Passenger.toJSON(a as Passenger) as Record<string, unknown>;
  const jb = profile.Passenger.toJSON(b as Passenger) as Record<string, unknown>;
  const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return DATA_FIELDS.filter((f) => JSON.stringify(ja[camel(f)]) !== JSON.stringify(jb[camel(f)]));
}

function presentPiiFields(data: ProfileData): string[] {
  const json = profile.Passenger.toJSON(data as Passenger) as Record<string, unknown>;
  const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return PII_FIELDS.filter((f) => json[camel(f)] !== undefined);
}

/**
 * The profile use cases. Every state change is one compare-and-set of one passenger document that carries, in the
 * same write, the events to publish (`pending`) and the audit records of the change (`pendingAudit`).
 */
export class ProfileApp {
  constructor(private readonly deps: ProfileDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  // ---- reading ----------------------------------------------------------------------------------------------------

  private async dataKey(id: string): Promise<DataKey | null> {
    const wrapped = await this.deps.store.getDataKey(id);
    return wrapped === null ? null : this.deps.ring.unwrapDataKey(wrapped, { subject: id });
  }

  /** The decrypted data of a document; empty once erased (the key is shredded and `pii` is gone). */
  async dataOf(doc: PassengerDoc): Promise<ProfileData> {
    if (doc.pii === null) return emptyProfileData();
    const key = await this.dataKey(doc._id);
    if (key === null) return emptyProfileData();
    try {
      return openProfile(key, doc._id, doc.pii);
    } finally {
      key.destroy();
    }
  }

  /** Follows merge redirects to the surviving document. */
  private async resolve(id: string): Promise<PassengerDoc> {
    let doc = await this.deps.store.get(id);
    for (let hop = 0; doc && doc.state === 'MERGED' && hop < MAX_REDIRECTS; hop++) doc = await this.deps.store.get(doc.mergedIntoId);
    if (!doc || doc.state === 'MERGED') throw new NotFoundError('passenger', id);
    return doc;
  }

  private async loadForWrite(id: string, expectedVersion: number | undefined): Promise<PassengerDoc> {
    const doc = await this.deps.store.get(id);
    if (!doc) throw new NotFoundError('passenger', id);
    if (doc.state === 'MERGED') throw new FailedPreconditionError(`passenger ${id} was merged into ${doc.mergedIntoId}; change the survivor`, { reason: 'PASSENGER_MERGED', metadata: { mergedIntoId: doc.mergedIntoId } });
    if (doc.state === 'ERASED') throw new FailedPreconditionError(`passenger ${id} was erased`, { reason: 'PASSENGER_ERASED' });
    if (expectedVersion !== undefined && expectedVersion !== 0 && doc.version !== expectedVersion) {
      throw new VersionConflictError('passenger', id, String(expectedVersion), String(doc.version));
    }
    return doc;
  }

  toPassenger(doc: PassengerDoc, data: ProfileData): Passenger {
    const c = doc.classification;
    return profile.Passenger.fromPartial({
      ...data,
      id: doc._id,
      status: doc.state === 'ACTIVE' ? PassengerStatus.PASSENGER_STATUS_ACTIVE : doc.state === 'MERGED' ? PassengerStatus.PASSENGER_STATUS_MERGED : PassengerStatus.PASSENGER_STATUS_ERASED,
      mergedIntoId: doc.mergedIntoId,
      classification: {
        type: c.type,
        grade: c.grade,
        vipLevel: c.vipLevel,
        source: c.source,
        overrideReason: c.overrideReason,
        overriddenBy: c.overriddenBy ?? undefined,
        overrideExpireTime: c.overrideExpireTime ? new Date(c.overrideExpireTime) : undefined,
        effectiveTime: new Date(c.effectiveTime),
      },
      dynamicData: this.dynamicOf(doc.stats),
      audit: {
        createTime: new Date(doc.createdAt),
        createdBy: doc.createdBy,
        updateTime: new Date(doc.updatedAt),
        updatedBy: doc.updatedBy,
        version: doc.version,
      },
    });
  }

  private audit(req: RequestInfo | null, passengerId: string, action: number, fields: readonly string[], purpose: string): AuditRecord {
    return {
      _id: ulid(),
      passengerId,
      time: this.now().toISOString(),
      actor: req ? actorOf(req.principal) : SYSTEM_ACTOR,
      action,
      fields: [...fields],
      purpose,
      requestId: req?.requestId ?? '',
    };
  }

  /** A read view for the caller: unmasked (and audited before it is returned) only with `pii:read`. */
  private async present(req: RequestInfo, doc: PassengerDoc, action: number, purpose: string): Promise<Passenger> {
    const data = await this.dataOf(doc);
    const passenger = this.toPassenger(doc, data);
    const self = req.principal.profileId !== undefined && req.principal.profileId === doc._id;
    if (!hasScope(req.principal, PII_READ_SCOPE) && !self) return maskPassenger(passenger);
    // Fail closed: no audit record, no personal data.
    await this.deps.store.appendAudit([this.audit(req, doc._id, action, presentPiiFields(data), purpose)]);
    return passenger;
  }

  // ---- classification ---------------------------------------------------------------------------------------------

  private evaluate(doc: PassengerDoc, data: ProfileData, actorNow: Date): { cls: StoredClassification; event: CloudEvent | null } {
    const cur = doc.classification;
    const overrideActive =
      cur.source === ClassificationSource.CLASSIFICATION_SOURCE_OVERRIDE && (!cur.overrideExpireTime || new Date(cur.overrideExpireTime) > actorNow);
    if (overrideActive) return { cls: cur, event: null };
    const r = evaluateClassification(
      {
        hasFfpNumber: data.ffpNumber !== '',
        tripsFlown: doc.stats.tripsFlown,
        lifetimeValueMinor: doc.stats.lifetimeValueMinor,
        loyaltyTier: doc.stats.loyaltyTier,
        activeSsrCodes: activeSsrCodes(data.specialServices, actorNow.toISOString().slice(0, 10)),
        tags: data.tags,
      },
      this.deps.settings.rules,
    );
    const same = r.type === cur.type && r.grade === cur.grade && r.vipLevel === cur.vipLevel && cur.source === ClassificationSource.CLASSIFICATION_SOURCE_EVALUATED;
    if (same) return { cls: cur, event: null };
    const cls: StoredClassification = {
      ...r,
      source: ClassificationSource.CLASSIFICATION_SOURCE_EVALUATED,
      overrideReason: '',
      overriddenBy: null,
      overrideExpireTime: null,
      effectiveTime: actorNow.toISOString(),
    };
    const event = profileEvents.classified({
      passengerId: doc._id,
      previousType: cur.type,
      previousGrade: cur.grade,
      previousVipLevel: cur.vipLevel,
      type: cls.type,
      grade: cls.grade,
      vipLevel: cls.vipLevel,
      source: cls.source,
      version: doc.version + 1,
    });
    return { cls, event };
  }

  // ---- writing ----------------------------------------------------------------------------------------------------

  /** The next version of a document: data re-sealed and re-indexed, events and audit records queued in it. */
  private async next(
    doc: PassengerDoc,
    data: ProfileData | null,
    actor: StoredActor,
    events: CloudEvent[],
    audit: AuditRecord[],
    key?: DataKey,
  ): Promise<PassengerDoc> {
    const out: PassengerDoc = { ...doc, version: doc.version + 1, rev: doc.rev + 1, updatedAt: this.now().toISOString(), updatedBy: actor };
    if (data !== null) {
      const k = key ?? (await this.dataKey(doc._id));
      if (k === null) throw new FailedPreconditionError(`passenger ${doc._id} has no data key`, { reason: 'DATA_KEY_MISSING' });
      out.pii = sealProfile(k, doc._id, data);
      out.idx = { ...indexesOf(this.deps.ring, data), member: doc.idx.member };
      out.names = nameKeys(data.name);
      if (key === undefined) k.destroy();
    }
    out.pending = [...doc.pending, ...events];
    out.pendingAudit = [...doc.pendingAudit, ...audit];
    out.hasPending = out.pending.length + out.pendingAudit.length > 0;
    return out;
  }

  /**
   * Writes `next` over `read` (compare-and-set on the store revision). When the revision moved but the visible
   * version did not (the relay cleared published events meanwhile), the use case is re-run on a fresh read
   * (`StaleRevision`); a moved version is the caller's conflict.
   */
  private async commit(next: PassengerDoc, read: PassengerDoc): Promise<void> {
    if (!(await this.deps.store.replace(next, read.rev))) {
      const cur = await this.deps.store.get(next._id);
      if (cur && cur.version === read.version && cur.state === read.state) throw new StaleRevision();
      throw new VersionConflictError('passenger', next._id, String(read.version), cur ? String(cur.version) : undefined);
    }
    await this.afterWrite(next);
  }

  /** Re-runs a use case whose write lost only to an invisible revision bump (see commit). */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof StaleRevision) || attempt >= 10) throw err instanceof StaleRevision ? new VersionConflictError('passenger', 'busy', 'latest') : err;
      }
    }
  }

  /** Makes audit records visible at once (the relay copies them too, if this fails) and nudges the relay. */
  private async afterWrite(doc: PassengerDoc): Promise<void> {
    try {
      await this.deps.store.appendAudit(doc.pendingAudit);
    } catch (err) {
      this.deps.logger.warn({ err: { message: (err as Error).message }, passengerId: doc._id }, 'audit copy deferred to the relay');
    }
    this.deps.onPending?.();
  }

  private validate(data: ProfileData, only?: ReadonlySet<string>): ProfileData {
    const { data: normalized, violations } = validateProfileData(data, {
      defaultPhoneRegion: this.deps.settings.defaultPhoneRegion,
      today: this.today(),
      ...(only ? { only } : {}),
    });
    if (violations.length > 0) throw new ValidationError(violations);
    return normalized;
  }

  async create(req: RequestInfo, input: Passenger | undefined, idempotencyKey: string, source: string): Promise<Passenger> {
    requireRole(req.principal, ...WRITERS);
    const violations: FieldViolation[] = [];
    if (!input) violations.push({ field: 'passenger', description: 'is required', rule: 'REQUIRED' });
    if (idempotencyKey.length > 128) violations.push({ field: 'idempotency_key', description: 'must be at most 128 characters', rule: 'MAX_LENGTH' });
    if (violations.length > 0) throw new ValidationError(violations);
    const data = this.validate(dataOf(input as Passenger));

    let id = `pax_${ulid()}`;
    if (idempotencyKey) {
      const existing = await this.deps.store.reserveIdempotencyKey(`create:${req.principal.subject}:${idempotencyKey}`, id);
      if (existing !== null) {
        const doc = await this.deps.store.get(existing);
        if (doc) return this.present(req, doc, AuditAction.AUDIT_ACTION_READ, 'idempotent-retry');
        id = existing; // reserved by an attempt that died before writing: finish it under the reserved id
      }
    }
    const fresh = this.deps.ring.createDataKey({ subject: id });
    fresh.key.destroy();
    const wrapped = await this.deps.store.ensureDataKey(id, fresh.wrapped);
    const key = this.deps.ring.unwrapDataKey(wrapped, { subject: id });
    try {
      const at = this.now();
      const actor = actorOf(req.principal);
      const base: PassengerDoc = {
        _id: id,
        version: 0,
        rev: 0,
        state: 'ACTIVE',
        mergedIntoId: '',
        mergedIds: [],
        pii: null,
        idx: { phone: [], email: [], doc: [], ffp: [], member: [] },
        names: [],
        classification: {
          type: profile.PassengerType.PASSENGER_TYPE_UNSPECIFIED,
          grade: profile.CustomerGrade.CUSTOMER_GRADE_UNSPECIFIED,
          vipLevel: 0,
          source: ClassificationSource.CLASSIFICATION_SOURCE_UNSPECIFIED,
          overrideReason: '',
          overriddenBy: null,
          overrideExpireTime: null,
          effectiveTime: at.toISOString(),
        },
        stats: emptyStats(),
        seen: [],
        pending: [],
        pendingAudit: [],
        hasPending: false,
        createdAt: at.toISOString(),
        createdBy: actor,
        updatedAt: at.toISOString(),
        updatedBy: actor,
      };
      const { cls } = this.evaluate(base, data, at);
      const withCls = { ...base, classification: cls };
      const created = profileEvents.created({
        passengerId: id,
        type: cls.type,
        grade: cls.grade,
        vipLevel: cls.vipLevel,
        hasFfpNumber: data.ffpNumber !== '',
        source: source || actor.id,
        version: 1,
      });
      const doc = await this.next(withCls, data, actor, [created], [this.audit(req, id, AuditAction.AUDIT_ACTION_CREATE, changedFields(emptyProfileData(), data), source)], key);
      if (!(await this.deps.store.insert(doc))) {
        // A concurrent retry with the same idempotency key won the race: return its result.
        const winner = await this.deps.store.get(id);
        if (!winner) throw new FailedPreconditionError(`passenger ${id} could not be created`);
        return this.present(req, winner, AuditAction.AUDIT_ACTION_READ, 'idempotent-retry');
      }
      await this.afterWrite(doc);
      return this.present(req, doc, AuditAction.AUDIT_ACTION_READ, 'create');
    } finally {
      key.destroy();
    }
  }

  update(req: RequestInfo, id: string, patch: Passenger | undefined, paths: readonly string[], expectedVersion: number): Promise<Passenger> {
    return this.retrying(() => this.updateOnce(req, id, patch, paths, expectedVersion));
  }

  private async updateOnce(req: RequestInfo, id: string, patch: Passenger | undefined, paths: readonly string[], expectedVersion: number): Promise<Passenger> {
    checkPassengerId(id);
    requireSelfOrRole(req.principal, id, ...WRITERS);
    const violations = checkUpdateMask(paths);
    if (expectedVersion <= 0) violations.push({ field: 'expected_version', description: 'is required (the version you read)', rule: 'REQUIRED' });
    if (violations.length > 0) throw new ValidationError(violations);
    const doc = await this.loadForWrite(id, expectedVersion);
    const before = await this.dataOf(doc);
    const merged = applyUpdateMask(before, dataOf(patch ?? profile.Passenger.fromPartial({})), paths);
    const after = this.validate(merged, topFields(paths));
    const changed = changedFields(before, after);
    if (changed.length === 0) return this.present(req, doc, AuditAction.AUDIT_ACTION_READ, 'update-noop');
    const actor = actorOf(req.principal);
    const { cls, event } = this.evaluate(doc, after, this.now());
    const events = [profileEvents.updated({ passengerId: id, changedFields: changed, version: doc.version + 1 }), ...(event ? [event] : [])];
    const next = await this.next({ ...doc, classification: cls }, after, actor, events, [this.audit(req, id, AuditAction.AUDIT_ACTION_UPDATE, changed, 'update')]);
    await this.commit(next, doc);
    return this.present(req, next, AuditAction.AUDIT_ACTION_READ, 'update');
  }

  async get(req: RequestInfo, id: string, purpose: string): Promise<Passenger> {
    checkPassengerId(id);
    requireSelfOrRole(req.principal, id, ...READERS);
    const doc = await this.resolve(id);
    if (doc._id !== id) requireSelfOrRole(req.principal, doc._id, ...READERS);
    return this.present(req, doc, AuditAction.AUDIT_ACTION_READ, purpose);
  }

  async lookup(req: RequestInfo, key: LookupKey | undefined, purpose: string): Promise<Passenger> {
    requireRole(req.principal, ...READERS);
    if (!key) throw new ValidationError({ field: 'key', description: 'exactly one of ffp_number, phone, email, document is required', rule: 'REQUIRED' });
    const { kind, candidates } = this.lookupIndex(key);
    const docs = (await this.deps.store.findDocsByIndex(kind, candidates, 10)).filter((d) => d.state === 'ACTIVE').sort((a, b) => (a._id < b._id ? -1 : 1));
    const doc = docs[0];
    if (!doc) throw new NotFoundError('passenger', `with this ${key.kind}`);
    return this.present(req, doc, AuditAction.AUDIT_ACTION_LOOKUP, purpose);
  }

  private lookupIndex(key: LookupKey): { kind: IndexKind; candidates: string[] } {
    const ring = this.deps.ring;
    switch (key.kind) {
      case 'phone': {
        const { data, violations } = validateProfileData(profile.Passenger.fromPartial({ phones: [{ e164: key.value }] }), {
          defaultPhoneRegion: this.deps.settings.defaultPhoneRegion,
          today: this.today(),
          only: new Set(['phones']),
          prefix: '',
        });
        if (violations.length > 0) throw new ValidationError({ field: 'phone', description: 'is not a valid phone number', rule: 'PHONE_NUMBER' });
        return { kind: 'phone', candidates: lookupCandidates(ring, 'phone', data.phones[0]?.e164 ?? '') };
      }
      case 'email':
        if (!key.value.includes('@')) throw new ValidationError({ field: 'email', description: 'is not an email address', rule: 'EMAIL' });
        return { kind: 'email', candidates: lookupCandidates(ring, 'email', key.value) };
      case 'ffp':
        if (!key.value.trim()) throw new ValidationError({ field: 'ffp_number', description: 'is required', rule: 'REQUIRED' });
        return { kind: 'ffp', candidates: lookupCandidates(ring, 'ffp', key.value) };
      case 'document': {
        const v: FieldViolation[] = [];
        if (!key.number.trim()) v.push({ field: 'document.number', description: 'is required', rule: 'REQUIRED' });
        if (key.type === profile.DocumentType.DOCUMENT_TYPE_PASSPORT && !key.issuingCountry) v.push({ field: 'document.issuing_country', description: 'is required for passports', rule: 'REQUIRED' });
        if (key.type <= 0 || !Object.values(profile.DocumentType).includes(key.type)) v.push({ field: 'document.type', description: 'unknown or missing document type', rule: 'UNKNOWN_ENUM' });
        if (v.length > 0) throw new ValidationError(v);
        return { kind: 'doc', candidates: lookupCandidates(ring, 'doc', documentKey(key.type, key.issuingCountry, key.number)) };
      }
    }
  }

  async search(req: RequestInfo, namePrefix: string, pageSize: number, pageTokenIn: string): Promise<{ passengers: profile.PassengerSummary[]; nextPageToken: string }> {
    requireRole(req.principal, ...READERS);
    const prefix = foldName(namePrefix);
    if (prefix.length === 0) throw new ValidationError({ field: 'name_prefix', description: 'must contain at least one character', rule: 'REQUIRED' });
    if ([...prefix].length > 64) throw new ValidationError({ field: 'name_prefix', description: 'must be at most 64 characters', rule: 'MAX_LENGTH' });
    const after = readPageToken(pageTokenIn, `name:${prefix}`);
    const size = clampPage(pageSize);
    const docs = await this.deps.store.searchByName(prefix, after, size + 1);
    const page = docs.slice(0, size);
    const passengers: profile.PassengerSummary[] = [];
    const unmasked = hasScope(req.principal, PII_READ_SCOPE);
    for (const doc of page) {
      const p = this.toPassenger(doc, await this.dataOf(doc));
      passengers.push(
        profile.PassengerSummary.fromPartial({
          id: p.id,
          name: p.name,
          birthDate: unmasked ? p.birthDate : maskPassenger(p).birthDate,
          ffpNumber: p.ffpNumber,
          classification: p.classification,
          status: p.status,
        }),
      );
    }
    const last = page[page.length - 1];
    return { passengers, nextPageToken: docs.length > size && last ? pageToken(last._id, `name:${prefix}`) : '' };
  }

  async getClassification(req: RequestInfo, id: string): Promise<profile.Classification> {
    checkPassengerId(id);
    requireSelfOrRole(req.principal, id, ...READERS, 'analyst');
    const doc = await this.resolve(id);
    return this.toPassenger(doc, emptyProfileData()).classification as profile.Classification;
  }

  overrideClassification(req: RequestInfo, r: OverrideRequest): Promise<profile.Classification> {
    return this.retrying(() => this.overrideOnce(req, r));
  }

  private async overrideOnce(req: RequestInfo, r: OverrideRequest): Promise<profile.Classification> {
    checkPassengerId(r.passengerId);
    requireRole(req.principal, ...SUPERVISORS);
    const v: FieldViolation[] = [];
    if (r.type <= 0 || !Object.values(profile.PassengerType).includes(r.type)) v.push({ field: 'type', description: 'unknown or missing passenger type', rule: 'UNKNOWN_ENUM' });
    if (r.grade <= 0 || !Object.values(profile.CustomerGrade).includes(r.grade)) v.push({ field: 'grade', description: 'unknown or missing customer grade', rule: 'UNKNOWN_ENUM' });
    if (r.vipLevel < 0 || r.vipLevel > 9) v.push({ field: 'vip_level', description: 'must be 0-9', rule: 'RANGE' });
    if (r.grade === profile.CustomerGrade.CUSTOMER_GRADE_VIP && r.vipLevel === 0) v.push({ field: 'vip_level', description: 'must be at least 1 for a VIP grade', rule: 'RANGE' });
    if (r.grade !== profile.CustomerGrade.CUSTOMER_GRADE_VIP && r.vipLevel > 0) v.push({ field: 'vip_level', description: 'must be 0 unless the grade is VIP', rule: 'RANGE' });
    if (!r.reason.trim()) v.push({ field: 'reason', description: 'is required for an override', rule: 'REQUIRED' });
    if (r.reason.length > 500) v.push({ field: 'reason', description: 'must be at most 500 characters', rule: 'MAX_LENGTH' });
    if (r.expireTime && r.expireTime <= this.now()) v.push({ field: 'expire_time', description: 'must be in the future', rule: 'RANGE' });
    if (r.expectedVersion <= 0) v.push({ field: 'expected_version', description: 'is required (the version you read)', rule: 'REQUIRED' });
    if (v.length > 0) throw new ValidationError(v);
    const doc = await this.loadForWrite(r.passengerId, r.expectedVersion);
    const actor = actorOf(req.principal);
    const cur = doc.classification;
    const cls: StoredClassification = {
      type: r.type,
      grade: r.grade,
      vipLevel: r.vipLevel,
      source: ClassificationSource.CLASSIFICATION_SOURCE_OVERRIDE,
      overrideReason: r.reason.trim(),
      overriddenBy: actor,
      overrideExpireTime: r.expireTime ? r.expireTime.toISOString() : null,
      effectiveTime: this.now().toISOString(),
    };
    const event = profileEvents.classified({
      passengerId: doc._id,
      previousType: cur.type,
      previousGrade: cur.grade,
      previousVipLevel: cur.vipLevel,
      type: cls.type,
      grade: cls.grade,
      vipLevel: cls.vipLevel,
      source: cls.source,
      version: doc.version + 1,
    });
    const audit = this.audit(req, doc._id, AuditAction.AUDIT_ACTION_CLASSIFY, ['classification'], `override: ${r.reason.trim()}`);
    const next = await this.next({ ...doc, classification: cls }, null, actor, [event], [audit]);
    await this.commit(next, doc);
    return this.toPassenger(next, emptyProfileData()).classification as profile.Classification;
  }

  async findDuplicates(req: RequestInfo, id: string, maxResults: number): Promise<profile.DuplicateCandidate[]> {
    checkPassengerId(id);
    requireRole(req.principal, ...READERS);
    const doc = await this.resolve(id);
    const data = await this.dataOf(doc);
    const ring = this.deps.ring;
    const ids = new Set<string>();
    const probe = async (kind: IndexKind, values: string[]) => {
      for (const x of await this.deps.store.findByIndex(kind, values, 50)) if (x !== doc._id) ids.add(x);
    };
    for (const d of data.documents) await probe('doc', lookupCandidates(ring, 'doc', documentKey(d.type, d.issuingCountry, d.number)));
    for (const p of data.phones) await probe('phone', lookupCandidates(ring, 'phone', p.e164));
    for (const e of data.emails) await probe('email', lookupCandidates(ring, 'email', e.address));
    const out: profile.DuplicateCandidate[] = [];
    const unmasked = hasScope(req.principal, PII_READ_SCOPE);
    for (const other of await this.deps.store.getMany([...ids])) {
      if (other.state !== 'ACTIVE') continue;
      const od = await this.dataOf(other);
      const m = matchDuplicate(data, od);
      if (!m) continue;
      const p = this.toPassenger(other, od);
      out.push(
        profile.DuplicateCandidate.fromPartial({
          passenger: { id: p.id, name: p.name, birthDate: unmasked ? p.birthDate : maskPassenger(p).birthDate, ffpNumber: p.ffpNumber, classification: p.classification, status: p.status },
          score: m.score,
          matchedFields: m.matchedFields,
        }),
      );
    }
    const max = maxResults > 0 ? Math.min(maxResults, 100) : this.deps.settings.duplicateMaxResults;
    return out.sort((a, b) => b.score - a.score || (a.passenger?.id ?? '').localeCompare(b.passenger?.id ?? '')).slice(0, max);
  }

  merge(req: RequestInfo, survivorId: string, duplicateIds: readonly string[], reason: string, expectedVersion: number): Promise<Passenger> {
    return this.retrying(() => this.mergeOnce(req, survivorId, duplicateIds, reason, expectedVersion));
  }

  private async mergeOnce(req: RequestInfo, survivorId: string, duplicateIds: readonly string[], reason: string, expectedVersion: number): Promise<Passenger> {
    requireRole(req.principal, ...MERGERS);
    const v: FieldViolation[] = [];
    try {
      checkPassengerId(survivorId, 'survivor_id');
    } catch (e) {
      v.push(...(e as ValidationError).violations);
    }
    if (duplicateIds.length === 0) v.push({ field: 'duplicate_ids', description: 'name at least one profile to fold in', rule: 'REQUIRED' });
    if (duplicateIds.length > 20) v.push({ field: 'duplicate_ids', description: 'at most 20 per merge', rule: 'MAX_ITEMS' });
    duplicateIds.forEach((d, i) => {
      if (!PASSENGER_ID.test(d)) v.push({ field: `duplicate_ids[${i}]`, description: 'must be "pax_" followed by a ULID', rule: 'INVALID_ID' });
      if (d === survivorId) v.push({ field: `duplicate_ids[${i}]`, description: 'must differ from survivor_id', rule: 'SELF_MERGE' });
    });
    if (new Set(duplicateIds).size !== duplicateIds.length) v.push({ field: 'duplicate_ids', description: 'contains an id twice', rule: 'DUPLICATE' });
    if (!reason.trim()) v.push({ field: 'reason', description: 'is required', rule: 'REQUIRED' });
    if (expectedVersion <= 0) v.push({ field: 'expected_survivor_version', description: 'is required (the version you read)', rule: 'REQUIRED' });
    if (v.length > 0) throw new ValidationError(v);

    const survivor = await this.loadForWrite(survivorId, expectedVersion);
    const dups: PassengerDoc[] = [];
    for (const id of duplicateIds) dups.push(await this.loadForWrite(id, undefined));
    const dupData = await Promise.all(dups.map((d) => this.dataOf(d)));
    const before = await this.dataOf(survivor);
    const after = mergeProfileData(before, dupData);
    const actor = actorOf(req.principal);
    const stats = dups.reduce<PassengerStats>((s, d) => mergeStats(s, d.stats), survivor.stats);
    const merged = { ...survivor, stats, mergedIds: [...new Set([...survivor.mergedIds, ...duplicateIds])], idx: { ...survivor.idx, member: [...new Set([...survivor.idx.member, ...dups.flatMap((d) => d.idx.member)])] } };
    const { cls, event } = this.evaluate(merged, after, this.now());
    const events = [profileEvents.merged({ passengerId: survivorId, mergedPassengerIds: [...duplicateIds], version: survivor.version + 1 }), ...(event ? [event] : [])];
    const audit = this.audit(req, survivorId, AuditAction.AUDIT_ACTION_MERGE, changedFields(before, after), `merge: ${reason.trim()}`);
    // Survivor first: if the process dies before the duplicates are marked, they stay ACTIVE and a retry (same ids)
    // merges them again — the union is idempotent — rather than losing what only they held.
    const next = await this.next({ ...merged, classification: cls }, after, actor, events, [audit]);
    await this.commit(next, survivor);
    for (const d of dups) {
      const redirect: PassengerDoc = {
        ...d,
        state: 'MERGED',
        mergedIntoId: survivorId,
        pii: null,
        idx: { phone: [], email: [], doc: [], ffp: [], member: [] },
        names: [],
      };
      const dn = await this.next(redirect, null, actor, [], [this.audit(req, d._id, AuditAction.AUDIT_ACTION_MERGE, ['merged_into_id'], `merged into ${survivorId}: ${reason.trim()}`)]);
      if (!(await this.deps.store.replace(dn, d.rev))) throw new VersionConflictError('passenger', d._id, String(d.version));
      await this.afterWrite(dn);
      await this.deps.store.deleteDataKey(d._id);
    }
    return this.present(req, next, AuditAction.AUDIT_ACTION_READ, 'merge');
  }

  async listAudit(
    req: RequestInfo,
    id: string,
    filter: AuditFilter,
    pageSize: number,
    token: string,
  ): Promise<{ entries: AuditRecord[]; nextPageToken: string }> {
    checkPassengerId(id);
    requireRole(req.principal, ...SUPERVISORS);
    const scope = `audit:${id}:${filter.from ?? ''}:${filter.to ?? ''}:${(filter.actions ?? []).join(',')}`;
    const after = readPageToken(token, scope);
    const size = clampPage(pageSize);
    const rows = await this.deps.store.listAudit(id, filter, after, size + 1);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return { entries: page, nextPageToken: rows.length > size && last ? pageToken(last._id, scope) : '' };
  }

  async export(req: RequestInfo, id: string, reference: string): Promise<{ passenger: Passenger; audit: AuditRecord[]; exportTime: Date }> {
    checkPassengerId(id);
    requireSelfOrRole(req.principal, id, ...SUPERVISORS);
    if (req.principal.profileId !== id) requireScope(req.principal, PII_READ_SCOPE);
    const doc = await this.deps.store.get(id);
    if (!doc) throw new NotFoundError('passenger', id);
    const passenger = await this.present(req, doc, AuditAction.AUDIT_ACTION_EXPORT, reference || 'export');
    const audit: AuditRecord[] = [];
    for (let after = ''; ; ) {
      const rows = await this.deps.store.listAudit(id, {}, after, 500);
      audit.push(...rows);
      const last = rows[rows.length - 1];
      if (rows.length < 500 || !last) break;
      after = last._id;
    }
    return { passenger, audit, exportTime: this.now() };
  }

  erase(req: RequestInfo, id: string, reason: string, reference: string, expectedVersion: number): Promise<Date> {
    return this.retrying(() => this.eraseOnce(req, id, reason, reference, expectedVersion));
  }

  private async eraseOnce(req: RequestInfo, id: string, reason: string, reference: string, expectedVersion: number): Promise<Date> {
    checkPassengerId(id);
    requireRole(req.principal, ...SUPERVISORS);
    const v: FieldViolation[] = [];
    if (!reason.trim()) v.push({ field: 'reason', description: 'is required', rule: 'REQUIRED' });
    if (expectedVersion <= 0) v.push({ field: 'expected_version', description: 'is required (the version you read)', rule: 'REQUIRED' });
    if (v.length > 0) throw new ValidationError(v);
    const doc = await this.loadForWrite(id, expectedVersion);
    const at = this.now();
    const actor = actorOf(req.principal);
    // Keep only non-identifying aggregates: classification, counts and value; drop the sealed data, the indexes,
    // the name keys, and (below) the data key itself.
    const erased: PassengerDoc = {
      ...doc,
      state: 'ERASED',
      pii: null,
      idx: { phone: [], email: [], doc: [], ffp: [], member: [] },
      names: [],
      stats: { ...doc.stats, lastFlightId: '', openCaseIds: [] , behaviour: doc.stats.behaviour },
    };
    const event = profileEvents.erased({ passengerId: id, eraseTime: at });
    const audit = this.audit(req, id, AuditAction.AUDIT_ACTION_ERASE, [...DATA_FIELDS], `erase: ${reason.trim()}${reference ? ` (${reference})` : ''}`);
    const next = await this.next(erased, null, actor, [event], [audit]);
    await this.commit(next, doc);
    await this.deps.store.deleteDataKey(id);
    return at;
  }

  // ---- effects of other services' events -------------------------------------------------------------------------

  /**
   * Applies an event's effect to one passenger exactly once: the event id is remembered in the same document write
   * as the effect (`seen`), so a redelivery is a no-op even though there is no transaction. Retries on a concurrent
   * change (a fresh read, so the effect is applied to the latest version).
   */
  async applyEvent(target: { passengerId: string } | { memberId: string }, eventId: string, effect: EventEffect): Promise<'applied' | 'duplicate' | 'no-target' | 'no-change'> {
    for (let attempt = 0; attempt < 8; attempt++) {
      let doc: PassengerDoc | null;
      if ('passengerId' in target) doc = PASSENGER_ID.test(target.passengerId) ? await this.deps.store.get(target.passengerId) : null;
      else {
        const ids = await this.deps.store.findByIndex('member', [target.memberId], 1);
        doc = ids[0] ? await this.deps.store.get(ids[0]) : null;
      }
      for (let hop = 0; doc && doc.state === 'MERGED' && hop < MAX_REDIRECTS; hop++) doc = await this.deps.store.get(doc.mergedIntoId);
      if (!doc) return 'no-target';
      if (doc.seen.includes(eventId)) return 'duplicate';
      const stats = JSON.parse(JSON.stringify(doc.stats)) as PassengerStats;
      let changed = effect.stats?.(stats) ?? false;
      let member = doc.idx.member;
      if (effect.memberId && !member.includes(effect.memberId)) {
        member = [...member, effect.memberId];
        changed = true;
      }
      const data = await this.dataOf(doc);
      const newData = doc.state === 'ACTIVE' && effect.data ? effect.data(data) : null;
      if (!changed && newData === null) return 'no-change';
      const base: PassengerDoc = { ...doc, stats, idx: { ...doc.idx, member }, seen: [...doc.seen, eventId].slice(-this.deps.settings.seenEventsPerPassenger) };
      const { cls, event } = doc.state === 'ACTIVE' ? this.evaluate(base, newData ?? data, this.now()) : { cls: doc.classification, event: null };
      const events: CloudEvent[] = [];
      const audit: AuditRecord[] = [];
      if (newData) {
        const fields = changedFields(data, newData);
        events.push(profileEvents.updated({ passengerId: doc._id, changedFields: fields, version: doc.version + 1 }));
        audit.push(this.audit(null, doc._id, AuditAction.AUDIT_ACTION_UPDATE, fields, `event:${eventId}`));
      }
      if (event) events.push(event);
      const next = await this.next({ ...base, classification: cls }, newData, SYSTEM_ACTOR, events, audit);
      if (await this.deps.store.replace(next, doc.rev)) {
        if (next.hasPending) await this.afterWrite(next);
        return 'applied';
      }
    }
    throw new VersionConflictError('passenger', 'passengerId' in target ? target.passengerId : `member ${target.memberId}`, 'latest');
  }

  dynamicOf(s: PassengerStats): profile.DynamicData {
    return profile.DynamicData.fromPartial({
      tripsFlown: s.tripsFlown,
      lastFlightId: s.lastFlightId,
      lastFlightDate: s.lastFlightDate,
      recentDisruptions: this.recentDisruptions(s),
      openCases: s.openCaseIds.length,
      lastCsat: s.lastCsat ?? undefined,
      lastNps: s.lastNps ?? undefined,
      estimatedLifetimeValue: { amountMinor: s.lifetimeValueMinor, currencyCode: this.deps.settings.currency },
      loyaltyTier: s.loyaltyTier,
      behaviour: Object.entries(s.behaviour)
        .map(([k, count]) => {
          const i = k.indexOf(':');
          return { kind: Number(k.slice(0, i)), value: k.slice(i + 1), count };
        })
        .sort((a, b) => b.count - a.count || a.kind - b.kind || a.value.localeCompare(b.value)),
    });
  }

  /** Appends observed behaviour to the summary; with an idempotency key a retry is applied once. */
  async recordBehaviour(req: RequestInfo, id: string, observations: readonly profile.BehaviourObservation[], idempotencyKey: string): Promise<profile.DynamicData> {
    checkPassengerId(id);
    requireRole(req.principal, ...WRITERS);
    const v: FieldViolation[] = [];
    if (observations.length === 0) v.push({ field: 'observations', description: 'at least one is required', rule: 'REQUIRED' });
    if (observations.length > 50) v.push({ field: 'observations', description: 'at most 50 per call', rule: 'MAX_ITEMS' });
    observations.forEach((o, i) => {
      if (o.kind <= 0 || !Object.values(profile.BehaviourKind).includes(o.kind)) v.push({ field: `observations[${i}].kind`, description: 'unknown or missing kind', rule: 'UNKNOWN_ENUM' });
      if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(o.value.toLowerCase())) v.push({ field: `observations[${i}].value`, description: 'must be 1-32 letters, digits, "_" or "-"', rule: 'FORMAT' });
    });
    if (idempotencyKey.length > 128) v.push({ field: 'idempotency_key', description: 'must be at most 128 characters', rule: 'MAX_LENGTH' });
    if (v.length > 0) throw new ValidationError(v);
    const doc = await this.resolve(id);
    const opId = idempotencyKey ? `behaviour:${req.principal.subject}:${idempotencyKey}` : `behaviour:${ulid()}`;
    await this.applyEvent({ passengerId: doc._id }, opId, {
      stats: (s) => {
        for (const o of observations) {
          const k = `${o.kind}:${o.value.toLowerCase()}`;
          s.behaviour[k] = (s.behaviour[k] ?? 0) + 1;
        }
        return true;
      },
    });
    const after = await this.resolve(doc._id);
    return this.dynamicOf(after.stats);
  }

  recentDisruptions(stats: PassengerStats): number {
    const since = this.now().getTime() - this.deps.settings.disruptionWindowDays * 86_400_000;
    return stats.disruptionTimes.filter((t) => Date.parse(t) >= since).length;
  }

  get settings() {
    return this.deps.settings;
  }
}

function mergeStats(a: PassengerStats, b: PassengerStats): PassengerStats {
  const behaviour = { ...a.behaviour };
  for (const [k, n] of Object.entries(b.behaviour)) behaviour[k] = (behaviour[k] ?? 0) + n;
  const later = a.lastFlightDate >= b.lastFlightDate ? a : b;
  return {
    tripsFlown: a.tripsFlown + b.tripsFlown,
    lastFlightId: later.lastFlightId,
    lastFlightDate: later.lastFlightDate,
    disruptionTimes: [...a.disruptionTimes, ...b.disruptionTimes].sort().slice(-MAX_DISRUPTIONS_KEPT),
    openCaseIds: [...new Set([...a.openCaseIds, ...b.openCaseIds])],
    lastCsat: a.lastCsat ?? b.lastCsat,
    lastNps: a.lastNps ?? b.lastNps,
    lifetimeValueMinor: a.lifetimeValueMinor + b.lifetimeValueMinor,
    loyaltyTier: a.loyaltyTier || b.loyaltyTier,
    behaviour,
  };
}
