import type { AddressInfo } from 'node:net';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { once, serviceTokenVerifier } from '@csm/platform/service';
import { createBackends } from './backends/clients';
import { upstreams, type Config } from './config';
import { createApp } from './http/app';
import { answerClientErrors } from './http/client-error';
import { routeTable } from './routes';

export const SERVICE_NAME = 'gateway';

/** Starts the HTTP server; stop() fails readiness, stops accepting and lets in-flight requests finish. */
export async function start({ config, logger, verifyToken: injected }: ServiceContext<Config>): Promise<RunningService> {
  let accepting = true;
  const addresses = upstreams(config);
  const backends = createBackends(addresses, { deadlineMs: config.CSM_UPSTREAM_DEADLINE_MS });
  // Every request carries a token: the kit's verifier checks each distinct one's signature at most once a minute.
  const verifyToken = serviceTokenVerifier({ config, logger, injected });
  const app = createApp({
    config,
    routes: routeTable({ upstreams: addresses, healthTimeoutMs: config.CSM_UPSTREAM_HEALTH_TIMEOUT_MS, sectionDeadlineMs: config.CSM_360_SECTION_DEADLINE_MS }),
    backends,
    verifyToken,
    logger,
    isAccepting: () => accepting,
  });
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(config.CSM_HTTP_PORT, config.CSM_HTTP_HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  answerClientErrors(server);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'gateway listening');
  return {
    name: SERVICE_NAME,
    port,
    stop: once(async () => {
      accepting = false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, config.CSM_SHUTDOWN_GRACE_MS);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      backends.close();
    }),
  };
}
