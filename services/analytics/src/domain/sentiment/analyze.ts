import Sentiment from 'sentiment';
import { ZH_INTENSIFIERS, ZH_LEXICON, ZH_NEGATORS } from './zh-lexicon';

/**
 * Sentiment of free text in English and Chinese. English: the maintained `sentiment` package (AFINN-165 word list
 * with its negation handling). Chinese: the curated lexicon in zh-lexicon.ts, same −5…+5 scale. A mixed text gets
 * both scores added. The label is the sign of the total.
 */
export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

export interface SentimentResult {
  readonly score: number;
  readonly label: SentimentLabel;
  /** 'zh', 'en' or 'mixed' (both scripts present); 'und' when nothing to analyse. */
  readonly language: string;
}

const english = new Sentiment();
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const LATIN = /[A-Za-z]{2,}/;
const MAX_TERM = Math.max(...Object.keys(ZH_LEXICON).map((k) => k.length));

function precededBy(text: string, end: number, words: readonly string[]): string | undefined {
  return words
    .filter((w) => end - w.length >= 0 && text.slice(end - w.length, end) === w)
    .sort((a, b) => b.length - a.length)[0];
}

/** Longest-match scan over the lexicon; modifiers immediately before a term (negator, intensifier, in either order). */
export function scoreChinese(text: string): number {
  let total = 0;
  let i = 0;
  while (i < text.length) {
    let matched = '';
    for (let len = Math.min(MAX_TERM, text.length - i); len >= 1; len--) {
      const candidate = text.slice(i, i + len);
      if (ZH_LEXICON[candidate] !== undefined) {
        matched = candidate;
        break;
      }
    }
    if (matched === '') {
      i += 1;
      continue;
    }
    let value = ZH_LEXICON[matched] ?? 0;
    // "不太热情": a negator phrase right before the term flips it (no intensifying); otherwise an intensifier adds
    // a point and a negator before the intensifier ("不很好") flips the result.
    const negator = matched.length > 1 || !ZH_NEGATORS.includes(matched) ? precededBy(text, i, ZH_NEGATORS) : undefined;
    if (negator !== undefined) {
      value = -value;
    } else {
      const intensifier = precededBy(text, i, ZH_INTENSIFIERS);
      if (intensifier !== undefined) {
        value += Math.sign(value);
        if (precededBy(text, i - intensifier.length, ZH_NEGATORS) !== undefined) value = -value;
      }
    }
    total += value;
    i += matched.length;
  }
  return total;
}

export function analyzeSentiment(text: string): SentimentResult {
  const trimmed = text.trim();
  const hasZh = CJK.test(trimmed);
  const hasEn = LATIN.test(trimmed);
  if (!hasZh && !hasEn) return { score: 0, label: 'NEUTRAL', language: 'und' };
  const score = (hasZh ? scoreChinese(trimmed) : 0) + (hasEn ? english.analyze(trimmed).score : 0);
  const label: SentimentLabel = score > 0 ? 'POSITIVE' : score < 0 ? 'NEGATIVE' : 'NEUTRAL';
  return { score, label, language: hasZh && hasEn ? 'mixed' : hasZh ? 'zh' : 'en' };
}
