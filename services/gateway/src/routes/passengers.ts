import { profile } from '@csm/contracts';
import { callUnary } from '@csm/platform/grpc';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { ids, isoInstant, pageOf, pageQuery, protoEnum, requiredText } from './schemas';
import { csvEnum, e164, email, enumNumber, ffpNumber, passengerInput, purpose, updateMaskPath, version } from './schemas-passengers';

// Roles mirror the profile service (services/profile/src/app/profile-app.ts), which re-checks every call.
/** READERS / WRITERS of the profile service (its 'service' role is not a channel role). */
const PROFILE_STAFF = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'] as const;
/** Classification, audit trail, export and erasure: supervisors only. */
const SUPERVISORS = ['supervisor', 'admin'] as const;
/** Merging duplicates needs an experienced agent (L2+). */
const MERGERS = ['agent_l2', 'agent_l3', 'supervisor', 'admin'] as const;

const passengerPath = z.strictObject({ passengerId: ids.passenger });
const self = { param: 'passengerId' } as const;

/** The Passenger of a validated body, as the proto message (enum names → numbers, instants → Dates). */
function passengerOf(input: z.infer<typeof passengerInput>): profile.Passenger {
  return profile.Passenger.fromJSON(input);
}

const documentKey = z.strictObject({
  type: protoEnum(profile.DocumentType),
  number: z.string().trim().min(1).max(32),
  issuingCountry: z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' }).optional().describe('required for passports'),
});

