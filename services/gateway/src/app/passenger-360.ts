import { cases, flightinfo, loyalty, profile } from '@csm/contracts';
import { DeadlineExceededError, DomainError, NotFoundError, PermissionDeniedError, UnavailableError } from '@csm/platform/errors';
import { callUnary, type UnaryCallOptions } from '@csm/platform/grpc';
import type { Backends } from '../backends/clients';

/**
 * Passenger 360: one answer assembled from four services. The profile is the person (without it nothing can be
 * shown, so its failure fails the call); the other sections — loyalty, open cases, recent flights — are fetched at
 * the same time, each under its own deadline, and a failed or slow one is reported as
 * `{ status: "unavailable", reason }` while the rest is still answered.
 */

export type Section<T> = { readonly status: 'ok'; readonly data: T } | { readonly status: 'unavailable'; readonly reason: string } | { readonly status: 'none'; readonly reason: string };

export interface Passenger360 {
  readonly passenger: unknown;
  readonly loyalty: Section<{ member: unknown; balance: unknown; tierStatus: unknown }>;
  readonly openCases: Section<{ cases: unknown[]; nextPageToken: string }>;
  readonly recentFlights: Section<{ tripsFlown: number; recentDisruptions: number; lastFlight: unknown }>;
}

export interface Passenger360Deps {
  readonly backends: Pick<Backends, 'profile' | 'loyalty' | 'cases' | 'flights'>;
  /** Each section's deadline, from the start of the request. */
  readonly sectionDeadlineMs: number;
  readonly now?: () => number;
}

/** Cases that are still being worked: everything but CLOSED and ARCHIVED. */
const OPEN_STATES = [
  cases.CaseState.CASE_STATE_NEW,
  cases.CaseState.CASE_STATE_ACKNOWLEDGED,
  cases.CaseState.CASE_STATE_INVESTIGATING,
  cases.CaseState.CASE_STATE_PENDING_CUSTOMER,
  cases.CaseState.CASE_STATE_RESOLVED,
  cases.CaseState.CASE_STATE_FOLLOW_UP,
  cases.CaseState.CASE_STATE_REOPENED,
];
const OPEN_CASES_SHOWN = 20;

