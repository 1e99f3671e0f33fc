import { cases, common, flightinfo } from '@csm/contracts';
import type { SqlDb, SqlTx } from '@csm/platform/stores';
import { ulid } from '@csm/platform/ids';
import * as domain from '../domain/case';
import type { DisruptionRec, DomainRules } from '../domain/case';
import type { Clock } from '../domain/clock';
import { DAY } from '../domain/clock';
import { evaluateRegulations, type RegulationPolicy } from '../domain/regulation';
import { CaseNumbers, commitChange, loadCaseByDisruptionKey } from '../store/case-store';
import type { ManifestPassenger } from './ports';

export const PROACTIVE_ACTOR: domain.Actor = { kind: common.ActorKind.ACTOR_KIND_SERVICE, id: 'cases-proactive-care' };

export interface Disruption {
  readonly flightId: string;
  readonly flight: { carrier: string; number: string; date: string };
  readonly kind: cases.DisruptionKind;
  readonly delayMinutes: number;
  readonly facts: Parameters<RegulationPolicy['evaluate']>[0];
}

/** The disruption an event describes, or undefined when proactive care ignores it (too short a delay, not a disruption). */
export function disruptionFrom(type: string, data: unknown, minDelayMinutes: number): Disruption | undefined {
  if (type === 'csm.flight.flight.delayed.v1') {
    const e = flightinfo.FlightDelayed.fromJSON(data);
    const snap = e.flight;
    if (!snap?.flight) return undefined;
    const arrival = snap.arrivalDelayMinutes > 0 ? snap.arrivalDelayMinutes : e.delayMinutes;
    const delay = Math.max(e.delayMinutes, arrival);
    if (delay < minDelayMinutes) return undefined;
    return {
      flightId: snap.flightId,
      flight: { carrier: snap.flight.carrier, number: snap.flight.number, date: snap.flight.date },
      kind: cases.DisruptionKind.DISRUPTION_KIND_DELAY,
      delayMinutes: arrival,
      facts: { kind: cases.DisruptionKind.DISRUPTION_KIND_DELAY, arrivalDelayMinutes: arrival, distanceKm: snap.greatCircleDistanceKm, delayCodes: e.reasons.map((r) => r.code) },
    };
  }
  if (type === 'csm.flight.flight.cancelled.v1') {
    const e = flightinfo.FlightCancelled.fromJSON(data);
    const snap = e.flight;
    if (!snap?.flight) return undefined;
    const dep = snap.scheduledDeparture?.utcTime?.getTime();
    const notice = dep !== undefined && e.cancelTime ? Math.floor((dep - e.cancelTime.getTime()) / DAY) : undefined;
    return {
      flightId: snap.flightId,
      flight: { carrier: snap.flight.carrier, number: snap.flight.number, date: snap.flight.date },
      kind: cases.DisruptionKind.DISRUPTION_KIND_CANCELLATION,
      delayMinutes: 0,
      facts: { kind: cases.DisruptionKind.DISRUPTION_KIND_CANCELLATION, arrivalDelayMinutes: 0, distanceKm: snap.greatCircleDistanceKm, delayCodes: [], noticeDays: notice },
    };
  }
  return undefined;
}

/**
 * Opens one disruption case per affected passenger, or updates the one already open for (flight, passenger): the
 * unique `disruption_key` makes a replayed or repeated event open nothing more.
 */
export class ProactiveCare {
  private readonly numbers = new CaseNumbers();
  constructor(
    private readonly db: SqlDb,
    private readonly clock: Clock,
    private readonly rules: DomainRules,
    private readonly regulations: readonly RegulationPolicy[],
  ) {}

  /** Call outside a transaction before `apply` (creates the year's case-number sequence if needed). */
  async prepare(): Promise<void> {
    await this.numbers.ensureYear(this.db, new Date(this.clock.now()).getUTCFullYear());
  }

  async apply(tx: SqlTx, d: Disruption, passengers: readonly ManifestPassenger[]): Promise<{ opened: number; updated: number }> {
    const verdict = evaluateRegulations(this.regulations, d.facts);
    const rec: DisruptionRec = {
      flightId: d.flightId,
      flight: d.flight,
      kind: d.kind,
      delayMinutes: d.delayMinutes,
      eligible: verdict.eligible,
      amountMinor: verdict.amountMinor,
      currency: verdict.currency,
      regulation: verdict.regulation,
      reason: verdict.reason,
    };
    const now = this.clock.now();
    const year = new Date(now).getUTCFullYear();
    let opened = 0;
    let updated = 0;
    const seen = new Set<string>();
    for (const p of passengers) {
      if (seen.has(p.passengerId)) continue;
      seen.add(p.passengerId);
      const key = `${d.flightId || `${d.flight.carrier}${d.flight.number}/${d.flight.date}`}:${p.passengerId}`;
      const existing = await loadCaseByDisruptionKey(tx, key, true);
      if (existing) {
        const ch = domain.updateDisruption(existing, rec, now, PROACTIVE_ACTOR);
        if (ch) {
          await commitChange(tx, ch, existing.version);
          updated += 1;
        }
        continue;
      }
      const what = d.kind === cases.DisruptionKind.DISRUPTION_KIND_CANCELLATION ? 'cancelled' : `delayed ${d.delayMinutes} min`;
      const ch = domain.openCase(
        this.rules,
        {
          id: `case_${ulid()}`,
          caseNumber: await this.numbers.next(tx, year),
          kind: cases.CaseKind.CASE_KIND_REQUEST,
          channel: cases.Channel.CHANNEL_PROACTIVE,
          subject: `Flight ${d.flight.carrier}${d.flight.number} on ${d.flight.date} ${what}`,
          description: `Proactive care: ${verdict.regulation || 'no regulation'} — ${verdict.eligible ? `eligible for ${verdict.amountMinor / 100} ${verdict.currency}` : 'not eligible'} (${verdict.reason}).`,
          language: 'en',
          passengerId: p.passengerId,
          contactEnc: '',
          links: { flight: d.flight, bookingRef: p.bookingRef, baggageRef: '', airWaybill: '', ticketNumber: p.ticketNumber },
          attachments: [],
          tags: ['proactive', 'disruption'],
          customerGrade: 'REGULAR',
          regulatorReferral: false,
          categoryCode: d.kind === cases.DisruptionKind.DISRUPTION_KIND_CANCELLATION ? 'flight.cancellation' : 'flight.delay',
          impact: verdict.eligible ? cases.Impact.IMPACT_MODERATE : cases.Impact.IMPACT_MINOR,
          disruption: rec,
        },
        now,
        PROACTIVE_ACTOR,
      );
      await commitChange(tx, ch, 'insert', { idempotencyKey: `disruption:${key}`, disruptionKey: key });
      opened += 1;
    }
    return { opened, updated };
  }
}
