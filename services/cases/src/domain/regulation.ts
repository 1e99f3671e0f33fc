import { cases } from '@csm/contracts';

/** What a regulation policy needs to know about a disruption. */
export interface DisruptionFacts {
  readonly kind: cases.DisruptionKind;
  /** Arrival delay (minutes) — EU 261 counts delay at the final destination. */
  readonly arrivalDelayMinutes: number;
  readonly distanceKm: number;
  /** IATA delay codes of the reasons. */
  readonly delayCodes: readonly string[];
  /** Cancellation: days between notice and scheduled departure (undefined when unknown). */
  readonly noticeDays?: number | undefined;
}

export interface Eligibility {
  readonly regulation: string;
  readonly eligible: boolean;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason: string;
}

/** A compensation regulation. EU 261 is one; others (e.g. CAAC rules, an airline's own policy) implement the same. */
export interface RegulationPolicy {
  readonly id: string;
  evaluate(facts: DisruptionFacts): Eligibility;
}

export interface Eu261Config {
  /** Distance bands (upper bound km, amount in minor units), ascending; the last has no bound. */
  readonly bands: readonly { readonly maxKm: number | null; readonly amountMinor: number; readonly reducedBelowMinutes: number }[];
  readonly currency: string;
  /** Arrival delay from which compensation is due. */
  readonly thresholdMinutes: number;
  /** Fraction paid when the delay is under the band's `reducedBelowMinutes` (Art. 7(2)). */
  readonly reductionFactor: number;
  /** Delay codes treated as extraordinary circumstances (weather, ATC, security, strikes outside the carrier). */
  readonly exemptDelayCodes: readonly string[];
  /** A cancellation notified at least this many days ahead is not compensated (Art. 5(1)(c)). */
  readonly cancellationNoticeDays: number;
}

/** EU 261/2004: €250 / €400 / €600 for ≤1500 / ≤3500 / longer, from a 3 h arrival delay; 50 % for the longest band under 4 h. */
export const EU261_DEFAULTS: Eu261Config = {
  bands: [
    { maxKm: 1500, amountMinor: 25_000, reducedBelowMinutes: 120 },
    { maxKm: 3500, amountMinor: 40_000, reducedBelowMinutes: 180 },
    { maxKm: null, amountMinor: 60_000, reducedBelowMinutes: 240 },
  ],
  currency: 'EUR',
  thresholdMinutes: 180,
  reductionFactor: 0.5,
  exemptDelayCodes: ['71', '72', '73', '75', '76', '77', '81', '82', '83', '84', '85', '86', '87', '88', '89', '98'],
  cancellationNoticeDays: 14,
};

export function eu261Policy(config: Eu261Config = EU261_DEFAULTS): RegulationPolicy {
  return {
    id: 'eu261',
    evaluate(f) {
      const none = (reason: string): Eligibility => ({ regulation: 'eu261', eligible: false, amountMinor: 0, currency: config.currency, reason });
      const band = config.bands.find((b) => b.maxKm === null || f.distanceKm <= b.maxKm) ?? config.bands[config.bands.length - 1];
      if (!band) return none('no distance bands configured');
      const exempt = f.delayCodes.find((c) => config.exemptDelayCodes.includes(c));
      if (exempt !== undefined) return none(`extraordinary circumstances (delay code ${exempt})`);
      const bandText = band.maxKm === null ? `> ${config.bands[config.bands.length - 2]?.maxKm ?? 0} km` : `≤ ${band.maxKm} km`;
      if (f.kind === cases.DisruptionKind.DISRUPTION_KIND_CANCELLATION) {
        if (f.noticeDays !== undefined && f.noticeDays >= config.cancellationNoticeDays) return none(`cancellation notified ${f.noticeDays} days ahead`);
        return { regulation: 'eu261', eligible: true, amountMinor: band.amountMinor, currency: config.currency, reason: `cancellation, band ${bandText}` };
      }
      if (f.arrivalDelayMinutes < config.thresholdMinutes) return none(`arrival delay ${f.arrivalDelayMinutes} min < ${config.thresholdMinutes} min`);
      const reduced = f.arrivalDelayMinutes < band.reducedBelowMinutes;
      const amount = reduced ? Math.round(band.amountMinor * config.reductionFactor) : band.amountMinor;
      return { regulation: 'eu261', eligible: true, amountMinor: amount, currency: config.currency, reason: `arrival delay ${f.arrivalDelayMinutes} min, band ${bandText}${reduced ? `, reduced ${config.reductionFactor * 100}%` : ''}` };
    },
  };
}

/** The first eligible result of the configured policies, else the first policy's verdict. */
export function evaluateRegulations(policies: readonly RegulationPolicy[], facts: DisruptionFacts): Eligibility {
  const results = policies.map((p) => p.evaluate(facts));
  return results.find((r) => r.eligible) ?? results[0] ?? { regulation: '', eligible: false, amountMinor: 0, currency: '', reason: 'no regulation policy configured' };
}
