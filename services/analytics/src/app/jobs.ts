import { cleanupProcessedEvents } from '@csm/platform/events';
import type { Logger } from '@csm/platform/logging';
import type { SqlDb } from '@csm/platform/stores';
import type { Config } from '../config';
import type { AnalyticsApp } from './analytics-app';

/** Timers for the early-warning rules and re-segmentation (0 disables one; the RPCs run them on demand). */
/** Dedupe records are kept 7 days (the kit's advice): a redelivery later than that is not expected within a generation. */
const PROCESSED_EVENTS_RETENTION_MS = 7 * 24 * 3_600_000;

export function startJobs(app: AnalyticsApp, db: SqlDb, config: Config, logger: Logger, onRaised: () => void): { close(): Promise<void> } {
  const timers: NodeJS.Timeout[] = [];
  let running: Promise<unknown> = Promise.resolve();
  const every = (ms: number, name: string, fn: () => Promise<unknown>) => {
    if (ms <= 0) return;
    const t = setInterval(() => {
      running = running.then(fn).catch((err: unknown) => logger.error({ err, job: name }, 'analytics job failed'));
    }, ms);
    t.unref();
    timers.push(t);
  };
  every(config.CSM_ANALYTICS_ALERT_INTERVAL_MS, 'alerts', async () => {
    if ((await app.evaluateAlerts()).length > 0) onRaised();
  });
  every(config.CSM_ANALYTICS_SEGMENT_INTERVAL_MS, 'segmentation', () => app.runSegmentation());
  every(3_600_000, 'processed-events cleanup', () => cleanupProcessedEvents(db, { retentionMs: PROCESSED_EVENTS_RETENTION_MS }));
  return {
    close: async () => {
      for (const t of timers) clearInterval(t);
      await running;
    },
  };
}
