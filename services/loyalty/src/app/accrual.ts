// Accrual use cases: flown segments (earn chart, great-circle distance from the airport dataset, tier bonus), case
// compensation, and manual adjustments with a reason and a second approver. Every one is idempotent.
import { Cabin, cabinToJSON, TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import { AlreadyExistsError, NotFoundError, PermissionDeniedError } from '@csm/platform/errors';
import type { Principal } from '@csm/platform/security';
import { toIsoDate } from '../domain/dates';
import { flightEarn } from '../domain/earn';
import { newId } from '../domain/ids';
import { memberAvailable, SYSTEM, transfer } from '../domain/ledger';
import type { EntryRecord, FlightRefRecord, MemberRecord } from '../domain/records';
import { ID_PATTERNS, Violations } from '../domain/validate';
import { emit } from '../events/outbox-events';
import { findEntryByDedupeKey, postTransaction } from '../store/ledger-store';
import { findMember, getMember } from '../store/member-store';
import { actorOf } from './actor';
import { requireRole } from './authz';
import { credit, requireActive } from './credit';
import { fastCredit } from './fast-credit';
import type { AppDeps } from './deps';
import { idempotent } from './idempotent';

export interface SegmentInput {
  readonly flight: FlightRefRecord | undefined;
  readonly origin: string;
  readonly destination: string;
  readonly cabin: Cabin;
  readonly bookingClass: string;
  readonly ticketNumber: string;
  readonly couponNumber: number;
  readonly distanceKm: number;
}

const CABINS = [Cabin.CABIN_ECONOMY, Cabin.CABIN_PREMIUM_ECONOMY, Cabin.CABIN_BUSINESS, Cabin.CABIN_FIRST];
const MAX_GREAT_CIRCLE_KM = 20_100;

export async function accrueFlight(deps: AppDeps, p: Principal, input: { memberId: string; segment: SegmentInput | undefined; idempotencyKey: string }): Promise<EntryRecord> {
  requireRole(p, 'service', 'ops', 'admin', 'agent_l2', 'agent_l3', 'supervisor');
  const v = new Violations().required('member_id', input.memberId);
  const s = input.segment;
  if (!s) v.add('segment', 'is required', 'REQUIRED');
  else {
    if (!s.flight) v.add('segment.flight', 'is required', 'REQUIRED');
    else {
      v.pattern('segment.flight.carrier', s.flight.carrier, /^([A-Z0-9]{2}|[A-Z]{3})$/, 'an IATA or ICAO carrier code').required('segment.flight.carrier', s.flight.carrier);
      v.pattern('segment.flight.number', s.flight.number, /^[0-9]{1,4}[A-Z]?$/, '1-4 digits with an optional suffix letter').required('segment.flight.number', s.flight.number);
      v.date('segment.flight.date', s.flight.date);
    }
    v.pattern('segment.origin', s.origin, /^[A-Z]{3}$/, 'an IATA airport code').required('segment.origin', s.origin);
    v.pattern('segment.destination', s.destination, /^[A-Z]{3}$/, 'an IATA airport code').required('segment.destination', s.destination);
    if (s.origin !== '' && s.origin === s.destination) v.add('segment.destination', 'must differ from origin', 'SAME_AIRPORT');
    v.enumValue('segment.cabin', s.cabin, CABINS, (c) => cabinToJSON(c));
    v.pattern('segment.booking_class', s.bookingClass, /^[A-Z]$/, 'one booking-class letter').required('segment.booking_class', s.bookingClass);
    v.pattern('segment.ticket_number', s.ticketNumber, /^[0-9]{13}$/, '13 digits').required('segment.ticket_number', s.ticketNumber);
    if (!Number.isInteger(s.couponNumber) || s.couponNumber < 1 || s.couponNumber > 4) v.add('segment.coupon_number', 'must be 1-4', 'OUT_OF_RANGE');
    if (!Number.isInteger(s.distanceKm) || s.distanceKm < 0 || s.distanceKm > MAX_GREAT_CIRCLE_KM) v.add('segment.distance_km', `must be 0-${MAX_GREAT_CIRCLE_KM}`, 'OUT_OF_RANGE');
  }
  v.pattern('idempotency_key', input.idempotencyKey, ID_PATTERNS.idempotencyKey, '1-128 printable ASCII characters');
  v.throwIfAny();
  const seg = s as SegmentInput;
  let distanceKm = seg.distanceKm;
  if (distanceKm === 0) {
    const looked = await deps.distanceKm(seg.origin, seg.destination);
    if (looked === undefined) {
      new Violations().add('segment.origin', 'unknown airport pair: no coordinates for origin or destination', 'UNKNOWN_AIRPORT').throwIfAny();
    }
    distanceKm = Math.round(looked ?? 0);
  }
  const actor = actorOf(p);
  const dedupeKey = `flight:${seg.ticketNumber}:${seg.couponNumber}`;
  const key = input.idempotencyKey || `${seg.ticketNumber}-${seg.couponNumber}`;
  const { result } = await deps.db.transaction((tx) =>
    idempotent(tx, actor.id, key, 'AccrueFlight', { memberId: input.memberId, seg }, async () => {
      // One credit per ticket coupon, whoever posts it.
      const already = await findEntryByDedupeKey(tx, dedupeKey);
      if (already) {
        if (already.memberId === input.memberId) return already;
        throw new AlreadyExistsError('ticket coupon', `${seg.ticketNumber}/${seg.couponNumber}`, 'this ticket coupon was already credited to another member');
      }
      const member = await getMember(tx, input.memberId);
      requireActive(member);
      const earn = flightEarn(deps.rules, { distanceKm, bookingClass: seg.bookingClass, cabin: seg.cabin, tier: member.tier });
      if (earn.awardMiles === 0) {
        new Violations().add('segment.booking_class', `booking class ${seg.bookingClass} does not earn miles`, 'NON_EARNING_FARE').throwIfAny();
      }
      const flight = seg.flight as FlightRefRecord;
      return credit(deps, tx, member, {
        source: SYSTEM.flightAccrual,
        miles: earn.awardMiles,
        kind: TransactionKind.TRANSACTION_KIND_FLIGHT_ACCRUAL,
        qualifyingMiles: earn.qualifyingMiles,
        qualifyingSegments: earn.qualifyingSegments,
        activityDate: flight.date,
        description: `${flight.carrier}${flight.number} ${seg.origin}-${seg.destination} ${seg.bookingClass} (${earn.distanceMiles} mi × ${earn.percent}%)`,
        flight: { carrier: flight.carrier, number: flight.number, date: flight.date },
        actor,
        dedupeKey,
      });
    }),
  );
  deps.notifyOutbox();
  return result;
}

export interface CompensateInput {
  readonly memberId?: string | undefined;
  readonly passengerId?: string | undefined;
  readonly miles: number;
  readonly caseId: string;
  readonly reason: string;
  readonly idempotencyKey: string;
}

export async function compensate(deps: AppDeps, p: Principal, input: CompensateInput, maxMiles: number): Promise<EntryRecord> {
  requireRole(p, 'service', 'agent_l2', 'agent_l3', 'supervisor', 'admin');
  const v = new Violations();
  if (!input.memberId && !input.passengerId) v.add('recipient', 'member_id or passenger_id is required', 'REQUIRED');
  v.positiveInt('miles', input.miles, maxMiles)
    .required('case_id', input.caseId)
    .maxLength('case_id', input.caseId, 64)
    .required('reason', input.reason)
    .maxLength('reason', input.reason, 500)
    .required('idempotency_key', input.idempotencyKey)
    .pattern('idempotency_key', input.idempotencyKey, ID_PATTERNS.idempotencyKey, '1-128 printable ASCII characters');
  v.throwIfAny();
  const actor = actorOf(p);
  const memberId = input.memberId || (await resolveRecipient(deps.db, input)).id;
  return fastCredit(deps, {
    caller: actor.id,
    idempotencyKey: input.idempotencyKey,
    operation: 'Compensate',
    request: { ...input, idempotencyKey: undefined },
    memberId,
    source: SYSTEM.compensation,
    miles: input.miles,
    kind: TransactionKind.TRANSACTION_KIND_COMPENSATION,
    description: input.reason,
    caseId: input.caseId,
    actor,
  });
}

async function resolveRecipient(tx: Parameters<typeof findMember>[0], input: CompensateInput): Promise<MemberRecord> {
  if (input.memberId) return getMember(tx, input.memberId);
  const m = await findMember(tx, { passengerId: input.passengerId ?? '' });
  if (!m) throw new NotFoundError('member', `for passenger ${input.passengerId ?? ''}`);
  return m;
}

export interface ManualAdjustInput {
  readonly memberId: string;
  readonly miles: number;
  readonly reason: string;
  readonly approverId: string;
  readonly idempotencyKey: string;
}

export async function manualAdjust(deps: AppDeps, p: Principal, input: ManualAdjustInput, maxMiles: number): Promise<EntryRecord> {
  requireRole(p, 'agent_l2', 'agent_l3', 'supervisor', 'admin');
  const v = new Violations().required('member_id', input.memberId);
  if (!Number.isSafeInteger(input.miles) || input.miles === 0) v.add('miles', 'must be a non-zero integer', 'NON_ZERO');
  else if (Math.abs(input.miles) > maxMiles) v.add('miles', `must be at most ${maxMiles} in absolute value`, 'TOO_LARGE');
  v.required('reason', input.reason).maxLength('reason', input.reason, 500).required('approver_id', input.approverId).maxLength('approver_id', input.approverId, 128);
  v.required('idempotency_key', input.idempotencyKey).pattern('idempotency_key', input.idempotencyKey, ID_PATTERNS.idempotencyKey, '1-128 printable ASCII characters');
  v.throwIfAny();
  // Four eyes: the approver must be someone else.
  if (input.approverId === p.subject) throw new PermissionDeniedError('a manual adjustment must be approved by someone other than the requester', { reason: 'SELF_APPROVAL' });
  const actor = actorOf(p);
  const request = { ...input, idempotencyKey: undefined };
  if (input.miles > 0) {
    return fastCredit(deps, {
      caller: actor.id,
      idempotencyKey: input.idempotencyKey,
      operation: 'ManualAdjust',
      request,
      memberId: input.memberId,
      source: SYSTEM.adjustment,
      miles: input.miles,
      kind: TransactionKind.TRANSACTION_KIND_MANUAL_ADJUSTMENT,
      description: input.reason,
      actor,
      approverId: input.approverId,
    });
  }
  const { result } = await deps.db.transaction((tx) =>
    idempotent(tx, actor.id, input.idempotencyKey, 'ManualAdjust', request, async () => {
      const member = await getMember(tx, input.memberId);
      requireActive(member);
      const entry = await postTransaction(tx, {
        kind: TransactionKind.TRANSACTION_KIND_MANUAL_ADJUSTMENT,
        activityDate: toIsoDate(deps.now()),
        description: input.reason,
        actor,
        approverId: input.approverId,
        id: newId.transaction(),
        memberId: member.id,
        postTime: deps.now(),
        postings: transfer(memberAvailable(member.id), SYSTEM.adjustment, -input.miles),
      });
      await emit(tx, 'csm.loyalty.member.miles_accrued.v1', {
        memberId: member.id,
        transactionId: entry.id,
        kind: entry.kind,
        miles: entry.miles,
        balanceAfter: entry.balanceAfter,
        activityDate: entry.activityDate,
      });
      return entry;
    }),
  );
  deps.notifyOutbox();
  return result;
}
