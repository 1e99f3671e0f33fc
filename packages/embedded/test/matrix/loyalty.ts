import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the loyalty routes, from DOMAIN.md and loyalty's own checks: every staff role reads a
// membership (agents for service, supervisors, analysts and ops for their work); agents L1+ and supervisors redeem
// on a member's behalf; L2+ close memberships and adjust (agents compensate through the case, supervisors/admin
// also directly); operations (and senior agents) post flown
// segments; a passenger reads and redeems on their OWN membership (the path carries their passenger id); a partner
// enrols the members it brings and browses the award catalogue and tiers. Expiry and tier jobs are for ops/admin.
// Writes that move miles target a passenger / quote / redemption that does not exist (allowed callers get 404).
const STAFF_READ: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'ops', 'admin'];
const STAFF_WRITE: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'];
const SENIOR: MatrixRole[] = ['agent_l2', 'agent_l3', 'supervisor', 'admin'];
const NO_SUCH_PASSENGER = 'pax_00000000000000000000000000';
const NO_SUCH_QUOTE = 'quo_00000000000000000000000000';
const NO_SUCH_REDEMPTION = 'rdm_00000000000000000000000000';
const pax = (demo: Record<string, unknown>) => String(demo['passengerId'] ?? 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB');
const membership = (demo: Record<string, unknown>, sub = '') => `/passengers/${pax(demo)}/membership${sub}`;

export const loyaltyMatrix: MatrixEntry[] = [
  // The demo passenger is already a member: allowed callers get 409 (or 400 without an Idempotency-Key).
  { operationId: 'enrollMember', method: 'post', allow: [...STAFF_WRITE, 'partner', 'passenger'], request: (demo) => ({ path: membership(demo), body: { enrollmentChannel: 'app' } }) },
  { operationId: 'getPassengerMembership', method: 'get', allow: [...STAFF_READ, 'passenger'], request: (demo) => ({ path: membership(demo) }) },
  { operationId: 'getMember', method: 'get', allow: STAFF_READ, request: (demo) => ({ path: `/members/${String(demo['memberId'] ?? 'mbr_01HZY3K6W0Q8X2N4M5P7R9T1VB')}` }) },
  // Closing is destructive, so the probe targets a passenger that does not exist; a passenger may close their OWN
  // membership (loyalty allows it, and so does the route), which this probe cannot show without closing the demo one.
  { operationId: 'closeMembership', method: 'post', allow: SENIOR, request: () => ({ path: `/passengers/${NO_SUCH_PASSENGER}/membership/close`, body: { reason: 'matrix' } }) },
  { operationId: 'getMembershipBalance', method: 'get', allow: [...STAFF_READ, 'passenger'], request: (demo) => ({ path: membership(demo, '/balance') }) },
  {
    operationId: 'getMembershipStatement',
    method: 'get',
    allow: [...STAFF_READ, 'passenger'],
    request: (demo) => ({ path: membership(demo, '/statement'), query: { from: '2026-01-01', to: '2026-12-31', pageSize: '10' } }),
  },
  { operationId: 'getMembershipTierStatus', method: 'get', allow: [...STAFF_READ, 'passenger'], request: (demo) => ({ path: membership(demo, '/tier-status') }) },
  {
    operationId: 'accrueFlight',
    method: 'post',
    allow: ['ops', 'admin', 'agent_l2', 'agent_l3', 'supervisor'],
    request: () => ({
      path: `/passengers/${NO_SUCH_PASSENGER}/membership/flight-accruals`,
      body: { flight: { carrier: 'CA', number: '1501', date: '2026-03-01' }, origin: 'PEK', destination: 'SHA', cabin: 'CABIN_ECONOMY', bookingClass: 'Y', ticketNumber: '9990000000001', couponNumber: 1 },
    }),
  },
  // Agents compensate through the case (approval limits, case record); only supervisors/admin grant directly.
  {
    operationId: 'compensateMiles',
    method: 'post',
    allow: ['supervisor', 'admin'],
    request: () => ({ path: `/passengers/${NO_SUCH_PASSENGER}/membership/compensations`, body: { miles: 100, caseId: 'case_00000000000000000000000000', reason: 'matrix' } }),
  },
  {
    operationId: 'adjustMiles',
    method: 'post',
    allow: SENIOR,
    request: () => ({ path: `/passengers/${NO_SUCH_PASSENGER}/membership/adjustments`, body: { miles: 100, reason: 'matrix', approverId: 'matrix-approver' } }),
  },
  // A quote moves no miles; the award code does not exist (404 for allowed callers).
  { operationId: 'quoteRedemption', method: 'post', allow: [...STAFF_WRITE, 'passenger'], request: (demo) => ({ path: membership(demo, '/redemption-quotes'), body: { awardCode: 'NO-SUCH-AWARD', quantity: 1 } }) },
  { operationId: 'holdRedemption', method: 'post', allow: [...STAFF_WRITE, 'passenger'], request: (demo) => ({ path: membership(demo, '/redemptions'), body: { quoteId: NO_SUCH_QUOTE } }) },
  { operationId: 'confirmRedemption', method: 'post', allow: [...STAFF_WRITE, 'passenger'], request: (demo) => ({ path: membership(demo, `/redemptions/${NO_SUCH_REDEMPTION}/confirm`) }) },
  {
    operationId: 'cancelRedemption',
    method: 'post',
    allow: [...STAFF_WRITE, 'passenger'],
    request: (demo) => ({ path: membership(demo, `/redemptions/${NO_SUCH_REDEMPTION}/cancel`), body: { reason: 'matrix' } }),
  },
  { operationId: 'listAwards', method: 'get', allow: [...STAFF_READ, 'passenger', 'partner'], request: () => ({ path: '/awards', query: { category: 'AWARD_CATEGORY_UPGRADE' } }) },
  { operationId: 'listTiers', method: 'get', allow: [...STAFF_READ, 'passenger', 'partner'], request: () => ({ path: '/tiers' }) },
  // As of a date long past: nothing is due, so the jobs change nothing.
  { operationId: 'runMilesExpiry', method: 'post', allow: ['ops', 'admin'], request: () => ({ path: '/loyalty/jobs/expiry', body: { asOfDate: '2000-01-01' } }) },
  { operationId: 'runTierEvaluation', method: 'post', allow: ['ops', 'admin'], request: () => ({ path: '/loyalty/jobs/tier-evaluation', body: { asOfDate: '2000-01-01' } }) },
];
