import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { loadConfig, type Env } from '../config/load-config';
import { checkGrpcHealth, type RemoteHealth } from '../grpc/health-client';
import { createLogger } from '../logging/logger';
import type { RunningService, ServiceModule } from '../runtime/service-module';
import { Client } from 'pg';
import type { EventBus } from '../events/ports';
import { testInfra } from './infra';
import { createTestDatabase } from './postgres';

export interface LifecycleResult {
  /** gRPC health of the whole server right after start resolved. */
  readonly afterStart: RemoteHealth;
  /** After stop(): the server no longer answers. */
  readonly afterStop: RemoteHealth;
  readonly port: number;
}

/**
 * Boots a service module the way main.ts and the embedded launcher do (config parsed from `env`, port 0, a temp data
 * dir for embedded stores), checks its standard health service, stops it, and checks it is gone.
 */
export async function runServiceLifecycle<S extends z.ZodObject>(
  module: ServiceModule<z.infer<S>>,
  configSchema: S,
  env: Env,
  inspect?: (running: RunningService) => Promise<void>,
  bus?: EventBus,
): Promise<LifecycleResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-svc-'));
  try {
    const config = loadConfig(configSchema, { CSM_GRPC_PORT: '0', CSM_GRPC_HOST: '127.0.0.1', CSM_METRICS_PORT: '0', CSM_DATA_DIR: dataDir, CSM_SHUTDOWN_GRACE_MS: '2000', ...env });
    const logger = createLogger({ service: 'test', level: 'silent' });
    const running = await module.start(bus === undefined ? { config, logger } : { config, logger, bus });
    let afterStart: RemoteHealth;
    try {
      afterStart = await checkGrpcHealth(`127.0.0.1:${running.port}`, { timeoutMs: 3_000 });
      if (inspect) await inspect(running);
    } finally {
      await running.stop();
    }
    const afterStop = await checkGrpcHealth(`127.0.0.1:${running.port}`, { timeoutMs: 1_000 });
    return { afterStart, afterStop, port: running.port };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Cluster-mode lifecycle of a PostgreSQL-backed service on a throw-away database: also returns the public tables its
 * migrations created, so a test can assert the schema it serves on.
 */
export async function runSqlServiceLifecycle<S extends z.ZodObject>(
  module: ServiceModule<z.infer<S>> & { SERVICE_NAME: string },
  configSchema: S,
): Promise<LifecycleResult & { tables: string[] }> {
  const db = await createTestDatabase(module.SERVICE_NAME.replace(/-/g, '_'));
  try {
    const result = await runServiceLifecycle(module, configSchema, {
      CSM_MODE: 'cluster',
      CSM_PG_URL: db.url,
      CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      return { ...result, tables: rows.rows.map((r) => r.table_name) };
    } finally {
      await client.end();
    }
  } finally {
    await db.drop();
  }
}
