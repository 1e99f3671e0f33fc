import fc from 'fast-check';
import { DEFAULT_CHURN_WEIGHTS, scoreChurn, type ChurnFactorCode, type ChurnFeatures } from '../src/domain/churn';

const calm: ChurnFeatures = { recentComplaints: 0, unresolvedCases: 0, disruptions: 0, recentFlights: 6, previousFlights: 6, tierDowngraded: false, meanCsat: 4.5 };

/** Each factor on its own: the feature change that should raise exactly that factor. */
const nudges: [ChurnFactorCode, Partial<ChurnFeatures>][] = [
  ['frequent_complaints', { recentComplaints: 2 }],
  ['unresolved_cases', { unresolvedCases: 1 }],
  ['disruptions', { disruptions: 3 }],
  ['declining_flights', { recentFlights: 1 }],
  ['tier_downgrade', { tierDowngraded: true }],
  ['low_satisfaction', { meanCsat: 1.5 }],
];

describe('churn score', () => {
  it('a calm, satisfied, active passenger scores 0 with no factors', () => {
    expect(scoreChurn(calm, false)).toEqual({ score: 0, level: 'LOW', factors: [], intervention: 'NONE' });
  });

  it.each(nudges)('moving only %s raises the score and that factor is the one reported', (code, change) => {
    const before = scoreChurn(calm, false);
    const after = scoreChurn({ ...calm, ...change }, false);
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.factors.map((f) => f.code)).toEqual([code]);
    expect(after.factors[0]?.weight).toBeCloseTo(after.score - before.score, 10);
  });

  it('factors are exactly the contributors: they sum to the score, sorted by contribution; zero-effect signals are not listed', () => {
    const features: ChurnFeatures = { recentComplaints: 3, unresolvedCases: 1, disruptions: 0, recentFlights: 2, previousFlights: 8, tierDowngraded: true, meanCsat: 4 };
    const s = scoreChurn(features, true);
    // complaints 1·0.25, unresolved 0.5·0.15, decline 0.75·0.15, downgrade 1·0.15; disruptions 0 and CSAT 4 (≥ 3.5) add nothing
    expect(s.factors.map((f) => [f.code, f.weight])).toEqual([
      ['frequent_complaints', 0.25],
      ['tier_downgrade', 0.15],
      ['declining_flights', 0.1125],
      ['unresolved_cases', 0.075],
    ]);
    expect(s.score).toBe(0.5875);
    expect(s.level).toBe('MEDIUM');
    expect(s.intervention).toBe('CALL_BACK'); // medium risk, high value
  });

  it('property: score = Σ reported weights ∈ [0, 1]; removing a reported factor\'s signal lowers the score by its weight', () => {
    const features = fc.record({
      recentComplaints: fc.nat(10),
      unresolvedCases: fc.nat(5),
      disruptions: fc.nat(6),
      recentFlights: fc.nat(20),
      previousFlights: fc.nat(20),
      tierDowngraded: fc.boolean(),
      meanCsat: fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: undefined }),
    });
    const neutral: Record<ChurnFactorCode, Partial<ChurnFeatures>> = {
      frequent_complaints: { recentComplaints: 0 },
      unresolved_cases: { unresolvedCases: 0 },
      disruptions: { disruptions: 0 },
      declining_flights: { previousFlights: 0 },
      tier_downgrade: { tierDowngraded: false },
      low_satisfaction: { meanCsat: undefined },
    };
    fc.assert(
      fc.property(features, fc.boolean(), (f, hv) => {
        const s = scoreChurn(f, hv);
        const sum = s.factors.reduce((a, x) => a + x.weight, 0);
        expect(Math.abs(sum - s.score)).toBeLessThan(1e-3);
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(1);
        for (const factor of s.factors) {
          expect(factor.weight).toBeGreaterThan(0);
          const without = scoreChurn({ ...f, ...neutral[factor.code] }, hv);
          expect(without.factors.map((x) => x.code)).not.toContain(factor.code);
          expect(Math.abs(s.score - without.score - factor.weight)).toBeLessThan(1e-3);
        }
      }),
    );
  });

  it('high risk: dedicated agent for high-value passengers, call-back otherwise; weights add up to 1', () => {
    const bad: ChurnFeatures = { recentComplaints: 5, unresolvedCases: 3, disruptions: 4, recentFlights: 0, previousFlights: 5, tierDowngraded: true, meanCsat: 1 };
    expect(scoreChurn(bad, true)).toMatchObject({ score: 1, level: 'HIGH', intervention: 'DEDICATED_AGENT' });
    expect(scoreChurn(bad, false).intervention).toBe('CALL_BACK');
    expect(Object.values(DEFAULT_CHURN_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});
