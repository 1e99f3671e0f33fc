import { cases } from '@csm/contracts';
import { generatePiiKey, keyRingFromEnv } from '@csm/platform/security';
import { ManualClock } from '../src/domain/clock';
import { boot, call, Tokens, type Booted } from './support';

const C = cases;
jest.setTimeout(180_000); // PGlite boots in seconds alone, far slower while other suites share the 2 cores

let svc: Booted;
let tokens: Tokens;
let agent: string;
let supervisor: string;
const clock = new ManualClock(Date.UTC(2026, 10, 29, 2));

beforeAll(async () => {
  tokens = await Tokens.create();
  [agent, supervisor] = await Promise.all([tokens.as('agent-1', ['agent_l2']), tokens.as('sup', ['supervisor'])]);
  // Embedded mode: PGlite and an in-process event bus, no infrastructure.
  const keyRing = keyRingFromEnv({ CSM_PII_KEYS: `k1:${generatePiiKey()}` });
  svc = await boot({ CSM_MODE: 'embedded' }, { verifyToken: tokens.verifyToken(), clock, keyRing, slaScheduler: false });
});
afterAll(() => svc?.stop());

describe('cases in embedded mode (PGlite)', () => {
  it('takes intake, and searches cases and knowledge in Chinese and English with the same SQL as PostgreSQL', async () => {
    const opened = await call(svc.client, 'openCase', agent, {
      channel: C.Channel.CHANNEL_WEB,
      kind: C.CaseKind.CASE_KIND_COMPLAINT,
      subject: '航班延误五小时,没有任何通知',
      description: 'Flight delayed 5 hours without any notice',
      language: 'zh-CN',
      passengerId: 'pax_01JD0000000000000000000001',
      idempotencyKey: 'embedded-1',
    });
    expect(opened.case?.caseNumber).toBe('CS-2026-000001');
    expect(opened.case?.classification?.categoryCode).toBe('flight.delay');
    const second = await call(svc.client, 'openCase', agent, { channel: C.Channel.CHANNEL_WEB, kind: C.CaseKind.CASE_KIND_INQUIRY, subject: 'Meal options', language: 'en', passengerId: 'pax_01JD0000000000000000000001', idempotencyKey: 'embedded-2' });
    expect(second.case?.caseNumber).toBe('CS-2026-000002');

    expect((await call(svc.client, 'listCases', agent, { textQuery: '延误' })).cases.map((c) => c.id)).toEqual([opened.case!.id]);
    expect((await call(svc.client, 'listCases', agent, { textQuery: 'delayed notice' })).cases.map((c) => c.id)).toEqual([opened.case!.id]);
    expect((await call(svc.client, 'listCases', agent, { textQuery: '行李' })).cases).toEqual([]);

    const zh = (await call(svc.client, 'upsertKnowledgeArticle', supervisor, { article: { title: '航班延误的旅客权益', summary: '延误超过三小时的补偿', body: '根据规定,延误时我们会提供餐食和住宿。', language: 'zh-CN', categoryCode: 'flight.delay', audience: C.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER } })).article!;
    const en = (await call(svc.client, 'upsertKnowledgeArticle', supervisor, { article: { title: 'Check-in deadlines', summary: 'When check-in closes', body: 'Online check-in closes 1 hour before departure.', language: 'en', categoryCode: 'checkin', audience: C.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER } })).article!;
    expect((await call(svc.client, 'searchKnowledge', agent, { query: '延误补偿' })).hits.map((h) => h.article?.id)).toEqual([zh.id]);
    expect((await call(svc.client, 'searchKnowledge', agent, { query: 'check-in closes', language: 'en' })).hits.map((h) => h.article?.id)).toEqual([en.id]);
    expect((await call(svc.client, 'suggestKnowledge', agent, { caseId: opened.case!.id })).hits[0]?.article?.id).toBe(zh.id);
  });

  it('keeps the contact details of a case without a profile sealed, showing them to agents only', async () => {
    const opened = await call(svc.client, 'openCase', agent, {
      channel: C.Channel.CHANNEL_EMAIL,
      kind: C.CaseKind.CASE_KIND_INQUIRY,
      subject: 'Lost and found',
      language: 'en',
      contact: { name: 'Wang Xiaoming', phone: '+8613800138000', email: 'wang@example.com' },
      idempotencyKey: 'embedded-contact',
    });
    expect(opened.case?.contact).toEqual({ name: 'Wang Xiaoming', phone: '+8613800138000', email: 'wang@example.com' });
    const analyst = await tokens.as('an-1', ['analyst']);
    expect((await call(svc.client, 'getCase', analyst, { caseId: opened.case!.id })).case?.contact).toBeUndefined();
    await expect(call(svc.client, 'openCase', agent, { channel: 3, kind: 1, subject: 'x', language: 'en', contact: { phone: '13800138000' }, idempotencyKey: 'bad-phone' })).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'contact.phone' })],
    });
  });
});
