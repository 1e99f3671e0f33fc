import { createEvent, sourceForDomain, type EventPublisher, type PublishRecord } from '@csm/platform/events';
import { createLogger } from '@csm/platform/logging';
import { createPgliteDb, migrate } from '@csm/platform/stores';
import { createDocumentOutboxRelay } from '../src/events/document-outbox-relay';
import { createEmbeddedProfileStore, embeddedMigrations } from '../src/store/embedded-profile-store';
import type { ProfileStore } from '../src/store/profile-store';
import { auditRecord, makeDoc, paxId } from './fixtures/docs';

jest.setTimeout(120_000);

const logger = createLogger({ service: 'test', level: 'silent' });
let store: ProfileStore;

beforeAll(async () => {
  const db = await createPgliteDb();
  await migrate(db, { service: 'profile', migrations: [...embeddedMigrations] });
  store = createEmbeddedProfileStore(db);
});
afterAll(() => store.close());

function pendingDoc(n: number) {
  const id = paxId();
  const events = Array.from({ length: n }, (_, i) =>
    createEvent({ source: sourceForDomain('profile'), type: 'csm.profile.passenger.updated.v1', subject: id, data: { passengerId: id, version: i + 2 } }),
  );
  return makeDoc(id, { pending: events, pendingAudit: [auditRecord(`a-${id}`, id, 4, new Date().toISOString())], hasPending: true });
}

describe('outbox inside the passenger document', () => {
  it('keeps events pending while the bus refuses them, then publishes them in document order and clears them', async () => {
    const doc = pendingDoc(3);
    await store.insert(doc);
    let fail = true;
    const published: PublishRecord[] = [];
    const publisher: EventPublisher = {
      publish: async (records) => {
        if (fail) throw new Error('broker down');
        published.push(...records);
      },
    };
    const relay = createDocumentOutboxRelay({ store, publisher, logger });
    await expect(relay.runOnce()).rejects.toThrow('broker down');
    expect((await store.get(doc._id))?.pending).toHaveLength(3);
    fail = false;
    await relay.drain();
    const mine = published.filter((r) => r.event.subject === doc._id);
    expect(mine.map((r) => r.event.id)).toEqual(doc.pending.map((e) => e.id));
    expect(mine.every((r) => r.topic === 'csm.profile.v1')).toBe(true);
    expect(await store.get(doc._id)).toMatchObject({ pending: [], hasPending: false, version: 1, rev: 2 });
    expect((await store.listAudit(doc._id, {}, '', 10)).map((r) => r._id)).toEqual([`a-${doc._id}`]);
  });

  it('a change between publish and clear leaves the events pending: they are published again with the same ids (at-least-once)', async () => {
    const doc = pendingDoc(1);
    await store.insert(doc);
    const ids: string[] = [];
    let changed = false;
    const publisher: EventPublisher = {
      publish: async (records) => {
        ids.push(...records.filter((r) => r.event.subject === doc._id).map((r) => r.event.id));
        if (!changed) {
          changed = true; // a concurrent use case writes the document (keeping its pending events)
          await store.replace({ ...doc, version: 2, rev: 2 }, 1);
        }
      },
    };
    const relay = createDocumentOutboxRelay({ store, publisher, logger });
    await relay.drain();
    expect(ids).toEqual([doc.pending[0]?.id, doc.pending[0]?.id]);
    expect((await store.get(doc._id))?.hasPending).toBe(false);
  });
});
