import { cases } from '@csm/contracts';
import { callUnary } from '@csm/platform/grpc';
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route';
import { CASE_READERS } from './cases';
import { ids, language, pageOf, pageQuery, protoEnum, requiredText, text } from './schemas';
import { enumNumber, version } from './schemas-passengers';

// Roles mirror the cases service's KnowledgeApp: staff and passengers read (passengers only PASSENGER articles),
// supervisors write.
const READERS = [...CASE_READERS, 'passenger'] as const;
const EDITORS = ['supervisor', 'admin'] as const;
const categoryCode = z.string().regex(/^[a-z_]+(\.[a-z_]+){0,3}$/, { message: 'must be a category code like "baggage.delayed"' });

const articleBody = z.strictObject({
  title: requiredText(200),
  summary: text(1000).optional(),
  body: requiredText(100_000).describe('Markdown'),
  language,
  categoryCode: categoryCode.optional(),
  tags: z.array(z.string().trim().min(1).max(32)).max(20).optional(),
  audience: protoEnum(cases.KnowledgeAudience),
});
type ArticleBody = z.infer<typeof articleBody>;

function article(id: string, b: ArticleBody) {
  return { id, title: b.title, summary: b.summary ?? '', body: b.body, language: b.language, categoryCode: b.categoryCode ?? '', tags: b.tags ?? [], audience: enumNumber(cases.KnowledgeAudience, b.audience) };
}

/** Knowledge base / FAQ (cases' CaseService knowledge operations). */
export const knowledgeRoutes: AnyRoute[] = [
  route({
    method: 'get',
    path: '/knowledge/articles',
    operationId: 'searchKnowledge',
    summary: 'Full-text search of articles (Chinese and English); passengers only ever see PASSENGER articles',
    tag: 'knowledge',
    access: { roles: [...READERS] },
    query: z.strictObject({ q: requiredText(200).describe('free text'), language: language.optional(), categoryCode: categoryCode.optional(), audience: protoEnum(cases.KnowledgeAudience).optional(), ...pageQuery }),
    responseDescription: 'csm.cases.v1.SearchKnowledgeResponse',
    handler: async ({ query, backends, call }) => {
      const req = cases.SearchKnowledgeRequest.fromPartial({
        query: query.q,
        language: query.language ?? '',
        categoryCode: query.categoryCode ?? '',
        audience: query.audience !== undefined ? enumNumber(cases.KnowledgeAudience, query.audience) : 0,
        page: pageOf(query),
      });
      const res = await callUnary(backends.cases, 'searchKnowledge', req, call);
      return { body: cases.SearchKnowledgeResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/knowledge/articles/{articleId}',
    operationId: 'getKnowledgeArticle',
    summary: 'One article (a passenger: PASSENGER articles only, others are 404)',
    tag: 'knowledge',
    access: { roles: [...READERS] },
    params: z.strictObject({ articleId: ids.article }),
    responseDescription: 'csm.cases.v1.GetKnowledgeArticleResponse',
    handler: async ({ params, backends, call }) => {
      const res = await callUnary(backends.cases, 'getKnowledgeArticle', cases.GetKnowledgeArticleRequest.fromPartial({ articleId: params.articleId }), call);
      return { body: cases.GetKnowledgeArticleResponse.toJSON(res) };
    },
  }),
  route({
    method: 'post',
    path: '/knowledge/articles',
    operationId: 'createKnowledgeArticle',
    summary: 'Create an article (supervisors)',
    tag: 'knowledge',
    access: { roles: [...EDITORS] },
    body: articleBody,
    successStatus: 201,
    responseDescription: 'csm.cases.v1.UpsertKnowledgeArticleResponse',
    handler: async ({ body, backends, call }) => {
      const res = await callUnary(backends.cases, 'upsertKnowledgeArticle', cases.UpsertKnowledgeArticleRequest.fromPartial({ article: article('', body) }), call);
      return { body: cases.UpsertKnowledgeArticleResponse.toJSON(res) };
    },
  }),
  route({
    method: 'put',
    path: '/knowledge/articles/{articleId}',
    operationId: 'updateKnowledgeArticle',
    summary: 'Store a new version of an article, guarded by expectedVersion (supervisors)',
    tag: 'knowledge',
    access: { roles: [...EDITORS] },
    params: z.strictObject({ articleId: ids.article }),
    body: articleBody.extend({ expectedVersion: version }),
    responseDescription: 'csm.cases.v1.UpsertKnowledgeArticleResponse',
    handler: async ({ params, body, backends, call }) => {
      const req = cases.UpsertKnowledgeArticleRequest.fromPartial({ article: article(params.articleId, body), expectedVersion: body.expectedVersion });
      const res = await callUnary(backends.cases, 'upsertKnowledgeArticle', req, call);
      return { body: cases.UpsertKnowledgeArticleResponse.toJSON(res) };
    },
  }),
  route({
    method: 'get',
    path: '/cases/{caseId}/knowledge-suggestions',
    operationId: 'suggestKnowledge',
    summary: "Articles for a case from its category and text; a passenger may ask for their own case's",
    tag: 'knowledge',
    access: { roles: [...READERS] },
    params: z.strictObject({ caseId: ids.case }),
    query: z.strictObject({ pageSize: z.coerce.number().int().min(1).max(20).optional() }),
    responseDescription: 'csm.cases.v1.SuggestKnowledgeResponse',
    handler: async ({ params, query, backends, call }) => {
      const res = await callUnary(backends.cases, 'suggestKnowledge', cases.SuggestKnowledgeRequest.fromPartial({ caseId: params.caseId, pageSize: query.pageSize ?? 0 }), call);
      return { body: cases.SuggestKnowledgeResponse.toJSON(res) };
    },
  }),
];
