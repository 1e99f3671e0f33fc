import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DevIssuer, IssueRequest, Role } from '@csm/platform/security';
import type { DemoManifest } from './demo/manifest';

/** Roles a channel or back-office user can have (the `service` role is for services only). */
export const DEMO_ROLES = ['passenger', 'agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'analyst', 'partner', 'ops', 'admin'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];
export type DemoTokens = Partial<Record<DemoRole, string>>;

export const TOKENS_FILE = 'demo-tokens.json';
export const DEFAULT_TOKEN_TTL_SEC = 12 * 3600;

/**
 * What each demo token asserts. The passenger token is a real seeded passenger and the partner token the real demo
 * partner, so their "own data only" rules have data to show; without the demo data set those two are not issued
 * (a passenger or partner token must name a profile or partner code, and there is none).
 */
export function demoTokenRequests(demo: DemoManifest | undefined): Partial<Record<DemoRole, Omit<IssueRequest, 'ttlSec'>>> {
  const staff = (sub: string, role: Role, scopes: string[] = []) => ({ sub, roles: [role], ...(scopes.length > 0 ? { scopes } : {}) });
  return {
    ...(demo ? { passenger: { sub: demo.demoPassengerId, roles: ['passenger'] as Role[], profileId: demo.demoPassengerId } } : {}),
    agent_l1: staff('demo-agent-l1', 'agent_l1'),
    agent_l2: staff('demo-agent-l2', 'agent_l2'),
    agent_l3: staff('demo-agent-l3', 'agent_l3'),
    supervisor: staff('demo-supervisor', 'supervisor', ['pii:read']),
    analyst: staff('demo-analyst', 'analyst'),
    ...(demo ? { partner: { sub: `partner:${demo.demoPartnerCode}`, roles: ['partner'] as Role[], partnerCode: demo.demoPartnerCode, scopes: ['accruals:write', 'accruals:read', 'reconciliation:read'] } } : {}),
    ops: staff('demo-ops', 'ops'),
    admin: staff('demo-admin', 'admin', ['pii:read']),
  };
}

/** One token per role, also written (0600) next to the data so a newcomer can call the API right away. */
export async function issueDemoTokens(issuer: DevIssuer, demo: DemoManifest | undefined, dataDir: string, ttlSec: number): Promise<{ tokens: DemoTokens; file: string }> {
  const tokens: DemoTokens = {};
  for (const [role, req] of Object.entries(demoTokenRequests(demo)) as [DemoRole, Omit<IssueRequest, 'ttlSec'>][]) {
    tokens[role] = await issuer.issue({ ...req, ttlSec });
  }
  const file = path.join(dataDir, TOKENS_FILE);
  writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  return { tokens, file };
}
