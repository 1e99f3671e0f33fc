import { DUPLICATE_KEY_CODE, isDuplicateKeyError, type MongoStore } from '@csm/platform/stores/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditRecord, IndexKind, PassengerDoc } from './document';
import type { AuditFilter, ProfileStore } from './profile-store';

/**
 * MongoDB adapter (mongoose). Uses only what real MongoDB and FerretDB v1 share: `insertOne` with a unique `_id`,
 * `replaceOne`/`updateOne` by filter, plain finds with projections, `$in`, anchored `$regex`, sort/limit. No
 * transactions, change streams, `$lookup`, collation, or `findOneAndUpdate` with a projection.
 *
 * Compare-and-set: FerretDB v1 applies `replaceOne({_id, rev})` as read-then-write, so two concurrent writers on one
 * revision can BOTH match (the contract suite caught it). The only atomic conditional write both servers share is an
 * insert against a unique `_id`, so every write first claims `<id>@<rev>` in `write_claims`; the one writer that
 * inserted it replaces the document (filter `{_id, rev}` still guards against a stale read) and then drops the claim
 * (the document is past that revision, so nobody can need it again). A claim left by a process that died between the
 * two steps is taken over after CLAIM_TTL_MS.
 */
const CLAIM_TTL_MS = 30_000;
const loose = { strict: false, versionKey: false, autoIndex: false, autoCreate: false } as const;

function models(conn: Connection) {
  const passengerSchema = new Schema({ _id: String }, { ...loose, collection: 'passengers' });
  for (const kind of ['phone', 'email', 'doc', 'ffp', 'member']) passengerSchema.index({ [`idx.${kind}`]: 1 });
  passengerSchema.index({ names: 1 });
  passengerSchema.index({ hasPending: 1 });
  const auditSchema = new Schema({ _id: String }, { ...loose, collection: 'profile_audit' });
  auditSchema.index({ passengerId: 1, _id: 1 });
  const keySchema = new Schema({ _id: String }, { ...loose, collection: 'data_keys' });
  const idemSchema = new Schema({ _id: String }, { ...loose, collection: 'idempotency_keys' });
  const claimSchema = new Schema({ _id: String }, { ...loose, collection: 'write_claims' });
  return {
    passengers: conn.model('Passenger', passengerSchema),
    audit: conn.model('ProfileAudit', auditSchema),
    dataKeys: conn.model('DataKey', keySchema),
    idempotency: conn.model('IdempotencyKey', idemSchema),
    claims: conn.model('WriteClaim', claimSchema),
  };
}

const isDuplicateKey = isDuplicateKeyError;

