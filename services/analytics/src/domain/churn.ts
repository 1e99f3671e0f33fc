/**
 * Explainable churn risk. Each factor maps one observable signal to [0, 1] (saturating at a stated level) and is
 * multiplied by its weight; the score is the sum (weights add up to 1, so the score is in [0, 1]). The factors
 * reported are exactly the ones that contributed (> 0), largest first, so what moves the score is what is shown.
 */
export interface ChurnFeatures {
  /** Complaints opened in the look-back window. */
  readonly recentComplaints: number;
  /** Cases open now (not resolved or closed). */
  readonly unresolvedCases: number;
  /** Flights the passenger flew (flight accruals) or complained about that were cancelled or delayed ≥ 60 min, in the window. */
  readonly disruptions: number;
  /** Flights in the window and in the window before it. */
  readonly recentFlights: number;
  readonly previousFlights: number;
  /** A tier downgrade within the last year. */
  readonly tierDowngraded: boolean;
  /** Mean CSAT (1..5) of surveys in the window; undefined without surveys. */
  readonly meanCsat?: number | undefined;
}

export type ChurnFactorCode = 'frequent_complaints' | 'unresolved_cases' | 'disruptions' | 'declining_flights' | 'tier_downgrade' | 'low_satisfaction';

export interface ChurnWeights {
  readonly frequent_complaints: number;
  readonly unresolved_cases: number;
  readonly disruptions: number;
  readonly declining_flights: number;
  readonly tier_downgrade: number;
  readonly low_satisfaction: number;
}

export const DEFAULT_CHURN_WEIGHTS: ChurnWeights = {
  frequent_complaints: 0.25,
  unresolved_cases: 0.15,
  disruptions: 0.15,
  declining_flights: 0.15,
  tier_downgrade: 0.15,
  low_satisfaction: 0.15,
};

export interface ChurnFactor {
  readonly code: ChurnFactorCode;
  readonly description: string;
  /** Contribution to the score. */
  readonly weight: number;
}

export type RiskLevelCode = 'LOW' | 'MEDIUM' | 'HIGH';
export type InterventionCode = 'NONE' | 'CALL_BACK' | 'TAILORED_OFFER' | 'DEDICATED_AGENT';

export interface ChurnScore {
  readonly score: number;
  readonly level: RiskLevelCode;
  readonly factors: readonly ChurnFactor[];
  readonly intervention: InterventionCode;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export const HIGH_RISK = 0.6;
export const MEDIUM_RISK = 0.3;

export function scoreChurn(f: ChurnFeatures, highValue: boolean, w: ChurnWeights = DEFAULT_CHURN_WEIGHTS): ChurnScore {
  const decline = f.previousFlights > 0 ? clamp01((f.previousFlights - f.recentFlights) / f.previousFlights) : 0;
  const lowCsat = f.meanCsat !== undefined ? clamp01((3.5 - f.meanCsat) / 2.5) : 0; // 1 at CSAT 1, 0 from 3.5 up
  const parts: [ChurnFactorCode, number, string][] = [
    ['frequent_complaints', clamp01(f.recentComplaints / 3), `${f.recentComplaints} complaint(s) in the window (saturates at 3)`],
    ['unresolved_cases', clamp01(f.unresolvedCases / 2), `${f.unresolvedCases} case(s) still unresolved (saturates at 2)`],
    ['disruptions', clamp01(f.disruptions / 3), `${f.disruptions} disrupted flight(s) in the window (saturates at 3)`],
    ['declining_flights', decline, `${f.recentFlights} flight(s) in the window vs ${f.previousFlights} in the one before`],
    ['tier_downgrade', f.tierDowngraded ? 1 : 0, 'tier downgraded within the last year'],
    ['low_satisfaction', lowCsat, f.meanCsat !== undefined ? `mean CSAT ${f.meanCsat.toFixed(2)} in the window` : 'no survey'],
  ];
  const factors = parts
    .map(([code, signal, description]) => ({ code, description, weight: round4(signal * w[code]) }))
    .filter((x) => x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.code.localeCompare(b.code));
  const score = round4(factors.reduce((s, x) => s + x.weight, 0));
  const level: RiskLevelCode = score >= HIGH_RISK ? 'HIGH' : score >= MEDIUM_RISK ? 'MEDIUM' : 'LOW';
  const intervention: InterventionCode =
    level === 'HIGH' ? (highValue ? 'DEDICATED_AGENT' : 'CALL_BACK') : level === 'MEDIUM' ? (highValue ? 'CALL_BACK' : 'TAILORED_OFFER') : 'NONE';
  return { score, level, factors, intervention };
}
