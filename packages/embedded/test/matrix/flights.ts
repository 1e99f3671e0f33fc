import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the flight-information routes: flight status, boards, routes and airports are public
// knowledge (the airline's own website and IVR show them; flight-info allows anonymous reads), so everyone, signed in
// or not, may read them.
const EVERYONE: MatrixRole[] = ['anonymous', 'passenger', 'agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'partner', 'ops', 'admin'];
const hub = (demo: Record<string, unknown>) => String(demo['hub'] ?? 'PEK');
const flight = (demo: Record<string, unknown>) => {
  const f = (demo['flight'] ?? {}) as Record<string, unknown>;
  return { carrier: String(f['carrier'] ?? 'CA'), number: String(f['number'] ?? '1501'), date: String(f['date'] ?? '2026-03-01') };
};

export const flightsMatrix: MatrixEntry[] = [
  { operationId: 'listAirports', method: 'get', allow: EVERYONE, request: () => ({ path: '/airports', query: { areaCode: '010' } }) },
  { operationId: 'getAirport', method: 'get', allow: EVERYONE, request: (demo) => ({ path: `/airports/${hub(demo)}` }) },
  { operationId: 'listDepartures', method: 'get', allow: EVERYONE, request: (demo) => ({ path: `/airports/${hub(demo)}/departures`, query: { pageSize: '5' } }) },
  { operationId: 'listArrivals', method: 'get', allow: EVERYONE, request: (demo) => ({ path: `/airports/${hub(demo)}/arrivals`, query: { pageSize: '5' } }) },
  {
    operationId: 'getFlight',
    method: 'get',
    allow: EVERYONE,
    request: (demo) => {
      const f = flight(demo);
      return { path: `/flights/${f.carrier}/${f.number}/${f.date}` };
    },
  },
  { operationId: 'searchRoutes', method: 'get', allow: EVERYONE, request: (demo) => ({ path: '/routes', query: { origin: hub(demo), destination: 'SHA', date: flight(demo).date } }) },
];
