import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one Prometheus registry of the process: every metric of every service (and, in embedded mode, of every
 * service sharing the process) registers here and `/metrics` serves it.
 */
export const metricsRegistry = new Registry();

let defaultMetricsOn = false;

/** Node process metrics (CPU, memory, event-loop lag, GC, handles), registered once. */
export function enableDefaultMetrics(): void {
  if (defaultMetricsOn) return;
  defaultMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

export interface MetricOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds in the metric's unit (seconds for durations). */
  readonly buckets?: readonly number[];
}

/** Latency buckets in seconds, 5 ms … 10 s. */
export const LATENCY_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Get-or-create: the same name returns the same metric, so modules and tests can declare metrics freely. */
export function counter<L extends string = string>(options: MetricOptions<L>): Counter<L> {
  return existing<Counter<L>>(options.name, Counter) ?? new Counter<L>({ ...labelled(options), registers: [metricsRegistry] });
}

export function gauge<L extends string = string>(options: MetricOptions<L>): Gauge<L> {
  return existing<Gauge<L>>(options.name, Gauge) ?? new Gauge<L>({ ...labelled(options), registers: [metricsRegistry] });
}

export function histogram<L extends string = string>(options: HistogramOptions<L>): Histogram<L> {
  return (
    existing<Histogram<L>>(options.name, Histogram) ??
    new Histogram<L>({
      ...labelled(options),
      buckets: [...(options.buckets ?? LATENCY_BUCKETS)],
      registers: [metricsRegistry],
    })
  );
}

function labelled<L extends string>(options: MetricOptions<L>): { name: string; help: string; labelNames: L[] } {
  return { name: options.name, help: options.help, labelNames: [...(options.labelNames ?? [])] };
}

function existing<M>(name: string, kind: abstract new (...args: never[]) => unknown): M | undefined {
  const found = metricsRegistry.getSingleMetric(name);
  if (found === undefined) return undefined;
  if (!(found instanceof kind)) throw new Error(`metric ${name} is already registered as a different type`);
  return found as M;
}
