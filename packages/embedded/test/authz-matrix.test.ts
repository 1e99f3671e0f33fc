import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@csm/platform/logging';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../src';
import type { MatrixEntry, MatrixRequest, MatrixRole } from './matrix/types';
import { MATRIX } from './support/all-routes';
import { demoFacts } from './support/demo-facts';
import { send } from './support/http';

// The authorization matrix, asserted on the whole platform in embedded mode: every route of the OpenAPI document ×
// every role, through the gateway AND the service behind it (the gateway forwards the caller's token and the
// service re-checks it), so a role the gateway lets through but the service refuses shows up here as a failure.
// Allowed: anything but 401/403 (and never a 5xx). Denied: 401 for anonymous, 403 for a signed-in caller.
// A passenger or partner is also tried on someone else's resource, expecting 403.
jest.setTimeout(300_000);

const ROLES: readonly MatrixRole[] = ['anonymous', 'passenger', 'agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'partner', 'ops', 'admin'];

const logger = createLogger({ service: 'authz-matrix', level: 'silent' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-authz-'));
let platform: EmbeddedPlatform;
let own: Record<string, unknown>;
let others: Record<string, unknown>;

beforeAll(async () => {
  platform = await startEmbeddedPlatform({ dataDir, ports: 'ephemeral', logger, env: { CSM_RATE_LIMIT_MAX: '0' } });
  ({ own, others } = await demoFacts(platform));
});

afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function tokenOf(role: MatrixRole): string | undefined {
  if (role === 'anonymous') return undefined;
  const token = platform.tokens[role];
  if (token === undefined) throw new Error(`no demo token for ${role}`);
  return token;
}

async function attempt(entry: MatrixEntry, role: MatrixRole, request: MatrixRequest): Promise<number> {
  const res = await send(platform.gatewayUrl, entry.method, request.path, { token: tokenOf(role), query: request.query, body: request.body });
  return res.status;
}

test('the matrix covers every operation of the OpenAPI document, once', async () => {
  const res = await send(platform.gatewayUrl, 'get', '/openapi.json');
  const doc = res.body as { paths: Record<string, Record<string, { operationId: string }>> };
  const documented = Object.values(doc.paths).flatMap((ops) => Object.entries(ops).map(([method, op]) => `${method} ${op.operationId}`));
  const specified = MATRIX.map((e) => `${e.method} ${e.operationId}`);
  expect([...specified].sort()).toEqual([...documented].sort());
});

describe.each(MATRIX.map((e) => [`${e.method.toUpperCase()} ${e.operationId}`, e] as const))('%s', (_name, entry) => {
  test('every role gets exactly what the matrix says', async () => {
    const request = entry.request(own);
    const outcome: Record<string, number> = {};
    for (const role of ROLES) outcome[role] = await attempt(entry, role, request);
    const expected = Object.fromEntries(ROLES.map((role) => [role, entry.allow.includes(role) ? 'allowed' : role === 'anonymous' ? 401 : 403]));
    const observed = Object.fromEntries(ROLES.map((role) => {
      const s = outcome[role] ?? 0;
      return [role, entry.allow.includes(role) ? (s === 401 || s === 403 || s >= 500 ? s : 'allowed') : s];
    }));
    expect(observed).toEqual(expected);
  });

  test("a passenger or partner is refused on someone else's resource (when the route is owner-scoped)", async () => {
    // Each role's "someone else" changes only what identifies that role's own data.
    const swapped = {
      passenger: { ...own, passengerId: others.passengerId, otherPassengerId: own.passengerId, memberId: others.memberId, caseId: others.caseId, caseNumber: others.caseNumber },
      partner: { ...own, partnerCode: others.partnerCode, otherPartnerCode: own.partnerCode },
    };
    for (const role of ['passenger', 'partner'] as const) {
      if (!entry.allow.includes(role) || entry.allow.includes('anonymous')) continue;
      const theirs = entry.request(swapped[role]);
      if (JSON.stringify(theirs) === JSON.stringify(entry.request(own))) continue; // not scoped to this role's own data
      expect({ role, status: await attempt(entry, role, theirs) }).toEqual({ role, status: 403 });
    }
  });
});
