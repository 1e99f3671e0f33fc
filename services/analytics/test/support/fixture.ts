import { eventCodec, type EventType } from '@csm/contracts';
import { createEvent, sourceForDomain, type CloudEvent, type EventData, type PublishRecord } from '@csm/platform/events';

/**
 * The must-show fixture stream: one Shanghai business day (2026-03-02, UTC+8) of cases, surveys and flights with
 * KPIs computed BY HAND below. Percentiles: linear interpolation between closest ranks (PostgreSQL percentile_cont):
 * h = (n − 1)·p + 1, value = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋).
 *
 *  case  kind        channel  passenger flight           first response  handling  closed  SLA breached
 *  C1    complaint   PHONE    P1        CA1234 PEK-SHA   30 min          1 h       yes     no
 *  C2    complaint   WEB      P2        CA1234 PEK-SHA   90 min          2 h       yes     yes (CaseSlaBreached)
 *  C3    inquiry     PHONE    P3        —                —               3 h       yes     no
 *  C4    complaint   APP      P1        MU5101 SHA-CAN   —               10 h      yes     yes (CaseClosed.sla_breached)
 *  C5    inquiry     EMAIL    P4        —                —               —         no      —
 *
 *  Handling time (h), sorted [1, 2, 3, 10], n = 4:
 *    median: h = 3·0.5 + 1 = 2.5 → 2 + 0.5·(3 − 2) = 2.5
 *    p90:    h = 3·0.9 + 1 = 3.7 → 3 + 0.7·(10 − 3) = 7.9
 *  First response (min) [30, 90]: median 60; p90: h = 1·0.9 + 1 = 1.9 → 30 + 0.9·60 = 84
 *  SLA compliance: closed 4 (C1–C4), breached 2 (C2, C4) → 2/4 = 50 %
 *  Surveys (CSAT, NPS): C1 (5, 10), C2 (2, 3), C3 (4, 9), C4 (3, 7)
 *    NPS: promoters (≥ 9) C1, C3 = 2; detractors (≤ 6) C2 = 1 → (2 − 1)/4 × 100 = 25
 *    satisfaction index: CSAT ≥ 4: C1, C3 → 2/4 = 50 %; mean CSAT (5 + 2 + 4 + 3)/4 = 3.5
 *  Complaints C1, C2, C4 = 3; passengers carried CA1234 200 + MU5101 50 = 250
 *    complaint rate: 3 × 10 000 / 250 = 120 per 10k; by route PEK-SHA 2 × 10 000 / 200 = 100, SHA-CAN 1 × 10 000 / 50 = 200
 *  Case volume 5; resolution rate 4/5 = 80 %.
 */
export const DAY = dayRange('2026-03-02');

