import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { openServiceDb, startService } from '@csm/platform/service';
import type { Config } from './config';
import { migrations } from './store/migrations';

export const SERVICE_NAME = 'flight-info';

/** Skeleton: opens its database (migrations applied) and serves health and reflection; RPCs arrive with its issue. */
export function start({ config, logger }: ServiceContext<Config>): Promise<RunningService> {
  return startService({
    name: SERVICE_NAME,
    config,
    logger,
    open: async () => {
      const db = await openServiceDb({ service: SERVICE_NAME, url: config.CSM_PG_URL, dataDir: config.CSM_DATA_DIR, migrations, logger });
      return { db, closables: [db] };
    },
    register: () => [],
  });
}
