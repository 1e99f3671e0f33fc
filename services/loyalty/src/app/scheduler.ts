// Runs the periodic jobs (lapsed holds, expiry, tier period-end) in every replica; the jobs themselves make each
// result happen once, so no leader election is needed.
import type { AppDeps } from './deps';
import { runExpiry, runTierEvaluation } from './jobs';
import { releaseLapsedHolds } from './redemption';

export interface Scheduler {
  runNow(): Promise<void>;
  close(): Promise<void>;
}

export function startScheduler(deps: AppDeps, intervalMs: number): Scheduler {
  let running: Promise<void> | undefined;
  let closed = false;
  const cycle = async () => {
    await releaseLapsedHolds(deps);
    const expiry = await runExpiry(deps, '');
    const tiers = await runTierEvaluation(deps, '');
    if (expiry.members > 0 || tiers.evaluated > 0) deps.logger.info({ expiry, tiers }, 'loyalty jobs ran');
  };
  const runNow = () =>
    (running ??= cycle()
      .catch((err: unknown) => deps.logger.error({ err }, 'loyalty jobs failed; retrying next interval'))
      .finally(() => {
        running = undefined;
      }));
  const timer = intervalMs > 0 ? setInterval(() => void (closed ? undefined : runNow()), intervalMs) : undefined;
  timer?.unref();
  return {
    runNow,
    close: async () => {
      closed = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
