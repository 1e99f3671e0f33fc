import { cases } from '@csm/contracts';
import { PermissionDeniedError } from '@csm/platform/errors';
import { callUnary } from '@csm/platform/grpc';
import { hasRole, type Principal } from '@csm/platform/security';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { carrier, currency, flightNumber, ids, isoDate, isoInstant, language, miles, pageOf, pageQuery, protoEnum, requiredText, text } from './schemas';
import { csvEnum, e164, email, enumNumber, queryFlag, version } from './schemas-passengers';

// Roles mirror the cases service (services/cases/src/app/authz.ts, cases-app.ts), which re-checks every call.
/** AGENT_ROLES: people who work cases. */
export const CASE_AGENTS = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'] as const;
/** READER_ROLES: may read any case without working it. */
export const CASE_READERS = [...CASE_AGENTS, 'ops', 'analyst'] as const;
const SUPERVISORS = ['supervisor', 'admin'] as const;
const ANY_SIGNED_IN = [...CASE_READERS, 'passenger', 'partner'] as const;

const casePath = z.strictObject({ caseId: ids.case });
const categoryCode = z.string().regex(/^[a-z_]+(\.[a-z_]+){0,3}$/, { message: 'must be a category code like "flight.delay"' });
const agentId = z.string().regex(/^[A-Za-z0-9._:@-]{1,64}$/, { message: 'must be 1-64 characters A-Z a-z 0-9 . _ : @ -' });
const teamId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'must be 1-64 characters A-Z a-z 0-9 . _ : -' });

/** A passenger acts only on their own profile (the service checks too; this answers 403 early and fills the id in). */
function ownPassengerId(principal: Principal, given: string | undefined): string {
  if (hasRole(principal, ...CASE_READERS)) return given ?? '';
  if (given !== undefined && given !== principal.profileId) throw new PermissionDeniedError('a passenger may only act on their own cases');
  return principal.profileId ?? '';
}

