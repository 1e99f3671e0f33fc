import { cases } from '@csm/contracts';
import { NotFoundError, PermissionDeniedError, VersionConflictError } from '@csm/platform/errors';
import { hasRole, requireRole, type Principal } from '@csm/platform/security';
import type { SqlDb } from '@csm/platform/stores';
import { ulid } from '@csm/platform/ids';
import type { Clock } from '../domain/clock';
import { findCategory, topLevel } from '../domain/taxonomy';
import { documentTokens, queryTokens } from '../domain/text';
import { ID, LANGUAGE, Violations } from '../domain/validation';
import { requireCase } from '../store/case-store';
import { AGENT_ROLES, isStaff, requireCaseReader, SUPERVISOR_ROLES } from './authz';
import { decodeCursor, encodeCursor, pageSize } from './cursor';

export interface ArticleDoc {
  id: string;
  title: string;
  summary: string;
  body: string;
  language: string;
  categoryCode: string;
  tags: string[];
  audience: cases.KnowledgeAudience;
  updateTime: number;
  version: number;
}

export interface Hit {
  article: ArticleDoc;
  score: number;
  snippet: string;
}

function snippet(a: ArticleDoc, tokens: readonly string[]): string {
  const text = `${a.summary}\n${a.body}`.replace(/\s+/g, ' ').trim();
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of tokens) {
    at = lower.indexOf(t);
    if (at >= 0) break;
  }
  const start = Math.max(0, at < 0 ? 0 : at - 40);
  const chars = [...text.slice(start)];
  return (start > 0 ? '…' : '') + chars.slice(0, 160).join('') + (chars.length > 160 ? '…' : '');
}

/**
 * Knowledge base: versioned articles in zh and en. Search ranks by the share of query tokens an article contains (CJK
 * bigrams + words, see domain/text.ts); the same SQL runs on PostgreSQL and PGlite.
 */
export class KnowledgeApp {
  constructor(
    private readonly db: SqlDb,
    private readonly clock: Clock,
  ) {}

  async upsert(req: cases.UpsertKnowledgeArticleRequest, p: Principal): Promise<ArticleDoc> {
    requireRole(p, ...SUPERVISOR_ROLES);
    const a = req.article;
    const v = new Violations();
    if (!a) {
      v.add('article', 'is required', 'required');
      v.throwIfAny();
      throw new Error('unreachable');
    }
    if (a.id !== '') v.pattern('article.id', a.id, ID.article, 'an article id ("kb_" + ULID)');
    if (v.required('article.title', a.title)) v.maxLen('article.title', a.title, 200);
    v.maxLen('article.summary', a.summary, 1000);
    if (v.required('article.body', a.body)) v.maxLen('article.body', a.body, 100_000);
    if (v.required('article.language', a.language)) v.pattern('article.language', a.language, LANGUAGE, 'a BCP 47 tag');
    if (a.categoryCode !== '' && !findCategory(a.categoryCode)) v.add('article.category_code', 'is not in the taxonomy', 'enum');
    v.enumValue('article.audience', a.audience, cases.KnowledgeAudience);
    if (a.tags.length > 20) v.add('article.tags', 'at most 20 tags', 'max_items');
    if (a.id !== '' && req.expectedVersion <= 0) v.add('expected_version', 'is required to update an article', 'required');
    v.throwIfAny();
    const now = this.clock.now();
    const id = a.id === '' ? `kb_${ulid()}` : a.id;
    return this.db.transaction(async (tx) => {
      let version = 1;
      if (a.id !== '') {
        const cur = await tx.query<{ version: string }>(`SELECT version FROM kb_articles WHERE id = $1 FOR UPDATE`, [id]);
        const row = cur.rows[0];
        if (!row) throw new NotFoundError('knowledge article', id);
        if (Number(row.version) !== req.expectedVersion) throw new VersionConflictError('knowledge article', id, String(req.expectedVersion), row.version);
        version = Number(row.version) + 1;
      }
      const doc: ArticleDoc = { id, title: a.title.trim(), summary: a.summary.trim(), body: a.body, language: a.language, categoryCode: a.categoryCode, tags: a.tags, audience: a.audience, updateTime: now, version };
      const tokens = documentTokens(doc.title, doc.summary, doc.body, doc.tags.join(' '));
      await tx.query(
        `INSERT INTO kb_articles (id, version, language, category_code, audience, doc, update_time, search_tokens) VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7,$8)
         ON CONFLICT (id) DO UPDATE SET version = $2, language = $3, category_code = $4, audience = $5, doc = $6::jsonb, update_time = $7, search_tokens = $8`,
        [id, version, doc.language, doc.categoryCode, doc.audience, JSON.stringify(doc), new Date(now), tokens],
      );
      await tx.query(`INSERT INTO kb_article_versions (id, version, doc) VALUES ($1,$2,$3::jsonb)`, [id, version, JSON.stringify(doc)]);
      return doc;
    });
  }