/** The Shanghai business day `day` as a UTC half-open range. */
export function dayRange(day: string) {
  const start = new Date(`${day}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

let base = '2026-03-02';
const at = (hhmm: string) => new Date(`${base}T${hhmm}:00Z`);
let seq = 0;
let prefix = '01JF';

export function ev(type: EventType, payload: Record<string, unknown>, time: Date, extra: Record<string, unknown> = {}): PublishRecord {
  const spec = eventCodec(type);
  const msg = (spec.codec as { fromPartial(x: unknown): unknown }).fromPartial(payload);
  const data = { ...(spec.toJSON(msg as never) as Record<string, unknown>), ...extra } as EventData;
  seq += 1;
  const event: CloudEvent = createEvent({
    id: `${prefix}${String(seq).padStart(26 - prefix.length, '0')}`,
    source: sourceForDomain(spec.domain),
    type: spec.type,
    subject: (spec.aggregateId as (p: unknown) => string)(msg) || 'x',
    data,
    time: time.toISOString(),
  });
  return { topic: spec.topic, event };
}

let CA1234 = { carrier: 'CA', number: '1234', date: base };
let MU5101 = { carrier: 'MU', number: '5101', date: base };
let OPEN = at('01:00');
const plusMin = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

function flight(id: string, ref: typeof CA1234, origin: string, destination: string): PublishRecord {
  return ev(
    'csm.flight.flight.status_changed.v1',
    {
      flight: {
        flightId: id, flight: ref, origin, destination, status: 5 /* ARRIVED */,
        scheduledDeparture: { localDateTime: `${base}T08:30`, timeZone: 'Asia/Shanghai', utcTime: at('00:30') },
        arrivalDelayMinutes: 5,
      },
      previousStatus: 4,
    },
    at('03:00'),
  );
}

/** Passengers carried are not in FlightSnapshot v1 yet: added raw, as a producer adding the field would send them. */
function withCarried(r: PublishRecord, carried: number): PublishRecord {
  const data = r.event.data as Record<string, unknown>;
  return { ...r, event: { ...r.event, data: { ...data, flight: { ...(data.flight as object), passengersCarried: carried } } as EventData } };
}

function caseEvents(id: string, kind: number, channel: number, pax: string, flightRef: typeof CA1234 | undefined, o: { firstResponseMin?: number; handlingH?: number; breachEvent?: boolean; closedBreached?: boolean; survey?: { csat: number; nps: number; comment: string } }): PublishRecord[] {
  const out: PublishRecord[] = [
    ev('csm.cases.case.opened.v1', { caseId: id, caseNumber: `CS-2026-${id}`, kind, channel, passengerId: pax, flight: flightRef, categoryCode: 'flight.delay', openTime: OPEN }, OPEN),
    ev('csm.cases.case.classified.v1', { caseId: id, categoryCode: 'flight.delay', severity: 1 }, plusMin(OPEN, 5)),
  ];
  if (o.firstResponseMin !== undefined) out.push(ev('csm.cases.case.state_changed.v1', { caseId: id, fromState: 1, toState: 2 }, plusMin(OPEN, o.firstResponseMin)));
  if (o.breachEvent) out.push(ev('csm.cases.case.sla_breached.v1', { caseId: id, slaKind: 2, dueTime: plusMin(OPEN, 60), severity: 1 }, plusMin(OPEN, 60)));
  if (o.handlingH !== undefined) {
    const resolved = plusMin(OPEN, o.handlingH * 60);
    out.push(ev('csm.cases.case.resolved.v1', { caseId: id, resolutionCode: 'explained', resolveTime: resolved, handlingSeconds: o.handlingH * 3600, severity: 1, kind }, resolved));
    const closed = plusMin(resolved, 30);
    out.push(ev('csm.cases.case.closed.v1', { caseId: id, closeTime: closed, kind, channel, severity: 1, categoryCode: 'flight.delay', passengerId: pax, slaBreached: o.closedBreached ?? false }, closed));
    if (o.survey) out.push(ev('csm.cases.case.survey_recorded.v1', { caseId: id, passengerId: pax, csat: o.survey.csat, nps: o.survey.nps, comment: o.survey.comment, channel, recordTime: plusMin(closed, 10) }, plusMin(closed, 10)));
  }
  return out;
}

const COMPLAINT = 2;
const INQUIRY = 1;

/** The fixture stream, in a realistic interleaving (topics independent, each aggregate in order). */
export function fixtureStream(day = '2026-03-02', idPrefix = '01JF'): PublishRecord[] {
  seq = 0;
  base = day;
  prefix = idPrefix;
  CA1234 = { carrier: 'CA', number: '1234', date: base };
  MU5101 = { carrier: 'MU', number: '5101', date: base };
  OPEN = at('01:00');
  return [
    ...caseEvents('case_C1', COMPLAINT, 1, 'pax_P1', CA1234, { firstResponseMin: 30, handlingH: 1, survey: { csat: 5, nps: 10, comment: '服务很好，非常满意' } }),
    withCarried(flight('flt_CA1234', CA1234, 'PEK', 'SHA'), 200),
    ...caseEvents('case_C2', COMPLAINT, 5, 'pax_P2', CA1234, { firstResponseMin: 90, handlingH: 2, breachEvent: true, survey: { csat: 2, nps: 3, comment: '行李丢失，非常失望' } }),
    ...caseEvents('case_C3', INQUIRY, 1, 'pax_P3', undefined, { handlingH: 3, survey: { csat: 4, nps: 9, comment: 'Great crew, very helpful' } }),
    withCarried(flight('flt_MU5101', MU5101, 'SHA', 'CAN'), 50),
    ...caseEvents('case_C4', COMPLAINT, 6, 'pax_P1', MU5101, { handlingH: 10, closedBreached: true, survey: { csat: 3, nps: 7, comment: '' } }),
    ...caseEvents('case_C5', INQUIRY, 3, 'pax_P4', undefined, {}),
  ];
}