const lookupBody = z
  .strictObject({
    ffpNumber: ffpNumber.optional(),
    phone: e164.optional(),
    email: email.optional(),
    document: documentKey.optional(),
    purpose: purpose.optional(),
  })
  .superRefine((b, ctx) => {
    const given = (['ffpNumber', 'phone', 'email', 'document'] as const).filter((k) => b[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', path: given.length > 1 ? [given[1] as string] : [], message: 'exactly one of ffpNumber, phone, email, document is required' });
  });

/** Passenger profiles (profile's ProfileService). */
export const passengerRoutes: AnyRoute[] = [
  route({
    method: 'post',
    path: '/passengers',
    operationId: 'createPassenger',
    summary: 'Create a passenger profile (Idempotency-Key optional: a retry with the same key returns the first profile)',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF] },
    body: passengerInput,
    idempotent: true,
    successStatus: 201,
    responseDescription: 'csm.profile.v1.CreatePassengerResponse',
    handler: async ({ body, backends, call, idempotencyKey }) => {
      const res = await callUnary(backends.profile, 'createPassenger', profile.CreatePassengerRequest.fromPartial({ passenger: passengerOf(body), idempotencyKey: idempotencyKey ?? '' }), call);
      return { body: profile.CreatePassengerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers',
    operationId: 'searchPassengersByName',
    summary: 'Find profiles by a name prefix, native or Latin script ("WANG X", "王")',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF] },
    query: z.strictObject({ namePrefix: requiredText(64).describe('surname or full-name prefix'), ...pageQuery }),
    responseDescription: 'csm.profile.v1.SearchPassengersByNameResponse',
    handler: async ({ query, backends, call }) => {
      const res = await callUnary(backends.profile, 'searchPassengersByName', profile.SearchPassengersByNameRequest.fromPartial({ namePrefix: query.namePrefix, page: pageOf(query) }), call);
      return { body: profile.SearchPassengersByNameResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/lookup',
    operationId: 'lookupPassenger',
    summary: 'Find the profile holding one strong key: frequent-flyer number, phone, email or travel document (POST keeps the key out of URLs and logs)',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF] },
    body: lookupBody,
    responseDescription: 'csm.profile.v1.LookupPassengerResponse',
    handler: async ({ body, backends, call }) => {
      const req = profile.LookupPassengerRequest.fromPartial({
        purpose: body.purpose ?? '',
        ...(body.ffpNumber !== undefined ? { ffpNumber: body.ffpNumber } : {}),
        ...(body.phone !== undefined ? { phone: body.phone } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.document !== undefined
          ? { document: { type: enumNumber(profile.DocumentType, body.document.type), number: body.document.number, issuingCountry: body.document.issuingCountry ?? '' } }
          : {}),
      });
      const res = await callUnary(backends.profile, 'lookupPassenger', req, call);
      return { body: profile.LookupPassengerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}',
    operationId: 'getPassenger',
    summary: 'One profile (fields the caller may not see are masked); a passenger may read their own',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF], passengerSelf: self },
    params: passengerPath,
    query: z.strictObject({ purpose: purpose.optional() }),
    responseDescription: 'csm.profile.v1.GetPassengerResponse',
    handler: async ({ params, query, backends, call }) => {
      const res = await callUnary(backends.profile, 'getPassenger', profile.GetPassengerRequest.fromPartial({ passengerId: params.passengerId, purpose: query.purpose ?? '' }), call);
      return { body: profile.GetPassengerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'patch',
    path: '/passengers/{passengerId}',
    operationId: 'updatePassenger',
    summary: 'Partial update of the fields named in updateMask, guarded by expectedVersion; a passenger may update their own',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF], passengerSelf: self },
    params: passengerPath,
    body: z.strictObject({ passenger: passengerInput, updateMask: z.array(updateMaskPath).min(1).max(30), expectedVersion: version }),
    responseDescription: 'csm.profile.v1.UpdatePassengerResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = profile.UpdatePassengerRequest.fromPartial({ passengerId: params.passengerId, passenger: passengerOf(body.passenger), updateMask: body.updateMask, expectedVersion: body.expectedVersion });
      const res = await callUnary(backends.profile, 'updatePassenger', req, call);
      return { body: profile.UpdatePassengerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}/classification',
    operationId: 'getPassengerClassification',
    summary: 'Passenger type, customer grade and VIP level; a passenger may read their own',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF, 'analyst'], passengerSelf: self },
    params: passengerPath,
    responseDescription: 'csm.profile.v1.GetClassificationResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.profile, 'getClassification', profile.GetClassificationRequest.fromPartial({ passengerId: params.passengerId }), call);
      return { body: profile.GetClassificationResponse.toJSON(res) };
    },
  }),
  route({
    method: 'put',
    path: '/passengers/{passengerId}/classification',
    operationId: 'overridePassengerClassification',
    summary: 'Set type / grade / VIP level by hand, with a mandatory reason (supervisors)',
    tag: 'passengers',
    access: { roles: [...SUPERVISORS] },
    params: passengerPath,
    body: z.strictObject({
      type: protoEnum(profile.PassengerType),
      grade: protoEnum(profile.CustomerGrade),
      vipLevel: z.number().int().min(0).max(9).optional(),
      reason: requiredText(500),
      expireTime: isoInstant.optional().describe('when the override lapses'),
      expectedVersion: version,
    }),
    responseDescription: 'csm.profile.v1.OverrideClassificationResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = profile.OverrideClassificationRequest.fromPartial({
        passengerId: params.passengerId,
        type: enumNumber(profile.PassengerType, body.type),
        grade: enumNumber(profile.CustomerGrade, body.grade),
        vipLevel: body.vipLevel ?? 0,
        reason: body.reason,
        expireTime: body.expireTime !== undefined ? new Date(body.expireTime) : undefined,
        expectedVersion: body.expectedVersion,
      });
      const res = await callUnary(backends.profile, 'overrideClassification', req, call);
      return { body: profile.OverrideClassificationResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}/duplicates',
    operationId: 'findPassengerDuplicates',
    summary: 'Candidate duplicate profiles, scored',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF] },
    params: passengerPath,
    query: z.strictObject({ maxResults: z.coerce.number().int().min(1).max(100).optional() }),
    responseDescription: 'csm.profile.v1.FindDuplicatesResponse',
    handler: async ({ params, query, backends, call }) => {
      const res = await callUnary(backends.profile, 'findDuplicates', profile.FindDuplicatesRequest.fromPartial({ passengerId: params.passengerId, maxResults: query.maxResults ?? 0 }), call);
      return { body: profile.FindDuplicatesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/merges',
    operationId: 'mergePassengers',
    summary: 'Fold duplicate profiles into this one (the survivor); the others become MERGED redirects',
    tag: 'passengers',
    access: { roles: [...MERGERS] },
    params: passengerPath,
    body: z.strictObject({ duplicateIds: z.array(ids.passenger).min(1).max(20), reason: requiredText(500), expectedSurvivorVersion: version }),
    responseDescription: 'csm.profile.v1.MergePassengersResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = profile.MergePassengersRequest.fromPartial({ survivorId: params.passengerId, duplicateIds: body.duplicateIds, reason: body.reason, expectedSurvivorVersion: body.expectedSurvivorVersion });
      const res = await callUnary(backends.profile, 'mergePassengers', req, call);
      return { body: profile.MergePassengersResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/passengers/{passengerId}/audit-entries',
    operationId: 'listPassengerAuditEntries',
    summary: 'Who read or changed the profile, when and why (supervisors)',
    tag: 'passengers',
    access: { roles: [...SUPERVISORS] },
    params: passengerPath,
    query: z.strictObject({ from: isoInstant.optional(), to: isoInstant.optional(), actions: csvEnum(profile.AuditAction, 10).optional(), ...pageQuery }),
    responseDescription: 'csm.profile.v1.ListAuditEntriesResponse',
    handler: async ({ params, query, backends, call }) => {
      const req = profile.ListAuditEntriesRequest.fromPartial({
        passengerId: params.passengerId,
        actions: (query.actions ?? []).map((a) => enumNumber(profile.AuditAction, a)),
        page: pageOf(query),
        ...(query.from !== undefined || query.to !== undefined
          ? { timeRange: { startTime: query.from !== undefined ? new Date(query.from) : undefined, endTime: query.to !== undefined ? new Date(query.to) : undefined } }
          : {}),
      });
      const res = await callUnary(backends.profile, 'listAuditEntries', req, call);
      return { body: profile.ListAuditEntriesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/exports',
    operationId: 'exportPassenger',
    summary: 'Everything held about a passenger (GDPR / PIPL access and portability); the passenger themself or a supervisor',
    tag: 'passengers',
    access: { roles: [...SUPERVISORS], passengerSelf: self },
    params: passengerPath,
    body: z.strictObject({ requestReference: z.string().max(128).optional().describe('the data-subject request, e.g. a case id') }).optional(),
    responseDescription: 'csm.profile.v1.ExportPassengerResponse',
    handler: async ({ params, body, backends, call }) => {
      const res = await callUnary(backends.profile, 'exportPassenger', profile.ExportPassengerRequest.fromPartial({ passengerId: params.passengerId, requestReference: body?.requestReference ?? '' }), call);
      return { body: profile.ExportPassengerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/erasure',
    operationId: 'erasePassenger',
    summary: 'Erase the personal data (right to erasure; irreversible, supervisors)',
    tag: 'passengers',
    access: { roles: [...SUPERVISORS] },
    params: passengerPath,
    body: z.strictObject({ reason: requiredText(500), requestReference: z.string().max(128).optional(), expectedVersion: version }),
    responseDescription: 'csm.profile.v1.ErasePassengerResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = profile.ErasePassengerRequest.fromPartial({ passengerId: params.passengerId, reason: body.reason, requestReference: body.requestReference ?? '', expectedVersion: body.expectedVersion });
      const res = await callUnary(backends.profile, 'erasePassenger', req, call);
      return { body: profile.ErasePassengerResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/passengers/{passengerId}/behaviour',
    operationId: 'recordPassengerBehaviour',
    summary: 'Append observed behaviour (seat, meal, drink, booking channel...); Idempotency-Key optional: a retry is applied once',
    tag: 'passengers',
    access: { roles: [...PROFILE_STAFF] },
    params: passengerPath,
    body: z.strictObject({
      observations: z
        .array(z.strictObject({ kind: protoEnum(profile.BehaviourKind), value: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { message: 'must be 1-32 letters, digits, "_" or "-"' }), observeTime: isoInstant.optional() }))
        .min(1)
        .max(50),
    }),
    idempotent: true,
    responseDescription: 'csm.profile.v1.RecordBehaviourResponse',
    handler: async ({ params, body, backends, call, idempotencyKey }) => {
      const req = profile.RecordBehaviourRequest.fromPartial({
        passengerId: params.passengerId,
        idempotencyKey: idempotencyKey ?? '',
        observations: body.observations.map((o) => ({ kind: enumNumber(profile.BehaviourKind, o.kind), value: o.value, observeTime: o.observeTime !== undefined ? new Date(o.observeTime) : undefined })),
      });
      const res = await callUnary(backends.profile, 'recordBehaviour', req, call);
      return { body: profile.RecordBehaviourResponse.toJSON(res) };
    },
  }),
];