/** "CA1234/2026-03-01" (DynamicData.last_flight_id) → a FlightRef; undefined when absent or malformed. */
export function parseFlightId(id: string): { carrier: string; number: string; date: string } | undefined {
  const m = /^([A-Z0-9]{2}|[A-Z]{3})([0-9]{1,4}[A-Z]?)\/(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (!m) return undefined;
  return { carrier: m[1] as string, number: m[2] as string, date: m[3] as string };
}

/** Why a section is missing, in words a channel can show (never internals). */
function reasonOf(err: unknown): string {
  if (err instanceof DeadlineExceededError) return 'deadline exceeded';
  if (err instanceof UnavailableError) return 'service unavailable';
  if (err instanceof PermissionDeniedError) return 'permission denied';
  if (err instanceof DomainError) return err.message.slice(0, 200);
  return 'failed';
}

/** Runs one section under `deadline`; a cancelled/late call is cut at the deadline even if the backend never answers. */
async function section<T>(deadline: number, now: () => number, run: (signal: AbortSignal) => Promise<Section<T>>): Promise<Section<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Section<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ status: 'unavailable', reason: 'deadline exceeded' });
    }, Math.max(0, deadline - now()));
  });
  try {
    return await Promise.race([run(controller.signal).catch((err: unknown): Section<T> => ({ status: 'unavailable', reason: reasonOf(err) })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function passenger360(deps: Passenger360Deps, passengerId: string, call: UnaryCallOptions): Promise<Passenger360> {
  const now = deps.now ?? Date.now;
  const { backends } = deps;
  const callDeadline = call.deadline === undefined ? Infinity : Number(call.deadline);
  const deadline = Math.min(now() + deps.sectionDeadlineMs, callDeadline);
  const opts = (signal: AbortSignal): UnaryCallOptions => ({ ...call, deadline, signal });

  // The profile: its errors are the call's (404 unknown passenger, 403, 503 profile down).
  const profileCall = callUnary(backends.profile, 'getPassenger', profile.GetPassengerRequest.fromPartial({ passengerId, purpose: 'passenger-360' }), { ...call, deadline });

  // Loyalty is keyed by passenger id (GetMember's passenger_id key), so it needs nothing from the profile. One call
  // answers member, balance and tier; a loyalty service that predates include_balance_and_tier answers the member
  // only, and then the other two are asked for separately.
  const loyaltySection = section<{ member: unknown; balance: unknown; tierStatus: unknown }>(deadline, now, async (signal) => {
    let res: loyalty.GetMemberResponse;
    try {
      res = await callUnary(backends.loyalty, 'getMember', loyalty.GetMemberRequest.fromPartial({ passengerId, includeBalanceAndTier: true }), opts(signal));
    } catch (err) {
      if (err instanceof NotFoundError) return { status: 'none', reason: 'not a loyalty member' };
      throw err;
    }
    const member = res.member;
    if (!member) return { status: 'none', reason: 'not a loyalty member' };
    let { balance, tierStatus } = res;
    if (!balance || !tierStatus) {
      const [b, t] = await Promise.all([
        callUnary(backends.loyalty, 'getBalance', loyalty.GetBalanceRequest.fromPartial({ memberId: member.id }), opts(signal)),
        callUnary(backends.loyalty, 'getTierStatus', loyalty.GetTierStatusRequest.fromPartial({ memberId: member.id }), opts(signal)),
      ]);
      balance = b.balance;
      tierStatus = t.tierStatus;
    }
    return {
      status: 'ok',
      data: {
        member: loyalty.Member.toJSON(member),
        balance: balance ? loyalty.Balance.toJSON(balance) : null,
        tierStatus: tierStatus ? loyalty.TierStatus.toJSON(tierStatus) : null,
      },
    };
  });

  const casesSection = section<{ cases: unknown[]; nextPageToken: string }>(deadline, now, async (signal) => {
    const res = await callUnary(backends.cases, 'listCases', cases.ListCasesRequest.fromPartial({ passengerId, states: OPEN_STATES, page: { pageSize: OPEN_CASES_SHOWN } }), opts(signal));
    return { status: 'ok', data: { cases: res.cases.map((c) => cases.Case.toJSON(c)), nextPageToken: res.page?.nextPageToken ?? '' } };
  });

  // Recent flights: flight-info has no per-passenger query, so the trip facts come from the profile's dynamic data
  // (fed by loyalty accruals and disruption events) and the last flight's live status from flight-info.
  const flightsSection = section<{ tripsFlown: number; recentDisruptions: number; lastFlight: unknown }>(deadline, now, async (signal) => {
    const p = (await profileCall).passenger;
    const dyn = p?.dynamicData;
    const ref = parseFlightId(dyn?.lastFlightId ?? '');
    const base = { tripsFlown: dyn?.tripsFlown ?? 0, recentDisruptions: dyn?.recentDisruptions ?? 0 };
    if (!ref) return { status: 'ok', data: { ...base, lastFlight: null } };
    // A last flight older than flight-info's schedule horizon is not found there: show its reference, without status.
    const res = await callUnary(backends.flights, 'getFlight', flightinfo.GetFlightRequest.fromPartial({ flight: ref }), opts(signal)).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    return { status: 'ok', data: { ...base, lastFlight: res?.flight ? flightinfo.Flight.toJSON(res.flight) : { flight: ref } } };
  });

  // Settle every section even when the profile fails, so no call is left running unobserved.
  const [passengerRes, loyaltyRes, casesRes, flightsRes] = await Promise.allSettled([profileCall, loyaltySection, casesSection, flightsSection]);
  if (passengerRes.status === 'rejected') {
    const err = passengerRes.reason as unknown;
    // A slow or unreachable profile is a 503 (retry later), whichever way the call failed.
    if (err instanceof DeadlineExceededError || err instanceof UnavailableError) throw new UnavailableError('the passenger profile is unavailable', { retryAfterMs: 1_000, cause: err });
    throw err;
  }
  return {
    passenger: passengerRes.value.passenger ? profile.Passenger.toJSON(passengerRes.value.passenger) : null,
    loyalty: settled(loyaltyRes),
    openCases: settled(casesRes),
    recentFlights: settled(flightsRes),
  };
}

function settled<T>(r: PromiseSettledResult<Section<T>>): Section<T> {
  return r.status === 'fulfilled' ? r.value : { status: 'unavailable', reason: reasonOf(r.reason) };
}
