import type { MatrixEntry } from './types';

// The whole person in one call: whoever may read the profile (agents, supervisors, admins) and the passenger for
// themself. Analysts, ops and partners may not see a profile, so not its 360 either.
export const passenger360Matrix: MatrixEntry[] = [
  {
    operationId: 'getPassenger360',
    method: 'get',
    allow: ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin', 'passenger'],
    request: (demo) => ({ path: `/passengers/${String(demo['passengerId'] ?? 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB')}/360` }),
  },
];
