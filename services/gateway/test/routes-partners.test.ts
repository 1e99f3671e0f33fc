import { loyalty } from '@csm/contracts';
import { fakeBackend, fields, send, startGateway, type FakeBackend, type Gateway } from './support/routes-fake-backend';

// Partner routes against a canned PartnerService: above all THE partner accrual endpoint (own code only, idempotent
// by the partner's transaction id), plus the registry (admin) and the partner's own reads.
const partner = loyalty.Partner.fromPartial({ code: 'HOTEL1', name: 'Grand Hotel', category: loyalty.PartnerCategory.PARTNER_CATEGORY_HOTEL, status: loyalty.PartnerStatus.PARTNER_STATUS_ACTIVE, audit: { version: 2 } });
const accrual = loyalty.PartnerAccrual.fromPartial({ partnerCode: 'HOTEL1', partnerTransactionId: 'TX-0001', memberNumber: '1234567897', miles: 500, status: loyalty.AccrualStatus.ACCRUAL_STATUS_POSTED });

let backend: FakeBackend;
let gw: Gateway;
let hotel: string;
let admin: string;
let analyst: string;
let agent: string;
let pax: string;
const seen = new Set<string>();

beforeAll(async () => {
  backend = await fakeBackend('loyalty', loyalty.PartnerServiceService, {
    registerPartner: () => loyalty.RegisterPartnerResponse.fromPartial({ partner }),
    updatePartner: () => loyalty.UpdatePartnerResponse.fromPartial({ partner }),
    getPartner: () => loyalty.GetPartnerResponse.fromPartial({ partner }),
    listPartners: () => loyalty.ListPartnersResponse.fromPartial({ partners: [partner], page: { nextPageToken: '' } }),
    postAccrual: (r: loyalty.PostAccrualRequest) => {
      // Idempotent by transaction id, like the real service: a repeat is answered as replayed.
      const replayed = seen.has(r.partnerTransactionId);
      seen.add(r.partnerTransactionId);
      return loyalty.PostAccrualResponse.fromPartial({ accrual: { ...accrual, partnerTransactionId: r.partnerTransactionId }, replayed });
    },
    listAccruals: () => loyalty.ListAccrualsResponse.fromPartial({ accruals: [accrual], page: { nextPageToken: 'p2' } }),
    reconcileAccruals: () => loyalty.ReconcileAccrualsResponse.fromPartial({ report: { partnerCode: 'HOTEL1', matchedCount: 1, discrepancyCount: 0 } }),
    issuePartnerCredential: () => loyalty.IssuePartnerCredentialResponse.fromPartial({ partnerCode: 'HOTEL1', clientSecret: 's3cret', scopes: ['accruals:write'] }),
    getPartnerStatement: () => loyalty.GetPartnerStatementResponse.fromPartial({ statement: { partnerCode: 'HOTEL1', accrualCount: 4, milesIssued: 2000 } }),
  });
  gw = await startGateway({ loyalty: backend.address });
  hotel = await gw.token(['partner'], { sub: 'HOTEL1', partnerCode: 'HOTEL1', scopes: ['accruals:write', 'accruals:read'] });
  admin = await gw.token(['admin']);
  analyst = await gw.token(['analyst']);
  agent = await gw.token(['agent_l3']);
  pax = await gw.token(['passenger'], { profileId: 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB' });
});
afterAll(async () => {
  await gw.close();
  await backend.server.shutdown({ graceMs: 50 });
});
beforeEach(() => {
  backend.calls.length = 0;
});

const requestOf = <T>(method: string) => backend.calls.find((c) => c.method === method)?.request as T;

describe('partner accrual endpoint', () => {
  const body = { partnerTransactionId: 'TX-0001', memberNumber: '1234567897', activityDate: '2026-11-20', miles: 500, description: 'two nights' };

  it('posts for the own code: 201 first, 200 replayed on a retry; the fields reach PostAccrual', async () => {
    const first = await send(gw, 'post', '/partners/HOTEL1/accruals', { token: hotel, body });
    expect(first.status).toBe(201);
    expect(first.body).toEqual(loyalty.PostAccrualResponse.toJSON({ accrual: { ...accrual }, replayed: false }));
    expect(requestOf<loyalty.PostAccrualRequest>('postAccrual')).toEqual({ partnerCode: 'HOTEL1', partnerTransactionId: 'TX-0001', memberNumber: '1234567897', activityDate: '2026-11-20', miles: 500, spend: undefined, description: 'two nights' });
    expect(backend.calls[0]?.authorization).toBe(`Bearer ${hotel}`);
    const retry = await send(gw, 'post', '/partners/HOTEL1/accruals', { token: hotel, body });
    expect(retry.status).toBe(200);
    expect(retry.body['replayed']).toBe(true);
  });

  it('takes the transaction id from the Idempotency-Key header when the body has none; both must agree', async () => {
    const { partnerTransactionId: _omit, ...rest } = body;
    const viaHeader = await send(gw, 'post', '/partners/HOTEL1/accruals', { token: hotel, body: { ...rest, miles: undefined, spend: { amountMinor: 80000, currencyCode: 'CNY' } }, headers: { 'idempotency-key': 'hdr-tx-0002' } });
    expect(viaHeader.status).toBe(201);
    expect(requestOf<loyalty.PostAccrualRequest>('postAccrual')).toMatchObject({ partnerTransactionId: 'hdr-tx-0002', spend: { amountMinor: 80000, currencyCode: 'CNY' }, miles: undefined });
    const none = await send(gw, 'post', '/partners/HOTEL1/accruals', { token: hotel, body: rest });
    expect(fields(none)).toEqual(['body.partnerTransactionId']);
    const clash = await send(gw, 'post', '/partners/HOTEL1/accruals', { token: hotel, body, headers: { 'idempotency-key': 'other-key-1' } });
    expect(fields(clash)).toEqual(['header.idempotency-key']);
  });

  it('refuses another partner code (403, no call), other roles (403) and anonymous callers (401)', async () => {
    expect((await send(gw, 'post', '/partners/AIR2/accruals', { token: hotel, body })).status).toBe(403);
    expect(backend.calls).toHaveLength(0);
    for (const token of [analyst, agent, pax]) expect((await send(gw, 'post', '/partners/HOTEL1/accruals', { token, body })).status).toBe(403);
    expect((await send(gw, 'post', '/partners/HOTEL1/accruals', { body })).status).toBe(401);
    expect((await send(gw, 'post', '/partners/HOTEL1/accruals', { token: admin, body: { ...body, partnerTransactionId: 'TX-ADMIN' } })).status).toBe(201);
  });

  it('names every bad field: member number, date, both miles and spend, unknown field, bad path code', async () => {
    const res = await send(gw, 'post', '/partners/hotel-1/accruals', { token: admin, body: { memberNumber: '12', activityDate: '20261120', miles: 5, spend: { amountMinor: 1, currencyCode: 'CNY' }, points: 3 } });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(expect.arrayContaining(['path.partnerCode', 'body.memberNumber', 'body.activityDate', 'body.miles', 'body.points']));
    expect(backend.calls).toHaveLength(0);
  });
});

describe('registry and partner reads', () => {
  it('register and update are admin only; update sends a field mask of the fields given', async () => {
    const reg = { code: 'HOTEL1', name: 'Grand Hotel', category: 'PARTNER_CATEGORY_HOTEL', earnRate: { miles: 1, perSpend: { amountMinor: 1000, currencyCode: 'CNY' } }, pricePerMile: { amountMinor: 5, currencyCode: 'CNY' } };
    expect((await send(gw, 'post', '/partners', { token: hotel, body: reg })).status).toBe(403);
    const created = await send(gw, 'post', '/partners', { token: admin, body: reg });
    expect(created.status).toBe(201);
    expect(requestOf<loyalty.RegisterPartnerRequest>('registerPartner').partner).toMatchObject({ code: 'HOTEL1', category: loyalty.PartnerCategory.PARTNER_CATEGORY_HOTEL, earnRate: { miles: 1 } });
    const upd = await send(gw, 'patch', '/partners/HOTEL1', { token: admin, body: { expectedVersion: 2, status: 'PARTNER_STATUS_SUSPENDED', monthlyMilesCap: 100000 } });
    expect(upd.status).toBe(200);
    expect(requestOf<loyalty.UpdatePartnerRequest>('updatePartner')).toMatchObject({ expectedVersion: 2, updateMask: ['status', 'monthly_miles_cap'], partner: { code: 'HOTEL1', status: loyalty.PartnerStatus.PARTNER_STATUS_SUSPENDED } });
    expect(fields(await send(gw, 'patch', '/partners/HOTEL1', { token: admin, body: { expectedVersion: 2 } }))).toEqual(['body']);
    expect(fields(await send(gw, 'patch', '/partners/HOTEL1', { token: admin, body: { expectedVersion: 2, hasCredential: true } }))).toContain('body.hasCredential');
  });

  it('a partner reads its own record, accruals and statement, never another partner’s; staff readers see all', async () => {
    expect((await send(gw, 'get', '/partners/HOTEL1', { token: hotel })).body).toEqual(loyalty.GetPartnerResponse.toJSON({ partner }));
    expect((await send(gw, 'get', '/partners/AIR2', { token: hotel })).status).toBe(403);
    expect((await send(gw, 'get', '/partners', { token: hotel })).status).toBe(403);
    const list = await send(gw, 'get', '/partners?category=PARTNER_CATEGORY_HOTEL&status=PARTNER_STATUS_ACTIVE&status=PARTNER_STATUS_SUSPENDED', { token: analyst });
    expect(list.status).toBe(200);
    expect(requestOf<loyalty.ListPartnersRequest>('listPartners')).toMatchObject({ categories: [loyalty.PartnerCategory.PARTNER_CATEGORY_HOTEL], statuses: [1, 2] });
    const acc = await send(gw, 'get', '/partners/HOTEL1/accruals?from=2026-11-01&to=2026-11-30&status=ACCRUAL_STATUS_POSTED&pageSize=20', { token: hotel });
    expect(acc.body).toMatchObject({ accruals: [{ partnerTransactionId: 'TX-0001', status: 'ACCRUAL_STATUS_POSTED' }], page: { nextPageToken: 'p2' } });
    expect(requestOf<loyalty.ListAccrualsRequest>('listAccruals')).toEqual({ partnerCode: 'HOTEL1', period: { startDate: '2026-11-01', endDate: '2026-11-30' }, statuses: [1], page: { pageSize: 20, pageToken: '' } });
    expect((await send(gw, 'get', '/partners/AIR2/accruals', { token: hotel })).status).toBe(403);
    expect((await send(gw, 'get', '/partners/HOTEL1/statement?from=2026-11-01&to=2026-11-30', { token: hotel })).body).toMatchObject({ statement: { milesIssued: 2000 } });
    expect(agent).toBeDefined();
    expect((await send(gw, 'get', '/partners/HOTEL1/statement', { token: agent })).status).toBe(403);
  });

  it('reconciliation maps the records; credentials are admin only and never cached', async () => {
    const rec = await send(gw, 'post', '/partners/HOTEL1/reconciliations', {
      token: hotel,
      body: { from: '2026-11-01', to: '2026-11-30', records: [{ partnerTransactionId: 'TX-0001', memberNumber: '1234567897', miles: 500, activityDate: '2026-11-20' }] },
    });
    expect(rec.status).toBe(200);
    expect(requestOf<loyalty.ReconcileAccrualsRequest>('reconcileAccruals')).toEqual({
      partnerCode: 'HOTEL1',
      period: { startDate: '2026-11-01', endDate: '2026-11-30' },
      records: [{ partnerTransactionId: 'TX-0001', memberNumber: '1234567897', miles: 500, activityDate: '2026-11-20' }],
    });
    expect(fields(await send(gw, 'post', '/partners/HOTEL1/reconciliations', { token: hotel, body: { from: '2026-11-01', to: 'x', records: [{}] } }))).toEqual(
      expect.arrayContaining(['body.to', 'body.records.0.partnerTransactionId', 'body.records.0.memberNumber']),
    );
    expect((await send(gw, 'post', '/partners/HOTEL1/credentials', { token: hotel })).status).toBe(403);
    const res = await fetch(`${gw.base}/partners/HOTEL1/credentials`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ partnerCode: 'HOTEL1', clientSecret: 's3cret', scopes: ['accruals:write'] });
  });
});
