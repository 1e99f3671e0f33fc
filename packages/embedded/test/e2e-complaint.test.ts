import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@csm/platform/logging';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../src';
import type { DemoManifest } from '../src/demo/manifest';
import { send, type Exchange } from './support/http';

// End to end through the gateway, as channels use it, on the whole platform in embedded mode: a passenger files a
// complaint about a delayed flight on the web; an L1 agent classifies it, takes it, works it and compensates with
// miles (the member's balance changes in loyalty); the case is resolved, the passenger rates it, the case is
// closed, and analytics (fed only by the events) shows the case and the survey in its KPIs.
jest.setTimeout(240_000);

const logger = createLogger({ service: 'e2e', level: 'silent' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-e2e-'));
let platform: EmbeddedPlatform;
let demo: DemoManifest;

beforeAll(async () => {
  platform = await startEmbeddedPlatform({ dataDir, ports: 'ephemeral', logger, env: { CSM_RATE_LIMIT_MAX: '0' } });
  demo = platform.demo as DemoManifest;
});

afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const api = (method: string, p: string, token: string | undefined, opts: { body?: unknown; query?: Record<string, string> } = {}) => send(platform.gatewayUrl, method, p, { token, ...opts });

function ok(res: Exchange, status = 200): Record<string, unknown> {
  expect({ status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ status, body: undefined });
  return res.body;
}

/** Polls until `check` passes (analytics is fed asynchronously by the event bus). */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface KpiValue {
  value?: number;
  sampleSize?: number;
}

test('a complaint about a delayed flight: filed, classified, assigned, compensated with miles, resolved, surveyed, and in the KPIs', async () => {
  const { passenger, agent_l1: agent, analyst } = platform.tokens as Record<string, string>;
  const passengerId = demo.demoPassengerId;
  const [, carrier, number, date] = /^([A-Z0-9]{2})(\d+[A-Z]?)\/(\d{4}-\d{2}-\d{2})$/.exec(demo.flights.delayed[0] ?? '') ?? [];
  expect(carrier).toBeDefined();
  const flight = ok(await api('get', `/flights/${carrier}/${number}/${date}`, passenger)).flight as { departureDelayMinutes?: number; arrivalDelayMinutes?: number };
  expect(Math.max(flight.departureDelayMinutes ?? 0, flight.arrivalDelayMinutes ?? 0)).toBeGreaterThan(60);

  const kpiScope = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
  const kpi = async (name: string, filter?: string): Promise<KpiValue> => {
    const res = ok(await api('get', `/analytics/kpis/${name}`, analyst, { query: { ...kpiScope, ...(filter ? { filter } : {}) } }));
    return ((res.values as KpiValue[] | undefined) ?? [])[0] ?? {};
  };
  const volumeBefore = (await kpi('KPI_CASE_VOLUME', 'DIMENSION_CATEGORY:flight.delay')).value ?? 0;
  const csatBefore = (await kpi('KPI_CSAT')).sampleSize ?? 0;
  const balanceBefore = Number((ok(await api('get', `/passengers/${passengerId}/membership/balance`, passenger)).balance as { availableMiles?: number }).availableMiles ?? 0);

  // 1. Filed by the passenger on the web, about the delayed flight.
  const opened = ok(
    await api('post', '/cases', passenger, {
      body: {
        channel: 'CHANNEL_WEB',
        kind: 'CASE_KIND_COMPLAINT',
        subject: `Flight ${carrier}${number} delayed for hours`,
        description: `My flight ${carrier}${number} on ${date} was delayed by more than four hours and nobody told us why. I missed my meeting.`,
        language: 'en',
        links: { flight: { carrier, number, date } },
      },
    }),
    201,
  ).case as { id: string; caseNumber: string; state: string; passengerId: string };
  expect(opened.state).toBe('CASE_STATE_NEW');
  expect(opened.passengerId).toBe(passengerId);
  const caseUrl = `/cases/${opened.id}`;

  // 2. Classified by the agent: a flight-delay complaint.
  const classified = ok(await api('put', `${caseUrl}/classification`, agent, { body: { categoryCode: 'flight.delay', impact: 'IMPACT_MODERATE' } })).case as { classification?: { categoryCode?: string; severity?: string } };
  expect(classified.classification?.categoryCode).toBe('flight.delay');
  expect(classified.classification?.severity).toMatch(/^SEVERITY_/);

  // 3. Assigned: the agent takes it (first-contact ownership) and starts work.
  const assigned = ok(await api('put', `${caseUrl}/assignment`, agent, { body: { agentId: 'demo-agent-l1' } })).case as { assignment?: { ownerAgentId?: string } };
  expect(assigned.assignment?.ownerAgentId).toBe('demo-agent-l1');
  ok(await api('post', `${caseUrl}/transitions`, agent, { body: { targetState: 'CASE_STATE_ACKNOWLEDGED' } }));
  ok(await api('post', `${caseUrl}/transitions`, agent, { body: { targetState: 'CASE_STATE_INVESTIGATING' } }));

  // 4. Compensated with miles, within the L1 approval limit; loyalty credits the member.
  const grant = ok(await api('post', `${caseUrl}/compensations`, agent, { body: { compensationKind: 'COMPENSATION_KIND_MILES', miles: 800, reason: 'Goodwill for the long delay' } }), 201);
  expect(JSON.stringify(grant)).toContain('COMPENSATION_STATUS_GRANTED');
  const balanceAfter = Number((ok(await api('get', `/passengers/${passengerId}/membership/balance`, passenger)).balance as { availableMiles?: number }).availableMiles ?? 0);
  expect(balanceAfter - balanceBefore).toBe(800);

  // 5. Resolved, 6. surveyed by the passenger, then followed up and closed.
  ok(await api('post', `${caseUrl}/transitions`, agent, { body: { targetState: 'CASE_STATE_RESOLVED', resolution: { code: 'compensated', summary: 'Apologised for the delay; 800 miles credited.' } } }));
  ok(await api('put', `${caseUrl}/survey`, passenger, { body: { csat: 4, nps: 8, comment: 'Quick and fair, thank you.' } }));
  ok(await api('post', `${caseUrl}/transitions`, agent, { body: { targetState: 'CASE_STATE_FOLLOW_UP' } }));
  const closed = ok(await api('post', `${caseUrl}/transitions`, agent, { body: { targetState: 'CASE_STATE_CLOSED', satisfactionOutcome: 'SATISFACTION_OUTCOME_SATISFIED' } })).case as { state: string };
  expect(closed.state).toBe('CASE_STATE_CLOSED');
  const seen = ok(await api('get', caseUrl, passenger)).case as { state: string };
  expect(seen.state).toBe('CASE_STATE_CLOSED');

  // 7. In the KPIs: one more flight-delay case, one more CSAT response.
  const volume = await eventually(() => kpi('KPI_CASE_VOLUME', 'DIMENSION_CATEGORY:flight.delay'), (v) => (v.value ?? 0) >= volumeBefore + 1);
  expect(volume.value).toBe(volumeBefore + 1);
  const csat = await eventually(() => kpi('KPI_CSAT'), (v) => (v.sampleSize ?? 0) >= csatBefore + 1);
  expect(csat.sampleSize).toBe(csatBefore + 1);
});
