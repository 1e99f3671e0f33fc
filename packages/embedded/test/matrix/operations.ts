import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the operations-ingest routes (DOMAIN.md: ops feed flights and cargo; flight-info enforces
// ops/admin for every write): schedules, the status feed and manifests are written by ops and admin only; a manifest
// (who is on a flight: personal data) is read by agents, supervisors, ops and admin — not analysts, passengers or
// partners. Writes target a flight that does not exist (404 for allowed callers) or create a far-future probe flight.
const MANIFEST_READERS: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'ops', 'admin'];
const INGEST: MatrixRole[] = ['ops', 'admin'];
/** A dated flight nobody operates: status updates and manifests for it are refused as not found. */
const NO_SUCH_FLIGHT = '/flights/ZZ/9998/2099-01-02';
const flightPath = (demo: Record<string, unknown>) => {
  const f = (demo['flight'] ?? {}) as Record<string, unknown>;
  return `/flights/${String(f['carrier'] ?? 'CA')}/${String(f['number'] ?? '1501')}/${String(f['date'] ?? '2026-03-01')}`;
};

export const operationsMatrix: MatrixEntry[] = [
  {
    operationId: 'upsertSchedule',
    method: 'post',
    allow: INGEST,
    // A probe flight in 2099 (re-upserting it is a no-op): no demo flight is touched.
    request: () => ({
      path: '/flight-schedules',
      body: {
        flights: [{ flight: { carrier: 'ZZ', number: '9999', date: '2099-01-01' }, origin: 'PEK', destination: 'SHA', scheduledDeparture: { localDateTime: '2099-01-01T08:00' }, scheduledArrival: { localDateTime: '2099-01-01T10:15' } }],
        source: 'matrix',
      },
    }),
  },
  // A comment-only file: allowed callers get 200 with nothing imported, or 400 from the parser — never 401/403.
  { operationId: 'importSchedule', method: 'post', allow: INGEST, request: () => ({ path: '/flight-schedules/imports', body: { content: '# matrix probe\n', source: 'matrix' } }) },
  {
    operationId: 'ingestStatusUpdate',
    method: 'post',
    allow: INGEST,
    request: () => ({ path: `${NO_SUCH_FLIGHT}/status-updates`, body: { updateId: 'matrix-1', observeTime: '2026-01-01T00:00:00Z', status: 'FLIGHT_STATUS_DELAYED' } }),
  },
  { operationId: 'ingestManifest', method: 'put', allow: INGEST, request: () => ({ path: `${NO_SUCH_FLIGHT}/manifest`, body: { entries: [], source: 'matrix' } }) },
  { operationId: 'listManifest', method: 'get', allow: MANIFEST_READERS, request: (demo) => ({ path: `${flightPath(demo)}/manifest` }) },
];