  async get(id: string, p: Principal): Promise<ArticleDoc> {
    requireRole(p, ...AGENT_ROLES, 'ops', 'analyst', 'service', 'passenger');
    const res = await this.db.query<{ doc: ArticleDoc }>(`SELECT doc FROM kb_articles WHERE id = $1`, [id]);
    const doc = res.rows[0]?.doc;
    if (!doc || (!isStaff(p) && doc.audience !== cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER)) throw new NotFoundError('knowledge article', id);
    return doc;
  }

  async search(req: cases.SearchKnowledgeRequest, p: Principal): Promise<{ hits: Hit[]; next: string }> {
    requireRole(p, ...AGENT_ROLES, 'ops', 'analyst', 'service', 'passenger');
    const v = new Violations();
    if (v.required('query', req.query)) v.maxLen('query', req.query, 200);
    v.pattern('language', req.language, LANGUAGE, 'a BCP 47 tag');
    if (req.categoryCode !== '' && !findCategory(req.categoryCode)) v.add('category_code', 'is not in the taxonomy', 'enum');
    v.enumValue('audience', req.audience, cases.KnowledgeAudience, { optional: true });
    v.throwIfAny();
    let audience = req.audience;
    if (!isStaff(p)) {
      if (audience === cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_AGENT) throw new PermissionDeniedError('passengers only see passenger articles');
      audience = cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER;
    }
    const tokens = queryTokens(req.query);
    const fingerprint = JSON.stringify([req.query, req.language, req.categoryCode, audience]);
    const cursor = decodeCursor(req.page?.pageToken ?? '', fingerprint);
    const offset = cursor ? Number(cursor[0]) : 0;
    const size = pageSize(req.page?.pageSize, 10, 50);
    const hits = await this.rank(tokens, { language: req.language, categoryCode: req.categoryCode, audience, boostCategory: '' }, size + 1, offset);
    return { hits: hits.slice(0, size), next: hits.length > size ? encodeCursor(fingerprint, [offset + size]) : '' };
  }

  /** Articles for a case: its category (and parent) boosted, matched against its subject and description. */
  async suggest(req: cases.SuggestKnowledgeRequest, p: Principal): Promise<Hit[]> {
    const v = new Violations();
    v.pattern('case_id', req.caseId, ID.case, 'a case id');
    v.throwIfAny();
    const r = await requireCase(this.db, req.caseId);
    requireCaseReader(p, r);
    const tokens = queryTokens(`${r.subject} ${r.description}`);
    const audience = hasRole(p, ...AGENT_ROLES) ? cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_UNSPECIFIED : cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER;
    return this.rank(tokens, { language: '', categoryCode: '', audience, boostCategory: r.classification.categoryCode }, pageSize(req.pageSize, 5, 20), 0);
  }

  private async rank(tokens: string[], f: { language: string; categoryCode: string; audience: cases.KnowledgeAudience; boostCategory: string }, limit: number, offset: number): Promise<Hit[]> {
    const params: unknown[] = [tokens];
    const where: string[] = [];
    if (f.language !== '') {
      params.push(f.language.split('-')[0]?.toLowerCase() ?? '');
      where.push(`lower(split_part(language, '-', 1)) = $${params.length}`);
    }
    if (f.categoryCode !== '') {
      params.push(f.categoryCode, `${f.categoryCode}.%`);
      where.push(`(category_code = $${params.length - 1} OR category_code LIKE $${params.length})`);
    }
    if (f.audience !== cases.KnowledgeAudience.KNOWLEDGE_AUDIENCE_UNSPECIFIED) {
      params.push(f.audience);
      where.push(`audience = $${params.length}`);
    }
    const boost = f.boostCategory;
    params.push(boost, boost === '' ? '' : topLevel(boost));
    const bc = params.length - 1;
    // Category suggestions also surface articles that match the category without sharing words.
    const match = boost === '' ? 'search_tokens && $1::text[]' : `(search_tokens && $1::text[] OR category_code = $${bc} OR category_code = $${bc + 1})`;
    where.push(match);
    params.push(limit, offset);
    const res = await this.db.query<{ doc: ArticleDoc; score: number }>(
      `SELECT doc, (
          cardinality(ARRAY(SELECT unnest(search_tokens) INTERSECT SELECT unnest($1::text[])))::float8 / GREATEST(cardinality($1::text[]), 1)
          + CASE WHEN $${bc} <> '' AND category_code = $${bc} THEN 0.5 WHEN $${bc + 1} <> '' AND split_part(category_code, '.', 1) = $${bc + 1} THEN 0.25 ELSE 0 END
        ) AS score
         FROM kb_articles WHERE ${where.join(' AND ')}
        ORDER BY score DESC, update_time DESC, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return res.rows.map((row) => ({ article: row.doc, score: Math.round(Number(row.score) * 1000) / 1000, snippet: snippet(row.doc, tokens) }));
  }
}