/** True when every failure of a bulk insert is a duplicate key (records written before). */
function onlyDuplicates(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((e: { code?: unknown }) => e.code === DUPLICATE_KEY_CODE);
  return isDuplicateKeyError(err);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function createMongoProfileStore(mongo: MongoStore): Promise<ProfileStore> {
  const m = models(mongo.connection);
  // Collections must exist before indexes on FerretDB; createCollection is idempotent enough (ignore "exists").
  for (const model of [m.passengers, m.audit, m.dataKeys, m.idempotency, m.claims] as unknown as Model<unknown>[]) {
    await model.createCollection().catch((err: unknown) => {
      if ((err as { codeName?: string }).codeName !== 'NamespaceExists') throw err;
    });
  }
  await mongo.syncIndexes();
  const passengers = m.passengers.collection;
  const audit = m.audit.collection;
  const claims = m.claims.collection;

  /** Claims the right to write on top of revision `rev`; false when another writer holds (or used) it. */
  async function claim(id: string, rev: number): Promise<boolean> {
    const key = `${id}@${rev}`;
    const at = Date.now();
    try {
      await claims.insertOne({ _id: key as never, at });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const existing = await claims.findOne({ _id: key as never });
    if (!existing || typeof existing.at !== 'number' || at - existing.at < CLAIM_TTL_MS) return false;
    // Left by a writer that died between claim and write: take it over if the document is still at that revision.
    const doc = await passengers.findOne({ _id: id as never }, { projection: { rev: 1 } });
    if (!doc || doc.rev !== rev) return false;
    await claims.deleteOne({ _id: key as never, at: existing.at });
    try {
      await claims.insertOne({ _id: key as never, at });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async function release(id: string, rev: number): Promise<void> {
    await claims.deleteOne({ _id: `${id}@${rev}` as never });
  }

  /**
   * Documents whose blind index `kind` holds any of `values`, at most `limit`, in id order. One equality read per
   * value (usually one; two while an index key rotates): FerretDB v1 pushes `{'idx.kind': v}` down to PostgreSQL
   * (with nested pushdown on, and an index there: docs/operations/real-infrastructure.md § FerretDB) but not `$in`.
   */
  async function byIndex(kind: IndexKind, values: readonly string[], limit: number, projection?: Record<string, 1>) {
    const reads = [...new Set(values)].map((v) =>
      passengers
        .find({ [`idx.${kind}`]: v }, projection ? { projection } : {})
        .limit(limit)
        .toArray(),
    );
    const rows = (await Promise.all(reads)).flat();
    const byId = new Map<string, (typeof rows)[number]>();
    for (const r of rows) byId.set(String(r._id), r);
    return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit).map(([, r]) => r);
  }

  /** Runs a write on top of `rev` under its claim; the claim is dropped once the document moved past it. */
  async function exclusive(id: string, rev: number, write: () => Promise<boolean>): Promise<boolean> {
    if (!(await claim(id, rev))) return false;
    try {
      return await write();
    } finally {
      // Either the document moved past `rev` (nobody can use the claim again) or it did not (the next writer needs it).
      await release(id, rev);
    }
  }

  return {
    kind: 'mongo',
    async insert(doc) {
      try {
        await passengers.insertOne(doc as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async get(id) {
      return (await passengers.findOne({ _id: id as never })) as PassengerDoc | null;
    },
    async getMany(ids) {
      // One equality read per id: FerretDB v1 pushes `{_id: x}` down to an index but scans the table for `$in`.
      const found = await Promise.all([...new Set(ids)].map((id) => passengers.findOne({ _id: id as never })));
      return found.filter((d) => d !== null) as unknown as PassengerDoc[];
    },
    async replace(doc, expectedRev) {
      return exclusive(doc._id, expectedRev, async () => {
        const res = await passengers.replaceOne({ _id: doc._id as never, rev: expectedRev }, doc as never);
        return res.matchedCount === 1;
      });
    },
    async findByIndex(kind: IndexKind, values, limit = 50) {
      return (await byIndex(kind, values, limit, { _id: 1 })).map((r) => String(r._id));
    },
    async findDocsByIndex(kind: IndexKind, values, limit) {
      return (await byIndex(kind, values, limit)) as unknown as PassengerDoc[];
    },
    async searchByName(prefix, afterId, limit) {
      const rows = await passengers
        .find({ names: { $regex: `^${escapeRegex(prefix)}` }, ...(afterId ? { _id: { $gt: afterId as never } } : {}) })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return rows as unknown as PassengerDoc[];
    },
    async findPending(limit) {
      return (await passengers.find({ hasPending: true }).limit(limit).toArray()) as unknown as PassengerDoc[];
    },
    async clearPending(id, rev) {
      return exclusive(id, rev, async () => {
        const res = await passengers.updateOne({ _id: id as never, rev }, { $set: { pending: [], pendingAudit: [], hasPending: false, rev: rev + 1 } });
        return res.matchedCount === 1;
      });
    },
    async reserveIdempotencyKey(key, passengerId) {
      try {
        await m.idempotency.collection.insertOne({ _id: key as never, passengerId, createdAt: new Date().toISOString() });
        return null;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const row = await m.idempotency.collection.findOne({ _id: key as never });
        return row ? String(row.passengerId) : null;
      }
    },
    async ensureDataKey(passengerId, wrapped) {
      try {
        await m.dataKeys.collection.insertOne({ _id: passengerId as never, wrapped });
        return wrapped;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const row = await m.dataKeys.collection.findOne({ _id: passengerId as never });
        if (!row) throw new Error(`data key of ${passengerId} vanished while being created`, { cause: err });
        return String(row.wrapped);
      }
    },
    async getDataKey(passengerId) {
      const row = await m.dataKeys.collection.findOne({ _id: passengerId as never });
      return row ? String(row.wrapped) : null;
    },
    async deleteDataKey(passengerId) {
      await m.dataKeys.collection.deleteOne({ _id: passengerId as never });
    },
    async appendAudit(records) {
      if (records.length === 0) return;
      try {
        await audit.insertMany(records.map((r) => ({ ...r })) as never[], { ordered: false });
      } catch (err) {
        // Records already copied (relay retry): duplicates are expected, anything else is not.
        if (!onlyDuplicates(err)) throw err;
      }
    },
    async listAudit(passengerId, filter: AuditFilter, afterId, limit) {
      const q: Record<string, unknown> = { passengerId };
      if (afterId) q._id = { $gt: afterId };
      const time: Record<string, string> = {};
      if (filter.from) time.$gte = filter.from;
      if (filter.to) time.$lt = filter.to;
      if (Object.keys(time).length > 0) q.time = time;
      if (filter.actions && filter.actions.length > 0) q.action = { $in: [...filter.actions] };
      return (await audit.find(q).sort({ _id: 1 }).limit(limit).toArray()) as unknown as AuditRecord[];
    },
    async close() {
      await mongo.close();
    },
  };
}
