import { cases } from '@csm/contracts';
import { eu261Policy, evaluateRegulations } from '../src/domain/regulation';
import { suggestCategory, suggestSeverity } from '../src/domain/severity';
import { documentTokens, queryTokens } from '../src/domain/text';
import { validAwb } from '../src/domain/validation';

const { Severity, Impact, DisruptionKind } = cases;
const base = { categoryCode: 'onboard.meal', impact: Impact.IMPACT_MINOR, customerGrade: 'REGULAR' as const, text: 'cold meal', regulatorReferral: false };

describe('severity suggestion', () => {
  it('derives severity from impact, raised by category, grade, keywords (zh and en) and the regulator flag', () => {
    expect(suggestSeverity(base).severity).toBe(Severity.SEVERITY_GENERAL);
    expect(suggestSeverity({ ...base, impact: Impact.IMPACT_MAJOR }).severity).toBe(Severity.SEVERITY_SEVERE);
    expect(suggestSeverity({ ...base, categoryCode: 'baggage.lost' }).severity).toBe(Severity.SEVERITY_SERIOUS);
    expect(suggestSeverity({ ...base, customerGrade: 'VIP' }).severity).toBe(Severity.SEVERITY_SERIOUS);
    expect(suggestSeverity({ ...base, regulatorReferral: true }).severity).toBe(Severity.SEVERITY_SEVERE);
    expect(suggestSeverity({ ...base, text: '我要向民航局投诉' }).severity).toBe(Severity.SEVERITY_SEVERE);
    expect(suggestSeverity({ ...base, text: 'a passenger was injured by a falling bag' }).severity).toBe(Severity.SEVERITY_CRITICAL);
    expect(suggestSeverity({ ...base, text: '乘务员态度恶劣,我会请律师' }).severity).toBe(Severity.SEVERITY_CRITICAL);
    // Words match whole words only: "issue" is not "sue".
    expect(suggestSeverity({ ...base, text: 'an issue with my seat' }).severity).toBe(Severity.SEVERITY_GENERAL);
  });

  it('suggests a category from zh and en text', () => {
    expect(suggestCategory('My luggage was lost at PEK')).toBe('baggage.lost');
    expect(suggestCategory('航班延误了五个小时')).toBe('flight.delay');
    expect(suggestCategory('退票退款太慢')).toBe('refund');
    expect(suggestCategory('hello')).toBeUndefined();
  });
});

describe('search tokens', () => {
  it('indexes Chinese by unigrams and bigrams and English by stemmed words', () => {
    const doc = documentTokens('行李丢失怎么办', 'Lost baggage claims and delays');
    expect(doc).toEqual(expect.arrayContaining(['行李', '李丢', '丢失', '行', 'lost', 'baggage', 'claim', 'delay']));
    expect(queryTokens('丢失的行李')).toEqual(['丢失', '行李']);
    expect(queryTokens('Delayed flights')).toEqual(['delayed', 'flight']);
    // Every query token of a phrase taken from a document is in the document's tokens.
    const q = queryTokens('行李丢失 baggage');
    expect(q.every((t) => doc.includes(t))).toBe(true);
  });
});

describe('EU 261 policy', () => {
  const eu = eu261Policy();
  const delay = (min: number, km: number, codes: string[] = []) => eu.evaluate({ kind: DisruptionKind.DISRUPTION_KIND_DELAY, arrivalDelayMinutes: min, distanceKm: km, delayCodes: codes });

  it('pays by distance band from a 3 h arrival delay, halving the long band under 4 h', () => {
    expect(delay(179, 1000)).toMatchObject({ eligible: false });
    expect(delay(180, 1000)).toMatchObject({ eligible: true, amountMinor: 25_000, currency: 'EUR' });
    expect(delay(200, 1500)).toMatchObject({ amountMinor: 25_000 });
    expect(delay(200, 3000)).toMatchObject({ amountMinor: 40_000 });
    expect(delay(200, 8000)).toMatchObject({ amountMinor: 30_000 });
    expect(delay(240, 8000)).toMatchObject({ amountMinor: 60_000 });
  });

  it('exempts extraordinary circumstances and cancellations notified 14 days ahead', () => {
    expect(delay(300, 1000, ['71'])).toMatchObject({ eligible: false, reason: 'extraordinary circumstances (delay code 71)' });
    expect(eu.evaluate({ kind: DisruptionKind.DISRUPTION_KIND_CANCELLATION, arrivalDelayMinutes: 0, distanceKm: 2000, delayCodes: [], noticeDays: 3 })).toMatchObject({ eligible: true, amountMinor: 40_000 });
    expect(eu.evaluate({ kind: DisruptionKind.DISRUPTION_KIND_CANCELLATION, arrivalDelayMinutes: 0, distanceKm: 2000, delayCodes: [], noticeDays: 20 })).toMatchObject({ eligible: false });
    expect(evaluateRegulations([], { kind: DisruptionKind.DISRUPTION_KIND_DELAY, arrivalDelayMinutes: 500, distanceKm: 1, delayCodes: [] }).eligible).toBe(false);
  });
});

it('validates air waybill check digits (serial mod 7)', () => {
  expect(validAwb('999-12345675')).toBe(true);
  expect(validAwb('999-12345676')).toBe(false);
});
