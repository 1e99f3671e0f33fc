import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the cargo routes (DOMAIN.md: cargo tracking / quote / booking for channels; flight-info
// enforces ops/admin for capacity and tracking events, and its booker roles for shipments): tracking by air waybill,
// rate quotes and outlets are public information (as on the cargo website; flight-info allows anonymous reads), so
// anonymous callers get them too; agents, supervisors, partners
// (forwarders, alliance carriers), ops and admin book and read shipments; capacity is read by staff and partners and
// set by ops/admin. Writes target a flight / AWB that does not exist (404 for allowed callers).
const EVERYONE: MatrixRole[] = ['anonymous', 'passenger', 'agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'partner', 'ops', 'admin'];
const BOOKERS: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'partner', 'ops', 'admin'];
const CAPACITY_READERS: MatrixRole[] = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'partner', 'ops', 'admin'];
const NO_SUCH_FLIGHT = { carrier: 'ZZ', number: '9998', date: '2099-01-02' };
/** Valid AWB check digit (0000000 mod 7 = 0), never issued by the demo stock. */
const NO_SUCH_AWB = '999-00000000';
const flightPath = (demo: Record<string, unknown>) => {
  const f = (demo['flight'] ?? {}) as Record<string, unknown>;
  return `/flights/${String(f['carrier'] ?? 'CA')}/${String(f['number'] ?? '1501')}/${String(f['date'] ?? '2026-03-01')}`;
};
const awb = (demo: Record<string, unknown>) => String(demo['awb'] ?? '999-12345675');

export const cargoMatrix: MatrixEntry[] = [
  { operationId: 'getFlightCargoCapacity', method: 'get', allow: CAPACITY_READERS, request: (demo) => ({ path: `${flightPath(demo)}/cargo-capacity` }) },
  { operationId: 'setFlightCargoCapacity', method: 'put', allow: ['ops', 'admin'], request: () => ({ path: '/flights/ZZ/9998/2099-01-02/cargo-capacity', body: { totalWeightKg: 1000, totalVolumeM3: 10 } }) },
  { operationId: 'quoteCargoRate', method: 'post', allow: EVERYONE, request: () => ({ path: '/cargo/quotes', body: { origin: 'PEK', destination: 'SHA', pieces: 1, weightKg: 10, volumeM3: 0.1 } }) },
  {
    operationId: 'bookShipment',
    method: 'post',
    allow: BOOKERS,
    request: () => ({
      path: '/cargo/shipments',
      body: {
        airWaybill: { origin: 'PEK', destination: 'SHA', shipper: { accountNumber: 'MATRIX-1' }, consignee: { accountNumber: 'MATRIX-2' }, pieces: 1, weightKg: 10, commodity: 'matrix probe' },
        flights: [NO_SUCH_FLIGHT],
      },
    }),
  },
  { operationId: 'getShipment', method: 'get', allow: BOOKERS, request: (demo) => ({ path: `/cargo/shipments/${awb(demo)}` }) },
  { operationId: 'trackShipment', method: 'get', allow: EVERYONE, request: (demo) => ({ path: `/cargo/tracking/${awb(demo)}` }) },
  {
    operationId: 'recordTrackingEvent',
    method: 'post',
    allow: ['ops', 'admin'],
    request: () => ({ path: `/cargo/tracking/${NO_SUCH_AWB}/events`, body: { statusCode: 'RCS', airport: 'PEK', eventTime: '2026-01-01T00:00:00Z', sourceEventId: 'matrix-1' } }),
  },
  { operationId: 'listCargoOutlets', method: 'get', allow: EVERYONE, request: (demo) => ({ path: '/cargo/outlets', query: { location: String(demo['hub'] ?? 'PEK') } }) },
];
