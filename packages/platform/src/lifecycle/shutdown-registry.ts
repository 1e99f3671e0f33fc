/** Shutdown steps run in ascending order; these are the conventional slots. */
export const ShutdownOrder = {
  /** Stop taking requests and drain in-flight calls (gRPC server, HTTP gateway). */
  server: 100,
  /** Stop Kafka consumers and the outbox relay (after the server: in-flight calls may still enqueue events). */
  consumers: 200,
  /** Close pg pools, mongoose connections, embedded stores. */
  stores: 300,
  /** Flush spans, close the metrics endpoint. */
  telemetry: 400,
} as const;

export type ShutdownFn = () => Promise<void> | void;

export interface ShutdownStep {
  readonly name: string;
  readonly order: number;
  readonly fn: ShutdownFn;
}

/** An ordered list of shutdown steps; steps with the same order run in registration order. */
export class ShutdownRegistry {
  private readonly steps: ShutdownStep[] = [];

  /** Registers `fn`; returns a function that unregisters it. */
  add(fn: ShutdownFn, order: number, name: string = fn.name || `step@${order}`): () => void {
    const step: ShutdownStep = { name, order, fn };
    this.steps.push(step);
    return () => {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
    };
  }

  ordered(): readonly ShutdownStep[] {
    return this.steps.map((step, index) => ({ step, index })).sort((a, b) => a.step.order - b.step.order || a.index - b.index).map((x) => x.step);
  }
}

/** The process-wide registry used by onShutdown/installSignalHandlers. */
export const shutdownRegistry = new ShutdownRegistry();

/**
 * Registers a step to run on SIGTERM/SIGINT, e.g.
 * `onShutdown(() => server.shutdown({ graceMs }), ShutdownOrder.server, 'grpc server')`.
 */
export function onShutdown(fn: ShutdownFn, order: number, name?: string): () => void {
  return shutdownRegistry.add(fn, order, name);
}
