import type { MatrixEntry, MatrixRole } from './types';

// Knowledge base: every staff role and passengers read (passengers only passenger-facing articles), supervisors
// edit; partners have no access. Suggestions for a case follow the case's read rule (a passenger: own cases).
const READERS: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin', 'ops', 'analyst', 'passenger'];
const EDITORS: MatrixRole[] = ['supervisor', 'admin'];
const article = (demo: Record<string, unknown>) => String(demo['articleId'] ?? 'kb_01HZY3K6W0Q8X2N4M5P7R9T1VB');
const articleBody = { title: 'Matrix probe', body: 'Authorization matrix probe.', language: 'en', audience: 'KNOWLEDGE_AUDIENCE_AGENT' };

export const knowledgeMatrix: MatrixEntry[] = [
  { operationId: 'searchKnowledge', method: 'get', allow: READERS, request: () => ({ path: '/knowledge/articles', query: { q: 'delay' } }) },
  { operationId: 'getKnowledgeArticle', method: 'get', allow: READERS, request: (demo) => ({ path: `/knowledge/articles/${article(demo)}` }) },
  { operationId: 'createKnowledgeArticle', method: 'post', allow: EDITORS, request: () => ({ path: '/knowledge/articles', body: articleBody }) },
  {
    operationId: 'updateKnowledgeArticle',
    method: 'put',
    allow: EDITORS,
    // An article that does not exist: allowed callers get 404 and no seeded article changes.
    request: () => ({ path: '/knowledge/articles/kb_00000000000000000000000000', body: { ...articleBody, expectedVersion: 1 } }),
  },
  {
    operationId: 'suggestKnowledge',
    method: 'get',
    allow: READERS,
    request: (demo) => ({ path: `/cases/${String(demo['caseId'] ?? 'case_01HZY3K6W0Q8X2N4M5P7R9T1VB')}/knowledge-suggestions` }),
  },
];
