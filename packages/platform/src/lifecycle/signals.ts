import type { Logger } from '../logging/logger';
import { shutdownRegistry, type ShutdownRegistry } from './shutdown-registry';

export interface SignalHandlerOptions {
  readonly logger: Logger;
  /** Grace the server drain gets (pass the same value to server.shutdown); default 10 s. */
  readonly graceMs?: number;
  /** Hard limit for all steps together; past it the process exits 1. Default graceMs + 5 s. */
  readonly timeoutMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** For tests: the registry to run and how to exit. */
  readonly registry?: ShutdownRegistry;
  readonly exit?: (code: number) => void;
}

export interface SignalHandlers {
  /** Runs the shutdown sequence now (e.g. after a fatal start-up error) and exits; resolves with the exit code. */
  shutdown(reason: string): Promise<number>;
  /** Removes the signal listeners. */
  uninstall(): void;
}

/**
 * On SIGTERM/SIGINT runs the registered steps in order (server drain → consumers → stores → telemetry), one log
 * line per step, then exits 0; a failing step is logged and the rest still run, and the exit code is 1; past
 * `timeoutMs` the process exits 1 at once. A second signal while shutting down exits 1 immediately.
 */
export function installSignalHandlers(options: SignalHandlerOptions): SignalHandlers {
  const { logger } = options;
  const graceMs = options.graceMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? graceMs + 5_000;
  const registry = options.registry ?? shutdownRegistry;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let running: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    if (running !== undefined) return running;
    running = runSteps(reason);
    return running;
  };

  const runSteps = async (reason: string): Promise<number> => {
    const startedAt = Date.now();
    logger.info({ reason, timeoutMs }, 'shutdown started');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const steps = (async () => {
      let failed = false;
      for (const step of registry.ordered()) {
        const stepStart = Date.now();
        try {
          await step.fn();
          logger.info({ step: step.name, durationMs: Date.now() - stepStart }, `shutdown: ${step.name} done`);
        } catch (err) {
          failed = true;
          logger.error({ step: step.name, durationMs: Date.now() - stepStart, err }, `shutdown: ${step.name} failed`);
        }
      }
      return failed ? 1 : 0;
    })();
    const outcome = await Promise.race([steps, timedOut]);
    clearTimeout(timer);
    const code = outcome === 'timeout' ? 1 : outcome;
    if (outcome === 'timeout') logger.error({ timeoutMs }, 'shutdown timed out; exiting 1');
    else logger.info({ durationMs: Date.now() - startedAt, exitCode: code }, `shutdown complete; exiting ${code}`);
    exit(code);
    return code;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running !== undefined) {
      logger.warn({ signal }, 'second signal during shutdown; exiting 1 now');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return {
    shutdown,
    uninstall: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
