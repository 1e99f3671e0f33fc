import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { loadConfig, type Env } from '../config/load-config';
import { checkGrpcHealth, type RemoteHealth } from '../grpc/health-client';
import { createLogger } from '../logging/logger';
import type { RunningService, ServiceModule } from '../runtime/service-module';

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
): Promise<LifecycleResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'csm-svc-'));
  try {
    const config = loadConfig(configSchema, { CSM_GRPC_PORT: '0', CSM_GRPC_HOST: '127.0.0.1', CSM_METRICS_PORT: '0', CSM_DATA_DIR: dataDir, CSM_SHUTDOWN_GRACE_MS: '2000', ...env });
    const running = await module.start({ config, logger: createLogger({ service: 'test', level: 'silent' }) });
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
