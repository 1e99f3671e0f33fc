import type { MatrixEntry, MatrixRole } from './types';

// The API's own description and the backends' health are public: every caller, signed in or not, gets them
// (/status may answer 503 while a backend is down, which still counts as let through).
const EVERYONE: MatrixRole[] = ['anonymous', 'passenger', 'agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'partner', 'ops', 'admin'];

export const platformMatrix: MatrixEntry[] = [
  { operationId: 'getOpenApiDocument', method: 'get', allow: EVERYONE, request: () => ({ path: '/openapi.json' }) },
  { operationId: 'getStatus', method: 'get', allow: EVERYONE, request: () => ({ path: '/status' }) },
];
