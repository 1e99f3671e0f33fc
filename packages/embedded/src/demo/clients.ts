import { cases, flightinfo, loyalty, profile } from '@csm/contracts';
import { callUnary, createGrpcClient, type RequestOf, type ResponseOf, type UnaryMethodName } from '@csm/platform/grpc';
import type { DevIssuer, IssueRequest } from '@csm/platform/security';
import type { Client } from '@grpc/grpc-js';
import type { BackendName } from '../service-loader';

/**
 * The seed talks to the services exactly as channel frontends, operations feeds and partners do in a cluster: over
 * gRPC, each call with the bearer token of who would make it (an ops feed, an agent, a partner system, an admin).
 */
export type Persona = 'admin' | 'ops' | 'supervisor' | 'agentL1' | 'agentL2';

/** Stable subjects: idempotency keys are scoped per caller, so a re-run must present the same identities. */
const PERSONAS: Record<Persona, IssueRequest> = {
  admin: { sub: 'demo-seed-admin', roles: ['admin'], scopes: ['pii:read'] },
  ops: { sub: 'occ-feed', roles: ['ops'] },
  supervisor: { sub: 'sup.wang', roles: ['supervisor'], scopes: ['pii:read'] },
  agentL1: { sub: 'agent.chen', roles: ['agent_l1'] },
  agentL2: { sub: 'agent.li', roles: ['agent_l2'] },
};

export interface Call {
  <C extends Client, K extends UnaryMethodName<C>>(client: C, method: K, request: RequestOf<C[K]>, as: Persona | string): Promise<ResponseOf<C[K]>>;
}

export interface DemoClients {
  readonly profile: profile.ProfileServiceClient;
  readonly loyalty: loyalty.LoyaltyServiceClient;
  readonly partners: loyalty.PartnerServiceClient;
  readonly flights: flightinfo.FlightInfoServiceClient;
  readonly cases: cases.CaseServiceClient;
  /** Calls `method` as a persona, or with a raw bearer token (partners). */
  readonly call: Call;
  /** A partner system's token (role partner, its own code, the accrual scope). */
  partnerToken(code: string): Promise<string>;
  /** A passenger's own token (self-service channels: the app, the web site). */
  passengerToken(profileId: string): Promise<string>;
  close(): void;
}

export async function openDemoClients(issuer: DevIssuer, addresses: Readonly<Record<BackendName, string>>): Promise<DemoClients> {
  const tokens = new Map<string, string>();
  for (const [name, req] of Object.entries(PERSONAS)) tokens.set(name, await issuer.issue({ ...req, ttlSec: 3600 }));
  // Bulk calls (a week's schedule) take longer than an interactive call on PGlite: a generous deadline.
  const opts = { deadlineMs: 60_000 };
  const clients = {
    profile: createGrpcClient(profile.ProfileServiceClient, addresses.profile, opts),
    loyalty: createGrpcClient(loyalty.LoyaltyServiceClient, addresses.loyalty, opts),
    partners: createGrpcClient(loyalty.PartnerServiceClient, addresses.loyalty, opts),
    flights: createGrpcClient(flightinfo.FlightInfoServiceClient, addresses['flight-info'], opts),
    cases: createGrpcClient(cases.CaseServiceClient, addresses.cases, opts),
  };
  const call: Call = (client, method, request, as) => callUnary(client, method, request, { authorization: tokens.get(as) ?? as });
  return {
    ...clients,
    call,
    partnerToken: (code) => issuer.issue({ sub: `partner:${code}`, roles: ['partner'], partnerCode: code, scopes: ['accruals:write', 'accruals:read'], ttlSec: 3600 }),
    passengerToken: (profileId) => issuer.issue({ sub: profileId, roles: ['passenger'], profileId, ttlSec: 3600 }),
    close: () => {
      for (const c of Object.values(clients)) c.close();
    },
  };
}
