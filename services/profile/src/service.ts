import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { startService, type Closable } from '@csm/platform/service';
import { connectMongo } from '@csm/platform/stores/mongo';
import type { Config } from './config';

export const SERVICE_NAME = 'profile';

/**
 * Skeleton: in cluster mode connects to MongoDB (health stays NOT_SERVING until it answers) and serves health and
 * reflection. The embedded profile store and the RPCs arrive with the profile issue.
 */
export function start({ config, logger }: ServiceContext<Config>): Promise<RunningService> {
  return startService({
    name: SERVICE_NAME,
    config,
    logger,
    open: async () => {
      const closables: Closable[] = [];
      if (config.CSM_MONGO_URL !== undefined) {
        const mongo = await connectMongo({ url: config.CSM_MONGO_URL, appName: 'csm-profile', logger });
        await mongo.ping();
        closables.push(mongo);
      }
      return { closables };
    },
    register: () => [],
  });
}
