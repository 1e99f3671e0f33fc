import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the passenger-profile routes, written from the business rules (DOMAIN.md) and the
// profile service's own checks: agents and supervisors work with profiles, a passenger reads/updates/exports their
// own, analysts only see classifications, supervisors alone override, audit, export for others and erase; merging
// duplicates needs an experienced agent (L2+). Partners and ops never see profiles.
const PROFILE_STAFF: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'];
const SUPERVISORS: MatrixRole[] = ['supervisor', 'admin'];
/** A syntactically valid passenger id that does not exist: destructive operations target it. */
const NO_SUCH_PASSENGER = 'pax_00000000000000000000000000';
const pax = (demo: Record<string, unknown>) => String(demo['passengerId'] ?? 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB');

export const passengersMatrix: MatrixEntry[] = [
  {
    operationId: 'createPassenger',
    method: 'post',
    allow: PROFILE_STAFF,
    request: () => ({ path: '/passengers', body: { name: { latinSurname: 'MATRIX', latinGivenName: 'TEST' }, gender: 'GENDER_UNDISCLOSED' } }),
  },
  { operationId: 'searchPassengersByName', method: 'get', allow: PROFILE_STAFF, request: () => ({ path: '/passengers', query: { namePrefix: 'WANG' } }) },
  { operationId: 'lookupPassenger', method: 'post', allow: PROFILE_STAFF, request: () => ({ path: '/passengers/lookup', body: { email: 'nobody@example.com', purpose: 'matrix' } }) },
  { operationId: 'getPassenger', method: 'get', allow: [...PROFILE_STAFF, 'passenger'], request: (demo) => ({ path: `/passengers/${pax(demo)}` }) },
  {
    operationId: 'updatePassenger',
    method: 'patch',
    allow: [...PROFILE_STAFF, 'passenger'],
    // A stale expectedVersion: allowed callers get 409 and nothing changes.
    request: (demo) => ({ path: `/passengers/${pax(demo)}`, body: { passenger: { tags: ['matrix'] }, updateMask: ['tags'], expectedVersion: 999_999 } }),
  },
  { operationId: 'getPassengerClassification', method: 'get', allow: [...PROFILE_STAFF, 'analyst', 'passenger'], request: (demo) => ({ path: `/passengers/${pax(demo)}/classification` }) },
  {
    operationId: 'overridePassengerClassification',
    method: 'put',
    allow: SUPERVISORS,
    request: () => ({ path: `/passengers/${NO_SUCH_PASSENGER}/classification`, body: { type: 'PASSENGER_TYPE_REGULAR', grade: 'CUSTOMER_GRADE_REGULAR', reason: 'matrix', expectedVersion: 1 } }),
  },
  { operationId: 'findPassengerDuplicates', method: 'get', allow: PROFILE_STAFF, request: (demo) => ({ path: `/passengers/${pax(demo)}/duplicates` }) },
  {
    operationId: 'mergePassengers',
    method: 'post',
    allow: ['agent_l2', 'agent_l3', 'supervisor', 'admin'],
    request: () => ({ path: `/passengers/${NO_SUCH_PASSENGER}/merges`, body: { duplicateIds: ['pax_00000000000000000000000001'], reason: 'matrix', expectedSurvivorVersion: 1 } }),
  },
  { operationId: 'listPassengerAuditEntries', method: 'get', allow: SUPERVISORS, request: (demo) => ({ path: `/passengers/${pax(demo)}/audit-entries` }) },
  { operationId: 'exportPassenger', method: 'post', allow: [...SUPERVISORS, 'passenger'], request: (demo) => ({ path: `/passengers/${pax(demo)}/exports`, body: { requestReference: 'matrix' } }) },
  {
    operationId: 'erasePassenger',
    method: 'post',
    allow: SUPERVISORS,
    request: () => ({ path: `/passengers/${NO_SUCH_PASSENGER}/erasure`, body: { reason: 'matrix', expectedVersion: 1 } }),
  },
  {
    operationId: 'recordPassengerBehaviour',
    method: 'post',
    allow: PROFILE_STAFF,
    request: () => ({ path: `/passengers/${NO_SUCH_PASSENGER}/behaviour`, body: { observations: [{ kind: 'BEHAVIOUR_KIND_MEAL', value: 'vgml' }] } }),
  },
];
