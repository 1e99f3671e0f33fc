import { profile } from '@csm/contracts';
import { NotFoundError } from '@csm/platform/errors';
import { fakeBackend, fields, send, startGateway, type FakeBackend, type Gateway } from './support/routes-fake-backend';

// Passenger routes against a canned ProfileService: the mapping (HTTP → gRPC request, gRPC answer → proto3 JSON),
// validation problems naming the field, role checks and the passenger's own-profile check.
const PAX = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB';
const OTHER = 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VC';
const passenger = profile.Passenger.fromPartial({ id: PAX, name: { latinSurname: 'WANG', latinGivenName: 'XIAOMING' }, gender: profile.Gender.GENDER_MALE, audit: { version: 3 } });

let backend: FakeBackend;
let gw: Gateway;
let agent: string;
let supervisor: string;
let self: string;

beforeAll(async () => {
  backend = await fakeBackend('profile', profile.ProfileServiceService, {
    createPassenger: () => ({ passenger }),
    getPassenger: (r: profile.GetPassengerRequest) => {
      if (r.passengerId !== PAX) throw new NotFoundError('passenger', r.passengerId);
      return { passenger };
    },
    updatePassenger: () => ({ passenger }),
    lookupPassenger: () => ({ passenger }),
    searchPassengersByName: () => profile.SearchPassengersByNameResponse.fromPartial({ passengers: [{ id: PAX, name: passenger.name }], page: { nextPageToken: 'next' } }),
    getClassification: () => profile.GetClassificationResponse.fromPartial({ classification: { type: profile.PassengerType.PASSENGER_TYPE_REGULAR, grade: profile.CustomerGrade.CUSTOMER_GRADE_VIP, vipLevel: 2 } }),
    overrideClassification: () => profile.OverrideClassificationResponse.fromPartial({ classification: { grade: profile.CustomerGrade.CUSTOMER_GRADE_VIP, vipLevel: 3 } }),
    findDuplicates: () => profile.FindDuplicatesResponse.fromPartial({ candidates: [{ passenger: { id: OTHER }, score: 0.9, matchedFields: ['phones'] }] }),
    mergePassengers: () => ({ passenger }),
    listAuditEntries: () => profile.ListAuditEntriesResponse.fromPartial({ entries: [{ id: 'aud_1', action: profile.AuditAction.AUDIT_ACTION_READ }] }),
    exportPassenger: () => profile.ExportPassengerResponse.fromPartial({ passenger, auditEntries: [], exportTime: new Date('2026-11-29T08:00:00Z') }),
    erasePassenger: (r: profile.ErasePassengerRequest) => profile.ErasePassengerResponse.fromPartial({ passengerId: r.passengerId, eraseTime: new Date('2026-11-29T08:00:00Z') }),
    recordBehaviour: () => profile.RecordBehaviourResponse.fromPartial({ dynamicData: { behaviour: [{ kind: profile.BehaviourKind.BEHAVIOUR_KIND_MEAL, value: 'vgml', count: 1 }] } }),
  });
  gw = await startGateway({ profile: backend.address });
  agent = await gw.token(['agent_l1']);
  supervisor = await gw.token(['supervisor'], { scopes: ['pii:read'] });
  self = await gw.token(['passenger'], { sub: PAX, profileId: PAX });
});
afterAll(async () => {
  await gw.close();
  await backend.server.shutdown({ graceMs: 50 });
});
beforeEach(() => {
  backend.calls.length = 0;
});

const last = () => backend.calls[backend.calls.length - 1];