const openCaseBody = z.strictObject({
  channel: protoEnum(cases.Channel),
  kind: protoEnum(cases.CaseKind),
  subject: requiredText(200),
  description: requiredText(20_000),
  language: language.optional(),
  passengerId: ids.passenger.optional().describe('a passenger may only name their own profile (default)'),
  contact: z.strictObject({ name: text(128).optional(), phone: e164.optional(), email: email.optional() }).optional(),
  links: z
    .strictObject({
      flight: z.strictObject({ carrier, number: flightNumber, date: isoDate }).optional(),
      bookingRef: z.string().regex(/^[A-Z0-9]{6}$/, { message: 'must be a 6-character record locator' }).optional(),
      baggageRef: z.string().regex(/^[A-Z0-9]{5,12}$/, { message: 'must be 5-12 characters A-Z 0-9' }).optional(),
      airWaybill: z.string().regex(/^\d{3}-\d{8}$/, { message: 'must be NNN-NNNNNNNN' }).optional(),
      ticketNumber: z.string().regex(/^\d{13}$/, { message: 'must be 13 digits' }).optional(),
    })
    .optional(),
  attachments: z
    .array(
      z.strictObject({
        id: text(64).optional(),
        uri: z.string().min(1).max(1024),
        fileName: text(255).optional(),
        contentType: text(128).optional(),
        sizeBytes: z.number().int().min(0).max(100 * 1024 * 1024).optional(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lower-case hex digits' }).optional(),
      }),
    )
    .max(20)
    .optional(),
  categoryCode: categoryCode.optional(),
  tags: z.array(z.string().trim().min(1).max(32)).max(20).optional(),
  customerGrade: z.enum(['REGULAR', 'VIP', 'SPECIAL']).optional(),
  regulatorReferral: z.boolean().optional(),
  impact: protoEnum(cases.Impact).optional(),
});

const listQuery = z.strictObject({
  states: csvEnum(cases.CaseState).optional(),
  kinds: csvEnum(cases.CaseKind).optional(),
  channels: csvEnum(cases.Channel).optional(),
  severities: csvEnum(cases.Severity).optional(),
  passengerId: ids.passenger.optional().describe('a passenger always sees only their own'),
  ownerAgentId: agentId.optional(),
  teamId: teamId.optional(),
  flightCarrier: carrier.optional(),
  flightNumber: flightNumber.optional(),
  flightDate: isoDate.optional(),
  categoryCode: categoryCode.optional(),
  openedFrom: isoInstant.optional(),
  openedTo: isoInstant.optional(),
  slaBreachedOnly: queryFlag.optional(),
  orderBy: z.enum(['open_time desc', 'open_time', 'severity desc', 'due_time']).optional(),
  textQuery: z.string().max(200).optional(),
  ...pageQuery,
});

const range = (from: string | undefined, to: string | undefined) =>
  from !== undefined || to !== undefined ? { startTime: from !== undefined ? new Date(from) : undefined, endTime: to !== undefined ? new Date(to) : undefined } : undefined;

const caseAnswer = (res: { case?: cases.Case | undefined }) => ({ body: { case: res.case ? cases.Case.toJSON(res.case) : undefined } });

/** Cases and their workflow (cases' CaseService). */
export const caseRoutes: AnyRoute[] = [
  route({
    method: 'post',
    path: '/cases',
    operationId: 'openCase',
    summary: 'Open a case from any channel; a passenger opens their own (web/app complaint). Idempotency-Key header REQUIRED: a retry returns the first case',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS, 'passenger'] },
    body: openCaseBody,
    idempotent: 'required',
    successStatus: 201,
    responseDescription: 'csm.cases.v1.OpenCaseResponse',
    handler: async ({ body, principal, backends, call, idempotencyKey }) => {
      const key = idempotencyKey ?? ''; // present: the router refuses the request without it
      const req = cases.OpenCaseRequest.fromPartial({
        channel: enumNumber(cases.Channel, body.channel),
        kind: enumNumber(cases.CaseKind, body.kind),
        subject: body.subject,
        description: body.description,
        language: body.language ?? '',
        passengerId: ownPassengerId(principal, body.passengerId),
        contact: body.contact,
        links: body.links,
        attachments: body.attachments,
        categoryCode: body.categoryCode ?? '',
        idempotencyKey: key,
        tags: body.tags ?? [],
        customerGrade: body.customerGrade ?? '',
        regulatorReferral: body.regulatorReferral ?? false,
        impact: body.impact !== undefined ? enumNumber(cases.Impact, body.impact) : 0,
      });
      const res = await callUnary(backends.cases, 'openCase', req, call);
      return { body: cases.OpenCaseResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cases',
    operationId: 'listCases',
    summary: 'Cases matching the filters (AND); a passenger lists only their own',
    tag: 'cases',
    access: { roles: [...CASE_READERS, 'passenger'] },
    query: listQuery,
    responseDescription: 'csm.cases.v1.ListCasesResponse',
    handler: async ({ query, principal, backends, call }) => {
      const flight = query.flightCarrier !== undefined || query.flightNumber !== undefined || query.flightDate !== undefined ? { carrier: query.flightCarrier ?? '', number: query.flightNumber ?? '', date: query.flightDate ?? '' } : undefined;
      const req = cases.ListCasesRequest.fromPartial({
        states: (query.states ?? []).map((s) => enumNumber(cases.CaseState, s)),
        kinds: (query.kinds ?? []).map((s) => enumNumber(cases.CaseKind, s)),
        channels: (query.channels ?? []).map((s) => enumNumber(cases.Channel, s)),
        severities: (query.severities ?? []).map((s) => enumNumber(cases.Severity, s)),
        passengerId: ownPassengerId(principal, query.passengerId),
        ownerAgentId: query.ownerAgentId ?? '',
        teamId: query.teamId ?? '',
        flight,
        categoryCode: query.categoryCode ?? '',
        openTime: range(query.openedFrom, query.openedTo),
        slaBreachedOnly: query.slaBreachedOnly === 'true',
        orderBy: query.orderBy ?? '',
        textQuery: query.textQuery ?? '',
        page: pageOf(query),
      });
      const res = await callUnary(backends.cases, 'listCases', req, call);
      return { body: cases.ListCasesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cases/{caseId}',
    operationId: 'getCase',
    summary: 'One case by id; a passenger may read their own',
    tag: 'cases',
    access: { roles: [...CASE_READERS, 'passenger'] },
    params: casePath,
    responseDescription: 'csm.cases.v1.GetCaseResponse',
    handler: async ({ params, backends, call }) => caseAnswer(await callUnary(backends.cases, 'getCase', cases.GetCaseRequest.fromPartial({ caseId: params.caseId }), call)),
  }),
  route({
    method: 'get',
    path: '/cases/by-number/{caseNumber}',
    operationId: 'getCaseByNumber',
    summary: 'One case by its human number ("CS-2026-000123"); a passenger may read their own',
    tag: 'cases',
    access: { roles: [...CASE_READERS, 'passenger'] },
    params: z.strictObject({ caseNumber: z.string().regex(/^CS-\d{4}-\d{6,}$/, { message: 'must be a case number like CS-2026-000123' }) }),
    responseDescription: 'csm.cases.v1.GetCaseResponse',
    handler: async ({ params, backends, call }) => caseAnswer(await callUnary(backends.cases, 'getCase', cases.GetCaseRequest.fromPartial({ caseNumber: params.caseNumber }), call)),
  }),
  route({
    method: 'put',
    path: '/cases/{caseId}/classification',
    operationId: 'classifyCase',
    summary: 'Category x impact → severity, with an optional severity override (reason required)',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ categoryCode, impact: protoEnum(cases.Impact), severityOverride: protoEnum(cases.Severity).optional(), overrideReason: text(500).optional(), expectedVersion: version.optional() }),
    responseDescription: 'csm.cases.v1.ClassifyCaseResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = cases.ClassifyCaseRequest.fromPartial({
        caseId: params.caseId,
        categoryCode: body.categoryCode,
        impact: enumNumber(cases.Impact, body.impact),
        severityOverride: body.severityOverride !== undefined ? enumNumber(cases.Severity, body.severityOverride) : undefined,
        overrideReason: body.overrideReason ?? '',
        expectedVersion: body.expectedVersion ?? 0,
      });
      return caseAnswer(await callUnary(backends.cases, 'classifyCase', req, call));
    },
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/transitions',
    operationId: 'transitionCase',
    summary: 'Move the workflow (RESOLVED needs a resolution, CLOSED a satisfaction outcome unless surveyed); 409/412 for a disallowed move',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({
      targetState: protoEnum(cases.CaseState),
      comment: text(2000).optional(),
      resolution: z.strictObject({ code: z.string().regex(/^[a-z_]{1,40}$/, { message: 'must be a resolution code like "compensated"' }), summary: text(4000).optional(), rootCause: z.string().regex(/^[a-z_]{1,40}$/, { message: 'must be a root-cause code' }).optional() }).optional(),
      satisfactionOutcome: protoEnum(cases.SatisfactionOutcome).optional(),
      expectedVersion: version.optional(),
    }),
    responseDescription: 'csm.cases.v1.TransitionCaseResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = cases.TransitionCaseRequest.fromPartial({
        caseId: params.caseId,
        targetState: enumNumber(cases.CaseState, body.targetState),
        comment: body.comment ?? '',
        resolution: body.resolution,
        satisfactionOutcome: body.satisfactionOutcome !== undefined ? enumNumber(cases.SatisfactionOutcome, body.satisfactionOutcome) : 0,
        expectedVersion: body.expectedVersion ?? 0,
      });
      return caseAnswer(await callUnary(backends.cases, 'transitionCase', req, call));
    },
  }),
  route({
    method: 'put',
    path: '/cases/{caseId}/assignment',
    operationId: 'assignCase',
    summary: 'An agent accepts the case (agentId empty: the caller; another agent: supervisors only)',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ agentId: agentId.optional(), teamId: teamId.optional(), tier: protoEnum(cases.SupportTier).optional(), expectedVersion: version.optional() }).optional(),
    responseDescription: 'csm.cases.v1.AssignCaseResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = cases.AssignCaseRequest.fromPartial({
        caseId: params.caseId,
        agentId: body?.agentId ?? '',
        teamId: body?.teamId ?? '',
        tier: body?.tier !== undefined ? enumNumber(cases.SupportTier, body.tier) : 0,
        expectedVersion: body?.expectedVersion ?? 0,
      });
      return caseAnswer(await callUnary(backends.cases, 'assignCase', req, call));
    },
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/hand-overs',
    operationId: 'handOverCase',
    summary: 'The owner hands the case over to another agent, with a note',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ toAgentId: agentId, note: text(4000).optional(), expectedVersion: version.optional() }),
    responseDescription: 'csm.cases.v1.HandOverCaseResponse',
    handler: async ({ params, body, backends, call }) =>
      caseAnswer(await callUnary(backends.cases, 'handOverCase', cases.HandOverCaseRequest.fromPartial({ caseId: params.caseId, toAgentId: body.toAgentId, note: body.note ?? '', expectedVersion: body.expectedVersion ?? 0 }), call)),
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/transfers',
    operationId: 'transferCase',
    summary: 'Send the case to another team / tier (L2, L3, a department)',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ toTeamId: teamId.optional(), tier: protoEnum(cases.SupportTier), reason: requiredText(1000), department: z.string().regex(/^[a-z_]{1,64}$/, { message: 'must be a department code like "baggage_services"' }).optional(), expectedVersion: version.optional() }),
    responseDescription: 'csm.cases.v1.TransferCaseResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = cases.TransferCaseRequest.fromPartial({
        caseId: params.caseId,
        toTeamId: body.toTeamId ?? '',
        tier: enumNumber(cases.SupportTier, body.tier),
        reason: body.reason,
        department: body.department ?? '',
        expectedVersion: body.expectedVersion ?? 0,
      });
      return caseAnswer(await callUnary(backends.cases, 'transferCase', req, call));
    },
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/escalations',
    operationId: 'escalateCase',
    summary: 'Raise the escalation level (team → operations → management)',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ level: protoEnum(cases.EscalationLevel), reason: requiredText(1000), expectedVersion: version.optional() }),
    responseDescription: 'csm.cases.v1.EscalateCaseResponse',
    handler: async ({ params, body, backends, call }) =>
      caseAnswer(
        await callUnary(backends.cases, 'escalateCase', cases.EscalateCaseRequest.fromPartial({ caseId: params.caseId, level: enumNumber(cases.EscalationLevel, body.level), reason: body.reason, expectedVersion: body.expectedVersion ?? 0 }), call),
      ),
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/notes',
    operationId: 'addCaseNote',
    summary: 'Add a note; a passenger writes customer-visible messages on their own case (visibility defaults to INTERNAL for staff, CUSTOMER for a passenger)',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS, 'passenger'] },
    params: casePath,
    body: z.strictObject({ body: requiredText(20_000), visibility: protoEnum(cases.NoteVisibility).optional() }),
    successStatus: 201,
    responseDescription: 'csm.cases.v1.AddCaseNoteResponse',
    handler: async ({ params, body, principal, backends, call }) => {
      const fallback = hasRole(principal, ...CASE_AGENTS) ? cases.NoteVisibility.NOTE_VISIBILITY_INTERNAL : cases.NoteVisibility.NOTE_VISIBILITY_CUSTOMER;
      const req = cases.AddCaseNoteRequest.fromPartial({ caseId: params.caseId, body: body.body, visibility: body.visibility !== undefined ? enumNumber(cases.NoteVisibility, body.visibility) : fallback });
      const res = await callUnary(backends.cases, 'addCaseNote', req, call);
      return { body: cases.AddCaseNoteResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/compensations',
    operationId: 'grantCompensation',
    summary: 'Settle with miles (credited through loyalty), a voucher or a refund. Idempotency-Key header REQUIRED: a retry never pays twice',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({
      miles: miles.optional().describe('required for MILES'),
      reason: requiredText(1000),
      compensationKind: protoEnum(cases.CompensationKind).optional().describe('default MILES'),
      amount: z.strictObject({ amountMinor: z.number().int().min(1).max(100_000_000), currencyCode: currency }).optional().describe('value of a voucher or refund'),
      reference: text(128).optional(),
    }),
    idempotent: 'required',
    successStatus: 201,
    responseDescription: 'csm.cases.v1.GrantCompensationResponse',
    handler: async ({ params, body, backends, call, idempotencyKey }) => {
      const key = idempotencyKey ?? ''; // present: the router refuses the request without it
      const req = cases.GrantCompensationRequest.fromPartial({
        caseId: params.caseId,
        miles: body.miles ?? 0,
        reason: body.reason,
        idempotencyKey: key,
        compensationKind: body.compensationKind !== undefined ? enumNumber(cases.CompensationKind, body.compensationKind) : 0,
        amount: body.amount,
        reference: body.reference ?? '',
      });
      const res = await callUnary(backends.cases, 'grantCompensation', req, call);
      return { body: cases.GrantCompensationResponse.toJSON(res) };
    },
  }),
  route({
    method: 'put',
    path: '/cases/{caseId}/survey',
    operationId: 'recordCaseSurvey',
    summary: 'Record the satisfaction survey (CSAT 1-5 and/or NPS 0-10); a passenger answers for their own case',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS, 'passenger'] },
    params: casePath,
    body: z
      .strictObject({ csat: z.number().int().min(1).max(5).optional(), nps: z.number().int().min(0).max(10).optional(), comment: text(4000).optional(), channel: protoEnum(cases.Channel).optional() })
      .superRefine((b, ctx) => {
        if (b.csat === undefined && b.nps === undefined) ctx.addIssue({ code: 'custom', path: ['csat'], message: 'csat or nps is required' });
      }),
    responseDescription: 'csm.cases.v1.RecordSurveyResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = cases.RecordSurveyRequest.fromPartial({ caseId: params.caseId, csat: body.csat, nps: body.nps, comment: body.comment ?? '', channel: body.channel !== undefined ? enumNumber(cases.Channel, body.channel) : 0 });
      const res = await callUnary(backends.cases, 'recordSurvey', req, call);
      return { body: cases.RecordSurveyResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cases/{caseId}/sla-deadlines',
    operationId: 'listCaseSlaDeadlines',
    summary: "All SLA deadlines of one case; a passenger may read their own case's",
    tag: 'cases',
    access: { roles: [...CASE_READERS, 'passenger'] },
    params: casePath,
    query: z.strictObject({ states: csvEnum(cases.SlaState).optional() }),
    responseDescription: 'csm.cases.v1.ListSlaDeadlinesResponse',
    handler: async ({ params, query, backends, call }) => {
      const req = cases.ListSlaDeadlinesRequest.fromPartial({ caseId: params.caseId, states: (query.states ?? []).map((s) => enumNumber(cases.SlaState, s)) });
      const res = await callUnary(backends.cases, 'listSlaDeadlines', req, call);
      return { body: cases.ListSlaDeadlinesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/sla-deadlines',
    operationId: 'listSlaDeadlines',
    summary: 'SLA deadlines across cases, soonest first (work queues, dashboards); default RUNNING and WARNING',
    tag: 'cases',
    access: { roles: [...CASE_READERS] },
    query: z.strictObject({ teamId: teamId.optional(), ownerAgentId: agentId.optional(), states: csvEnum(cases.SlaState).optional(), dueFrom: isoInstant.optional(), dueTo: isoInstant.optional(), ...pageQuery }),
    responseDescription: 'csm.cases.v1.ListSlaDeadlinesResponse',
    handler: async ({ query, backends, call }) => {
      const req = cases.ListSlaDeadlinesRequest.fromPartial({
        teamId: query.teamId ?? '',
        ownerAgentId: query.ownerAgentId ?? '',
        states: (query.states ?? []).map((s) => enumNumber(cases.SlaState, s)),
        dueTime: range(query.dueFrom, query.dueTo),
        page: pageOf(query),
      });
      const res = await callUnary(backends.cases, 'listSlaDeadlines', req, call);
      return { body: cases.ListSlaDeadlinesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cases/{caseId}/activities',
    operationId: 'listCaseActivities',
    summary: 'Every recorded step of a case, oldest first; a passenger sees the customer-visible steps of their own',
    tag: 'cases',
    access: { roles: [...CASE_READERS, 'passenger'] },
    params: casePath,
    query: z.strictObject({ ...pageQuery }),
    responseDescription: 'csm.cases.v1.ListCaseActivitiesResponse',
    handler: async ({ params, query, backends, call }) => {
      const res = await callUnary(backends.cases, 'listCaseActivities', cases.ListCaseActivitiesRequest.fromPartial({ caseId: params.caseId, page: pageOf(query) }), call);
      return { body: cases.ListCaseActivitiesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/case-categories',
    operationId: 'listCaseCategories',
    summary: 'The case category taxonomy (names in English and Chinese); every signed-in caller (web complaint forms)',
    tag: 'cases',
    access: { roles: [...ANY_SIGNED_IN] },
    responseDescription: 'csm.cases.v1.ListCategoriesResponse',
    handler: async ({ backends, call }) => {
      const res = await callUnary(backends.cases, 'listCategories', cases.ListCategoriesRequest.fromPartial({}), call);
      return { body: cases.ListCategoriesResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/routing',
    operationId: 'routeCase',
    summary: 'Assign the case to the least-loaded agent of its queue with the needed skills',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ expectedVersion: version.optional() }).optional(),
    responseDescription: 'csm.cases.v1.RouteCaseResponse',
    handler: async ({ params, body, backends, call }) => caseAnswer(await callUnary(backends.cases, 'routeCase', cases.RouteCaseRequest.fromPartial({ caseId: params.caseId, expectedVersion: body?.expectedVersion ?? 0 }), call)),
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/links',
    operationId: 'linkCases',
    summary: 'Mark another case as related to or a duplicate of this one',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ otherCaseId: ids.case, kind: z.enum(['CASE_LINK_KIND_RELATED', 'CASE_LINK_KIND_DUPLICATE']) }),
    responseDescription: 'csm.cases.v1.LinkCasesResponse',
    handler: async ({ params, body, backends, call }) =>
      caseAnswer(await callUnary(backends.cases, 'linkCases', cases.LinkCasesRequest.fromPartial({ caseId: params.caseId, otherCaseId: body.otherCaseId, kind: enumNumber(cases.CaseLinkKind, body.kind) }), call)),
  }),
  route({
    method: 'post',
    path: '/cases/{caseId}/merge',
    operationId: 'mergeCases',
    summary: 'Merge this case into another (it ends ARCHIVED); both timelines are kept. Answers the remaining case',
    tag: 'cases',
    access: { roles: [...CASE_AGENTS] },
    params: casePath,
    body: z.strictObject({ targetCaseId: ids.case, reason: requiredText(1000) }),
    responseDescription: 'csm.cases.v1.MergeCasesResponse',
    handler: async ({ params, body, backends, call }) =>
      caseAnswer(await callUnary(backends.cases, 'mergeCases', cases.MergeCasesRequest.fromPartial({ sourceCaseId: params.caseId, targetCaseId: body.targetCaseId, reason: body.reason }), call)),
  }),
  route({
    method: 'put',
    path: '/agents/{agentId}',
    operationId: 'upsertAgent',
    summary: "Register or update an agent's team, tier, languages, categories and capacity (supervisors)",
    tag: 'cases',
    access: { roles: [...SUPERVISORS] },
    params: z.strictObject({ agentId }),
    body: z.strictObject({
      teamId,
      tier: protoEnum(cases.SupportTier),
      languages: z.array(language).max(10).optional(),
      categories: z.array(z.string().regex(/^[a-z_]{1,40}$/, { message: 'must be a top-level category code' })).max(30).optional(),
      vip: z.boolean().optional(),
      maxOpenCases: z.number().int().min(0).max(1000).optional(),
      active: z.boolean().optional(),
    }),
    responseDescription: 'csm.cases.v1.UpsertAgentResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = cases.UpsertAgentRequest.fromPartial({
        agent: {
          agentId: params.agentId,
          teamId: body.teamId,
          tier: enumNumber(cases.SupportTier, body.tier),
          languages: body.languages ?? [],
          categories: body.categories ?? [],
          vip: body.vip ?? false,
          maxOpenCases: body.maxOpenCases ?? 0,
          active: body.active ?? true,
        },
      });
      const res = await callUnary(backends.cases, 'upsertAgent', req, call);
      return { body: cases.UpsertAgentResponse.toJSON(res) };
    },
  }),
];
