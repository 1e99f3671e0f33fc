import { credentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { cases, type DeepPartial } from '@csm/contracts';
import { loadConfig, type Env } from '@csm/platform/config';
import { callUnary, createGrpcServer, type GrpcServer, type RequestOf, type ResponseOf, type UnaryMethodName } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import type { RunningService } from '@csm/platform/runtime';
import { createDevIssuer, type DevIssuer, type Role } from '@csm/platform/security';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema } from '../src/config';
import * as service from '../src/service';

export const silent = createLogger({ service: 'test', level: (process.env.CASES_TEST_LOG as 'info' | undefined) ?? 'silent' });

/** Tokens for the roles a test acts as (dev issuer; the service verifies them like production tokens). */
export class Tokens {
  private constructor(readonly issuer: DevIssuer) {}
  static async create(): Promise<Tokens> {
    return new Tokens(await createDevIssuer());
  }
  verifyToken() {
    const v = this.issuer.verifier();
    return (token: string) => v.verify(token);
  }
  as(sub: string, roles: Role[], profileId?: string): Promise<string> {
    return this.issuer.issue({ sub, roles, ...(profileId ? { profileId } : {}) });
  }
}

export interface Booted {
  running: RunningService;
  client: cases.CaseServiceClient;
  stop(): Promise<void>;
}

/** Starts the service like main.ts does (config from env), port 0, with test overrides. */
export async function boot(env: Env, overrides: service.CasesOverrides): Promise<Booted> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-cases-'));
  const config = loadConfig(configSchema, { CSM_GRPC_PORT: '0', CSM_GRPC_HOST: '127.0.0.1', CSM_METRICS_PORT: '0', CSM_DATA_DIR: dataDir, CSM_SHUTDOWN_GRACE_MS: '2000', ...env });
  const running = await service.start({ config, logger: silent, ...overrides });
  const client = new cases.CaseServiceClient(`127.0.0.1:${running.port}`, credentials.createInsecure());
  return {
    running,
    client,
    stop: async () => {
      client.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A typed unary call with a bearer token. */
type Client = cases.CaseServiceClient;
export function call<K extends UnaryMethodName<Client>>(client: Client, method: K, token: string, request: DeepPartial<RequestOf<Client[K]>>): Promise<ResponseOf<Client[K]>> {
  // ts-proto's encoders need every field: build the full message from the partial one.
  const codec = (cases as unknown as Record<string, { fromPartial(o: unknown): unknown }>)[`${method[0]?.toUpperCase()}${method.slice(1)}Request`];
  if (!codec) throw new Error(`no request message for ${method}`);
  return callUnary(client, method, codec.fromPartial(request) as RequestOf<Client[K]>, { authorization: token });
}

/** A throw-away gRPC server implementing part of another service's contract (a test double of the real service). */
export function fakeServer(definition: ServiceDefinition, implementation: Record<string, unknown>): Promise<GrpcServer> {
  return createGrpcServer({
    serviceName: 'fake',
    logger: silent,
    host: '127.0.0.1',
    port: 0,
    services: [{ definition, implementation: implementation as UntypedServiceImplementation }],
  });
}

export const uid = () => Math.random().toString(36).slice(2, 10);
