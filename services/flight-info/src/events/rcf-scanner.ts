import type { Logger } from '@csm/platform/logging';
import type { CargoApp } from '../app/cargo-app';

/**
 * Periodically raises RCF_OVERDUE exceptions (no "received from flight" within the configured time after the
 * flight's arrival). Safe with several replicas: each shipment is flagged in the same transaction as its event.
 */
export function startRcfScanner(cargo: CargoApp, intervalMs: number, logger: Logger): { close(): Promise<void> } {
  if (intervalMs <= 0) return { close: () => Promise.resolve() };
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = cargo
      .scanMissingRcf()
      .then((n) => {
        if (n > 0) logger.info({ raised: n }, 'missing-RCF exceptions raised');
      })
      .catch((err: unknown) => logger.error({ err }, 'missing-RCF scan failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
