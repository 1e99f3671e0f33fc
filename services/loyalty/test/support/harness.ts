// Boots the loyalty service for a test: real gRPC server on port 0, dev-issuer tokens, typed clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loyalty } from '@csm/contracts';
import { loadConfig, type Env } from '@csm/platform/config';
import type { EventBus } from '@csm/platform/events';
import { callUnary, createGrpcClient, type RequestOf, type ResponseOf, type UnaryMethodName } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import type { RunningService } from '@csm/platform/runtime';
import { createDevIssuer, type DevIssuer, type IssueRequest } from '@csm/platform/security';
import { ulid } from 'ulid';
import type { AppDeps } from '../../src/app/deps';
import { configSchema } from '../../src/config';
import { startLoyalty, type LoyaltyOptions } from '../../src/service';

export type Deps = AppDeps & { runJobs: () => Promise<void> };

export interface Harness {
  readonly running: RunningService;
  readonly deps: Deps;
  readonly issuer: DevIssuer;
  readonly members: loyalty.LoyaltyServiceClient;
  readonly partners: loyalty.PartnerServiceClient;
  token(req: IssueRequest): Promise<string>;
  call<K extends UnaryMethodName<loyalty.LoyaltyServiceClient>>(token: string, method: K, req: RequestOf<loyalty.LoyaltyServiceClient[K]>): Promise<ResponseOf<loyalty.LoyaltyServiceClient[K]>>;
  callPartner<K extends UnaryMethodName<loyalty.PartnerServiceClient>>(token: string, method: K, req: RequestOf<loyalty.PartnerServiceClient[K]>): Promise<ResponseOf<loyalty.PartnerServiceClient[K]>>;
  stop(): Promise<void>;
}

export async function startHarness(env: Env, options: Omit<LoyaltyOptions, 'verifyToken' | 'onReady'> & { bus?: EventBus; issuer?: DevIssuer } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-loyalty-'));
  const config = loadConfig(configSchema, {
    CSM_GRPC_PORT: '0',
    CSM_GRPC_HOST: '127.0.0.1',
    CSM_METRICS_PORT: '0',
    CSM_DATA_DIR: dataDir,
    CSM_SHUTDOWN_GRACE_MS: '2000',
    CSM_LOYALTY_JOB_INTERVAL_MS: '0',
    ...env,
  });
  const issuer = options.issuer ?? (await createDevIssuer());
  const verifier = issuer.verifier();
  let deps: Deps | undefined;
  const logger = createLogger({ service: 'loyalty-test', level: 'silent' });
  const running = await startLoyalty(
    { config, logger, ...(options.bus ? { bus: options.bus } : {}) },
    { ...options, verifyToken: (t) => verifier.verify(t), onReady: (d) => (deps = d) },
  );
  const address = `127.0.0.1:${running.port}`;
  const members = createGrpcClient(loyalty.LoyaltyServiceClient, address, { deadlineMs: 30_000 });
  const partners = createGrpcClient(loyalty.PartnerServiceClient, address, { deadlineMs: 30_000 });
  return {
    running,
    deps: deps as Deps,
    issuer,
    members,
    partners,
    token: (req) => issuer.issue(req),
    call: (token, method, req) => callUnary(members, method, req, { authorization: token }),
    callPartner: (token, method, req) => callUnary(partners, method, req, { authorization: token }),
    stop: async () => {
      members.close();
      partners.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const newPassengerId = (): string => `pax_${ulid()}`;

/** Sum of postings per account vs the cached balance, negative member balances, and the ledger's grand total. */
export async function ledgerInvariants(deps: AppDeps): Promise<{ mismatches: number; negative: number; total: number; unbalanced: number }> {
  const mism = await deps.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM accounts a
       LEFT JOIN (SELECT account_id, sum(amount) AS s FROM postings GROUP BY account_id) p ON p.account_id = a.id
      WHERE a.member_id IS NOT NULL AND a.balance <> coalesce(p.s, 0)`,
  );
  const neg = await deps.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT account_id, sum(amount) AS s FROM postings WHERE account_id NOT LIKE 'sys:%' GROUP BY account_id) x WHERE s < 0`,
  );
  const total = await deps.db.query<{ s: string | null }>(`SELECT sum(amount) AS s FROM postings`);
  const unb = await deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT transaction_id FROM postings GROUP BY transaction_id HAVING sum(amount) <> 0) x`);
  return { mismatches: Number(mism.rows[0]?.n), negative: Number(neg.rows[0]?.n), total: Number(total.rows[0]?.s ?? 0), unbalanced: Number(unb.rows[0]?.n) };
}
