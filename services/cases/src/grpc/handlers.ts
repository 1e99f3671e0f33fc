import { cases } from '@csm/contracts';
import { unary } from '@csm/platform/grpc';
import { actorOf } from '../app/authz';
import type { CasesApp } from '../app/cases-app';
import type { KnowledgeApp } from '../app/knowledge-app';
import type { Clock } from '../domain/clock';
import { activityToProto, articleToProto, caseToProto, categoryToProto, compensationToProto, hitToProto, slaToProto, surveyToProto } from './mapping';

/** CaseService: proto ↔ app mapping only; authorization and validation live in the use cases. */
export function caseServiceHandlers(app: CasesApp, kb: KnowledgeApp, clock: Clock): cases.CaseServiceServer {
  const policy = app.deps.rules.sla;
  const toCase = (v: Parameters<typeof caseToProto>[0]) => caseToProto(v, policy, clock.now());
  return {
    openCase: unary(async (req, ctx) => {
      const { view, replayed } = await app.openCase(req, ctx.principal);
      return { case: toCase(view), replayed };
    }),
    getCase: unary(async (req, ctx) => ({ case: toCase(await app.getCase(req, ctx.principal)) })),
    listCases: unary(async (req, ctx) => {
      const { records, next } = await app.listCases(req, ctx.principal);
      return { cases: records.map((r) => toCase(app.view(r, ctx.principal))), page: { nextPageToken: next } };
    }),
    classifyCase: unary(async (req, ctx) => ({ case: toCase(await app.classify(req, ctx.principal)) })),
    transitionCase: unary(async (req, ctx) => ({ case: toCase(await app.transition(req, ctx.principal)) })),
    assignCase: unary(async (req, ctx) => ({ case: toCase(await app.assign(req, ctx.principal)) })),
    handOverCase: unary(async (req, ctx) => ({ case: toCase(await app.handOver(req, ctx.principal)) })),
    transferCase: unary(async (req, ctx) => ({ case: toCase(await app.transfer(req, ctx.principal)) })),
    escalateCase: unary(async (req, ctx) => ({ case: toCase(await app.escalate(req, ctx.principal)) })),
    addCaseNote: unary(async (req, ctx) => {
      const { id, time } = await app.addNote(req, ctx.principal);
      return { note: { id, author: actorOf(ctx.principal), body: req.body, visibility: req.visibility, createTime: new Date(time) } };
    }),
    grantCompensation: unary(async (req, ctx) => ({ compensation: compensationToProto(await app.grantCompensation(req, ctx.principal, ctx.authorization)) })),
    recordSurvey: unary(async (req, ctx) => ({ survey: surveyToProto(await app.recordSurvey(req, ctx.principal)) })),
    listSlaDeadlines: unary(async (req, ctx) => {
      const { items, next } = await app.listSlaDeadlines(req, ctx.principal);
      const now = clock.now();
      return {
        deadlines: items.map(({ record, clock: c }) => ({
          caseId: record.id,
          caseNumber: record.caseNumber,
          severity: record.classification.severity,
          ownerAgentId: record.assignment.ownerAgentId,
          teamId: record.assignment.teamId,
          deadline: slaToProto(policy, c, now),
        })),
        page: { nextPageToken: next },
      };
    }),
    listCaseActivities: unary(async (req, ctx) => {
      const { activities, next } = await app.listActivities(req, ctx.principal);
      return { activities: activities.map(activityToProto), page: { nextPageToken: next } };
    }),
    listCategories: unary(() => Promise.resolve({ categories: app.listCategories().map(categoryToProto) })),
    searchKnowledge: unary(async (req, ctx) => {
      const { hits, next } = await kb.search(req, ctx.principal);
      return { hits: hits.map(hitToProto), page: { nextPageToken: next } };
    }),
    getKnowledgeArticle: unary(async (req, ctx) => ({ article: articleToProto(await kb.get(req.articleId, ctx.principal)) })),
    upsertKnowledgeArticle: unary(async (req, ctx) => ({ article: articleToProto(await kb.upsert(req, ctx.principal)) })),
    suggestKnowledge: unary(async (req, ctx) => ({ hits: (await kb.suggest(req, ctx.principal)).map(hitToProto) })),
    upsertAgent: unary(async (req, ctx) => ({ agent: await app.upsertAgent(req.agent, ctx.principal) })),
    routeCase: unary(async (req, ctx) => ({ case: toCase(await app.route(req, ctx.principal)) })),
    linkCases: unary(async (req, ctx) => ({ case: toCase(await app.link(req, ctx.principal)) })),
    mergeCases: unary(async (req, ctx) => ({ case: toCase(await app.merge(req, ctx.principal)) })),
  };
}
