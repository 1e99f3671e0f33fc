import { foldName } from './names';
import type { ProfileData } from './model';

/**
 * Duplicate detection rules (issue: same document; phone + name; email + name). Matching is on normalized values;
 * the store finds candidates through blind indexes, this decides whether and how strongly they match.
 */
export interface DuplicateMatch {
  score: number;
  matchedFields: string[];
}

function sameName(a: ProfileData, b: ProfileData): boolean {
  const an = a.name;
  const bn = b.name;
  if (!an || !bn) return false;
  const latin = (n: typeof an) => foldName(`${n.latinSurname} ${n.latinGivenName}`);
  const native = (n: typeof an) => foldName(`${n.nativeSurname}${n.nativeGivenName}`);
  return (latin(an) !== '' && latin(an) === latin(bn)) || (native(an) !== '' && native(an) === native(bn));
}

export function matchDuplicate(a: ProfileData, b: ProfileData): DuplicateMatch | null {
  const docs = new Set(a.documents.map((d) => `${d.type}|${d.number}`));
  const sameDoc = b.documents.some((d) => docs.has(`${d.type}|${d.number}`));
  const phones = new Set(a.phones.map((p) => p.e164));
  const samePhone = b.phones.some((p) => phones.has(p.e164));
  const emails = new Set(a.emails.map((e) => e.address));
  const sameEmail = b.emails.some((e) => emails.has(e.address));
  const name = sameName(a, b);
  const matched: string[] = [];
  let score = 0;
  if (sameDoc) {
    matched.push('documents');
    score = 0.95;
  }
  if (samePhone && name) {
    matched.push('phones');
    score = Math.max(score, 0.85);
  }
  if (sameEmail && name) {
    matched.push('emails');
    score = Math.max(score, 0.8);
  }
  if (matched.length === 0) return null;
  if (name) matched.push('name');
  // Each further independent match raises confidence a little.
  score = Math.min(0.99, score + 0.02 * (matched.length - 1));
  return { score, matchedFields: matched };
}