describe('passenger routes', () => {
  it('creates a profile: body → CreatePassengerRequest (enums by name), idempotency key passed on, 201 proto3 JSON', async () => {
    const res = await send(gw, 'post', '/passengers', {
      token: agent,
      headers: { 'idempotency-key': 'create-0001' },
      body: { name: { latinSurname: 'WANG', latinGivenName: 'XIAOMING' }, gender: 'GENDER_MALE', phones: [{ e164: '+8613800138000', kind: 'PHONE_KIND_MOBILE', primary: true }], documents: [{ type: 'DOCUMENT_TYPE_PASSPORT', number: 'E12345678', issuingCountry: 'CN' }] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ passenger: profile.Passenger.toJSON(passenger) });
    const call = last();
    expect(call?.method).toBe('createPassenger');
    const req = call?.request as profile.CreatePassengerRequest;
    expect(req.idempotencyKey).toBe('create-0001');
    expect(req.passenger?.gender).toBe(profile.Gender.GENDER_MALE);
    expect(req.passenger?.documents[0]).toMatchObject({ type: profile.DocumentType.DOCUMENT_TYPE_PASSPORT, number: 'E12345678', issuingCountry: 'CN' });
    expect(req.passenger?.phones[0]).toMatchObject({ e164: '+8613800138000', kind: profile.PhoneKind.PHONE_KIND_MOBILE, primary: true });
    expect(call?.authorization).toBe(`Bearer ${agent}`);
  });

  it('refuses output-only and malformed fields with a 400 naming each, without calling the service', async () => {
    const res = await send(gw, 'post', '/passengers', { token: agent, body: { id: PAX, gender: 'MALE', birthDate: '2026-13-01', phones: [{ e164: 'x' }] } });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(expect.arrayContaining(['body.id', 'body.gender', 'body.birthDate', 'body.phones.0.e164']));
    expect(backend.calls).toHaveLength(0);
  });

  it('401 without a token, 403 for a role the profile service refuses (partner, analyst, ops)', async () => {
    expect((await send(gw, 'get', `/passengers/${PAX}`)).status).toBe(401);
    for (const role of ['partner', 'analyst', 'ops'] as const) {
      expect((await send(gw, 'get', `/passengers/${PAX}`, { token: await gw.token([role], { partnerCode: 'ZZ' }) })).status).toBe(403);
    }
    expect((await send(gw, 'post', '/passengers', { token: self, body: {} })).status).toBe(403);
    expect(backend.calls).toHaveLength(0);
  });

  it('a passenger reads and updates their own profile only', async () => {
    const mine = await send(gw, 'get', `/passengers/${PAX}?purpose=self-service`, { token: self });
    expect(mine.status).toBe(200);
    expect(last()?.request).toEqual(profile.GetPassengerRequest.fromPartial({ passengerId: PAX, purpose: 'self-service' }));
    expect((await send(gw, 'get', `/passengers/${OTHER}`, { token: self })).status).toBe(403);
    const upd = await send(gw, 'patch', `/passengers/${PAX}`, { token: self, body: { passenger: { preferences: { seat: 'SEAT_PREFERENCE_AISLE' } }, updateMask: ['preferences.seat'], expectedVersion: 3 } });
    expect(upd.status).toBe(200);
    expect(last()?.request).toMatchObject({ passengerId: PAX, updateMask: ['preferences.seat'], expectedVersion: 3, passenger: { preferences: { seat: profile.SeatPreference.SEAT_PREFERENCE_AISLE } } });
    expect((await send(gw, 'patch', `/passengers/${OTHER}`, { token: self, body: { passenger: {}, updateMask: ['tags'], expectedVersion: 1 } })).status).toBe(403);
  });

  it('maps a NOT_FOUND from the service to a 404 problem', async () => {
    const res = await send(gw, 'get', `/passengers/${OTHER}`, { token: agent });
    expect(res.status).toBe(404);
    expect(res.contentType).toMatch(/problem\+json/);
  });

  it('looks up by exactly one strong key (document, phone, email, ffp)', async () => {
    const doc = await send(gw, 'post', '/passengers/lookup', { token: agent, body: { document: { type: 'DOCUMENT_TYPE_PRC_RESIDENT_ID', number: '11010519491231002X' }, purpose: 'call' } });
    expect(doc.status).toBe(200);
    expect(last()?.request).toEqual(profile.LookupPassengerRequest.fromPartial({ document: { type: profile.DocumentType.DOCUMENT_TYPE_PRC_RESIDENT_ID, number: '11010519491231002X', issuingCountry: '' }, purpose: 'call' }));
    await send(gw, 'post', '/passengers/lookup', { token: agent, body: { ffpNumber: 'CA1234567' } });
    expect(last()?.request).toMatchObject({ ffpNumber: 'CA1234567' });
    const two = await send(gw, 'post', '/passengers/lookup', { token: agent, body: { phone: '+8613800138000', email: 'a@b.cn' } });
    expect(two.status).toBe(400);
    expect(fields(two)).toEqual(['body.email']);
    const none = await send(gw, 'post', '/passengers/lookup', { token: agent, body: {} });
    expect(none.status).toBe(400);
  });

  it('searches by name with paging', async () => {
    const res = await send(gw, 'get', '/passengers?namePrefix=WANG&pageSize=5&pageToken=abc', { token: agent });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ passengers: [{ id: PAX, name: { latinSurname: 'WANG', latinGivenName: 'XIAOMING' } }], page: { nextPageToken: 'next' } });
    expect(last()?.request).toEqual(profile.SearchPassengersByNameRequest.fromPartial({ namePrefix: 'WANG', page: { pageSize: 5, pageToken: 'abc' } }));
    const bad = await send(gw, 'get', '/passengers?pageSize=500', { token: agent });
    expect(fields(bad)).toEqual(expect.arrayContaining(['query.namePrefix', 'query.pageSize']));
  });

  it('classification: analyst and the passenger read, only supervisors override', async () => {
    const analyst = await gw.token(['analyst']);
    expect((await send(gw, 'get', `/passengers/${PAX}/classification`, { token: analyst })).body).toMatchObject({ classification: { grade: 'CUSTOMER_GRADE_VIP', vipLevel: 2 } });
    expect((await send(gw, 'get', `/passengers/${PAX}/classification`, { token: self })).status).toBe(200);
    const body = { type: 'PASSENGER_TYPE_FREQUENT_FLYER', grade: 'CUSTOMER_GRADE_VIP', vipLevel: 3, reason: 'board member', expireTime: '2027-01-01T00:00:00Z', expectedVersion: 3 };
    expect((await send(gw, 'put', `/passengers/${PAX}/classification`, { token: agent, body })).status).toBe(403);
    const ok = await send(gw, 'put', `/passengers/${PAX}/classification`, { token: supervisor, body });
    expect(ok.status).toBe(200);
    expect(last()?.request).toEqual(
      profile.OverrideClassificationRequest.fromPartial({ passengerId: PAX, type: profile.PassengerType.PASSENGER_TYPE_FREQUENT_FLYER, grade: profile.CustomerGrade.CUSTOMER_GRADE_VIP, vipLevel: 3, reason: 'board member', expireTime: new Date('2027-01-01T00:00:00Z'), expectedVersion: 3 }),
    );
    const bad = await send(gw, 'put', `/passengers/${PAX}/classification`, { token: supervisor, body: { ...body, grade: 'GOLD', vipLevel: 10 } });
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.grade', 'body.vipLevel']));
  });

  it('duplicates (agents) and merge (L2+ only)', async () => {
    expect((await send(gw, 'get', `/passengers/${PAX}/duplicates?maxResults=5`, { token: agent })).body).toMatchObject({ candidates: [{ passenger: { id: OTHER }, score: 0.9, matchedFields: ['phones'] }] });
    expect(last()?.request).toEqual({ passengerId: PAX, maxResults: 5 });
    const merge = { duplicateIds: [OTHER], reason: 'same person', expectedSurvivorVersion: 3 };
    expect((await send(gw, 'post', `/passengers/${PAX}/merges`, { token: agent, body: merge })).status).toBe(403);
    const ok = await send(gw, 'post', `/passengers/${PAX}/merges`, { token: await gw.token(['agent_l2']), body: merge });
    expect(ok.status).toBe(200);
    expect(last()?.request).toEqual(profile.MergePassengersRequest.fromPartial({ survivorId: PAX, duplicateIds: [OTHER], reason: 'same person', expectedSurvivorVersion: 3 }));
    const bad = await send(gw, 'post', `/passengers/${PAX}/merges`, { token: supervisor, body: { duplicateIds: ['nope'], reason: '' } });
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.duplicateIds.0', 'body.reason', 'body.expectedSurvivorVersion']));
  });

  it('audit entries, export, erasure: supervisors; export also the passenger themself', async () => {
    const audit = await send(gw, 'get', `/passengers/${PAX}/audit-entries?actions=AUDIT_ACTION_READ,AUDIT_ACTION_EXPORT&from=2026-11-01T00:00:00Z`, { token: supervisor });
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ entries: [{ id: 'aud_1', action: 'AUDIT_ACTION_READ' }] });
    expect(last()?.request).toMatchObject({ passengerId: PAX, actions: [profile.AuditAction.AUDIT_ACTION_READ, profile.AuditAction.AUDIT_ACTION_EXPORT], timeRange: { startTime: new Date('2026-11-01T00:00:00Z') } });
    expect(fields(await send(gw, 'get', `/passengers/${PAX}/audit-entries?actions=READ`, { token: supervisor }))).toEqual(['query.actions.0']);
    expect((await send(gw, 'get', `/passengers/${PAX}/audit-entries`, { token: agent })).status).toBe(403);

    const exp = await send(gw, 'post', `/passengers/${PAX}/exports`, { token: self, body: { requestReference: 'dsar-1' } });
    expect(exp.status).toBe(200);
    expect(exp.body).toMatchObject({ exportTime: '2026-11-29T08:00:00.000Z' });
    expect(last()?.request).toEqual({ passengerId: PAX, requestReference: 'dsar-1' });
    expect((await send(gw, 'post', `/passengers/${OTHER}/exports`, { token: self })).status).toBe(403);
    expect((await send(gw, 'post', `/passengers/${PAX}/exports`, { token: agent })).status).toBe(403);

    const erase = { reason: 'data subject request', requestReference: 'case_x', expectedVersion: 3 };
    expect((await send(gw, 'post', `/passengers/${PAX}/erasure`, { token: self, body: erase })).status).toBe(403);
    const er = await send(gw, 'post', `/passengers/${PAX}/erasure`, { token: supervisor, body: erase });
    expect(er.status).toBe(200);
    expect(er.body).toEqual({ passengerId: PAX, eraseTime: '2026-11-29T08:00:00.000Z' });
  });

  it('records behaviour with the idempotency key', async () => {
    const res = await send(gw, 'post', `/passengers/${PAX}/behaviour`, { token: agent, headers: { 'idempotency-key': 'beh-00000001' }, body: { observations: [{ kind: 'BEHAVIOUR_KIND_MEAL', value: 'vgml' }] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dynamicData: { behaviour: [{ kind: 'BEHAVIOUR_KIND_MEAL', value: 'vgml', count: 1 }] } });
    expect(last()?.request).toMatchObject({ passengerId: PAX, idempotencyKey: 'beh-00000001', observations: [{ kind: profile.BehaviourKind.BEHAVIOUR_KIND_MEAL, value: 'vgml' }] });
    expect(fields(await send(gw, 'post', `/passengers/${PAX}/behaviour`, { token: agent, body: { observations: [] } }))).toEqual(['body.observations']);
  });
});
