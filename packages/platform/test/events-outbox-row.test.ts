import { createPgliteDb, type SqlDb } from '../src/stores';
import { createEvent, EventEnvelopeError, OUTBOX_INSERT_COLUMNS, outboxMigration, outboxRow } from '../src/events';
import { migrate } from '../src/stores';

describe('outboxRow', () => {
  const event = createEvent({ source: '/csm/loyalty', type: 'csm.loyalty.member.enrolled.v1', subject: 'mbr_1', data: { memberId: 'mbr_1' } });

  it('gives the validated row appendToOutbox would write, in OUTBOX_INSERT_COLUMNS order', () => {
    const [id, topic, aggregate, type, envelope] = outboxRow(event);
    expect([id, topic, aggregate, type]).toEqual([event.id, 'csm.loyalty.v1', 'mbr_1', 'csm.loyalty.member.enrolled.v1']);
    expect(JSON.parse(envelope)).toEqual(JSON.parse(JSON.stringify(event)));
    expect(outboxRow(event, { topic: 'csm.loyalty.partner.v1' })[1]).toBe('csm.loyalty.partner.v1');
    expect(() => outboxRow(event, { topic: 'bad topic!' })).toThrow(EventEnvelopeError);
    expect(() => outboxRow({ ...event, subject: '' })).toThrow(EventEnvelopeError);
  });

  describe('inside a statement', () => {
    let db: SqlDb;
    beforeAll(async () => {
      db = await createPgliteDb();
      await migrate(db, { service: 't', migrations: [outboxMigration(1)] });
    }, 120_000);
    afterAll(() => db.close());

    it('inserts a row the relay reads like any other', async () => {
      await db.query(`INSERT INTO outbox (${OUTBOX_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5::jsonb)`, outboxRow(event));
      const res = await db.query<{ event_id: string; envelope: { subject: string } }>(`SELECT event_id, envelope FROM outbox`);
      expect(res.rows).toEqual([{ event_id: event.id, envelope: expect.objectContaining({ subject: 'mbr_1' }) }]);
    });
  });
});
