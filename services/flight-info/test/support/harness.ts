import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CargoServiceClient } from '@csm/contracts/gen/csm/flightinfo/v1/cargo_service';
import { FlightInfoServiceClient } from '@csm/contracts/gen/csm/flightinfo/v1/flight_info_service';
import { loadConfig, type Env } from '@csm/platform/config';
import type { CloudEvent, EventBus, PublishRecord } from '@csm/platform/events';
import { callUnary, createGrpcClient, type RequestOf, type ResponseOf, type UnaryMethodName } from '@csm/platform/grpc';
import { createLogger } from '@csm/platform/logging';
import type { RunningService } from '@csm/platform/runtime';
import { createDevIssuer, type Role } from '@csm/platform/security';
import { configSchema } from '../../src/config';
import { start } from '../../src/service';

/** Records what the relay publishes (unit tests only: the real buses have their own contract suite). */
export class RecordingBus implements EventBus {
  readonly kind = 'in-process' as EventBus['kind'];
  readonly events: CloudEvent[] = [];
  publish(records: readonly PublishRecord[]): Promise<void> {
    for (const r of records) this.events.push(r.event);
    return Promise.resolve();
  }
  subscribe(): never {
    throw new Error('RecordingBus does not deliver');
  }
  ensureTopics(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Harness {
  readonly running: RunningService;
  readonly flights: InstanceType<typeof FlightInfoServiceClient>;
  readonly cargo: InstanceType<typeof CargoServiceClient>;
  /** Bearer tokens by role. */
  readonly tokens: Record<'ops' | 'agent' | 'passenger' | 'forwarderA' | 'forwarderB', string>;
  stop(): Promise<void>;
}

/** Starts the service on port 0 with a dev token issuer and returns gRPC clients for both of its services. */
export async function startHarness(env: Env, bus?: EventBus): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-flight-info-'));
  const config = loadConfig(configSchema, {
    CSM_GRPC_PORT: '0',
    CSM_GRPC_HOST: '127.0.0.1',
    CSM_METRICS_PORT: '0',
    CSM_DATA_DIR: dataDir,
    CSM_SHUTDOWN_GRACE_MS: '2000',
    CSM_CARGO_RCF_SCAN_INTERVAL_MS: '0',
    ...env,
  });
  const issuer = await createDevIssuer();
  const verifier = issuer.verifier();
  const logger = createLogger({ service: 'flight-info-test', level: 'silent' });
  const running = await start(bus ? { config, logger, bus } : { config, logger }, { verifyToken: (t) => verifier.verify(t) });
  const address = `127.0.0.1:${running.port}`;
  const flights = createGrpcClient(FlightInfoServiceClient, address, { deadlineMs: 60_000 });
  const cargo = createGrpcClient(CargoServiceClient, address, { deadlineMs: 60_000 });
  const token = (sub: string, roles: Role[], extra: { profileId?: string; partnerCode?: string } = {}) => issuer.issue({ sub, roles, ...extra });
  const tokens = {
    ops: await token('ops-feed', ['ops']),
    agent: await token('agent-1', ['agent_l1']),
    passenger: await token('pax', ['passenger'], { profileId: 'pax_01J0000000000000000000000A' }),
    forwarderA: await token('fwd-a-user', ['partner'], { partnerCode: 'FWDA' }),
    forwarderB: await token('fwd-b-user', ['partner'], { partnerCode: 'FWDB' }),
  };
  return {
    running,
    flights,
    cargo,
    tokens,
    stop: async () => {
      flights.close();
      cargo.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Typed unary call with an optional bearer token. */
export function call<C extends InstanceType<typeof FlightInfoServiceClient> | InstanceType<typeof CargoServiceClient>, K extends UnaryMethodName<C>>(
  client: C,
  method: K,
  request: RequestOf<C[K]>,
  token?: string,
): Promise<ResponseOf<C[K]>> {
  return callUnary(client, method, request, token === undefined ? {} : { authorization: token });
}

/** Polls until `check` passes or `timeoutMs` elapses (events are published asynchronously by the relay). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
