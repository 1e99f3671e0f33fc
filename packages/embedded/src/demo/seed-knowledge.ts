import { cases } from '@csm/contracts';
import type { DemoClients } from './clients';
import { ARTICLES } from './data-knowledge';

/**
 * Articles written by a supervisor. The API creates a new article on every call without an id, so a re-run first
 * looks the title up and only creates what is missing.
 */
export async function seedKnowledge(c: DemoClients): Promise<{ id: string; language: string; title: string }[]> {
  const out: { id: string; language: string; title: string }[] = [];
  for (const a of ARTICLES) {
    const found = await c.call(c.cases, 'searchKnowledge', cases.SearchKnowledgeRequest.fromPartial({ query: a.title, language: a.language, page: { pageSize: 50 } }), 'supervisor');
    let id = found.hits.find((h) => h.article?.title === a.title)?.article?.id;
    if (id === undefined) {
      const res = await c.call(c.cases, 'upsertKnowledgeArticle', cases.UpsertKnowledgeArticleRequest.fromPartial({ article: { ...a, tags: [...a.tags], id: '' } }), 'supervisor');
      id = res.article?.id ?? '';
    }
    out.push({ id, language: a.language, title: a.title });
  }
  return out;
}
