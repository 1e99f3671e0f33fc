/**
 * Search tokens for Chinese and English text, computed in the service so the same search runs on PostgreSQL and on
 * PGlite (which ships without pg_trgm/zhparser here): Latin words are lower-cased and lightly stemmed; runs of CJK
 * characters become unigrams and bigrams (the usual n-gram indexing for Chinese, which has no spaces). Stored in a
 * text[] column with a GIN index and matched with && / @>.
 */
const STOP = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'i', 'in', 'is', 'it', 'my', 'of', 'on', 'or', 'the', 'to', 'was', 'were', 'with', 'me', 'we', 'our', 'you', 'your', 'this', 'that', 'have', 'has', 'had', 'not', 'no']);
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const CJK_STOP = new Set(['的', '了', '是', '在', '我', '和', '也', '就', '都', '而', '及', '与', '着', '或', '一个', '没有', '我们', '你们', '他们']);

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

function segments(text: string): { latin: string[]; cjkRuns: string[] } {
  const latin: string[] = [];
  const cjkRuns: string[] = [];
  let run = '';
  let word = '';
  const flushWord = () => {
    if (word.length > 0) latin.push(word);
    word = '';
  };
  const flushRun = () => {
    if (run.length > 0) cjkRuns.push(run);
    run = '';
  };
  for (const ch of text.normalize('NFKC').toLowerCase()) {
    if (CJK.test(ch)) {
      flushWord();
      run += ch;
    } else if (/[\p{L}\p{N}]/u.test(ch)) {
      flushRun();
      word += ch;
    } else {
      flushWord();
      flushRun();
    }
  }
  flushWord();
  flushRun();
  return { latin, cjkRuns };
}

function latinTokens(words: string[]): string[] {
  return words.filter((w) => !STOP.has(w) && (w.length > 1 || /\d/.test(w))).map(stem);
}

/** Tokens to index a document by: words, and CJK unigrams + bigrams. */
export function documentTokens(...texts: string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    const { latin, cjkRuns } = segments(text);
    for (const w of latinTokens(latin)) out.add(w);
    for (const run of cjkRuns) {
      const chars = [...run];
      chars.forEach((ch, i) => {
        if (!CJK_STOP.has(ch)) out.add(ch);
        const next = chars[i + 1];
        if (next !== undefined) out.add(ch + next);
      });
    }
  }
  return [...out].slice(0, 2000);
}

/** Tokens of a query: words, and CJK bigrams (a single character stays a unigram) — precise yet segmentation-free. */
export function queryTokens(text: string): string[] {
  const out = new Set<string>();
  const { latin, cjkRuns } = segments(text);
  for (const w of latinTokens(latin)) out.add(w);
  for (const run of cjkRuns) {
    const chars = [...run];
    if (chars.length === 1) out.add(run);
    for (let i = 0; i + 1 < chars.length; i++) {
      const a = chars[i] as string;
      const b = chars[i + 1] as string;
      // A pair with a particle ("李的") says nothing; every other adjacent pair is a token the document has too.
      if (!CJK_STOP.has(a) && !CJK_STOP.has(b)) out.add(a + b);
    }
  }
  return [...out].slice(0, 64);
}
