import { createIdempotentBatchHandler, type CloudEvent, type EventBus, type Subscription } from '@csm/platform/events';
import type { Logger } from '@csm/platform/logging';
import type { SqlDb } from '@csm/platform/stores';
import { histogram } from '@csm/platform/telemetry';
import { PROJECTION_TABLES } from '../store/star-schema.sql';
import { PROJECTED_DOMAINS, projectEvents, topicOf, type ProjectedDomain } from './project';

/** Event time → projection commit time, per consumer: the freshness SREs alert on. */
export const projectionLag = histogram<'consumer'>({
  name: 'csm_analytics_projection_lag_seconds',
  help: 'Time from a domain event (CloudEvents time) to its projection being committed, per analytics consumer',
  labelNames: ['consumer'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

export interface ProjectionRunnerOptions {
  readonly db: SqlDb;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly timeZone: string;
  /** How often to look for a generation bumped by another replica's rebuild. */
  readonly generationPollMs: number;
  /** Most events projected in one transaction (the bus's batch size). Default: the kit's (500). */
  readonly maxBatchSize?: number;
  /** Called after each handled delivery with its event → projection lag (benchmarks, tests). */
  readonly onApplied?: (domain: ProjectedDomain, lagMs: number) => void;
}

export interface ProjectionRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resets every projection and replays all topics from the beginning through fresh consumer groups. */
  rebuild(): Promise<number>;
  generation(): number;
  /** Deliveries handled by this process's consumers of the current generation, duplicates included. */
  deliveries(): number;
}

/** `analytics.cases.1a2b3c4d.g3`: one consumer group per topic, warehouse installation and projection generation. */
export const groupIdFor = (domain: ProjectedDomain, installation: string, generation: number): string => `analytics.${domain}.${installation}.g${generation}`;

/**
 * Runs the projection consumers. They consume in batches (the kit's batch consumption): each batch of one partition is
 * applied by the kit's idempotent batch handler — processed_events claims + effect in ONE transaction — under the
 * consumer name = group id, so a rebuild (new generation → new groups, old dedupe records deleted) replays everything
 * while a redelivery within one generation is a no-op. The first statement of every batch's effect both records
 * progress and checks the generation (row-locked FOR SHARE against a concurrent rebuild), so a batch still in flight on
 * a replica that has not yet noticed a rebuild writes nothing into the new projection. A batch that fails is re-applied
 * one event at a time by the kit (bounded retries, then the DLQ for the one bad event).
 */
export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { db, bus, logger } = options;
  let generation = 0;
  let subscriptions: Subscription[] = [];
  let poller: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let delivered = 0;

  /** Serializes subscribe / unsubscribe / rebuild. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  let installation = '';
  const readGeneration = async (): Promise<number> => {
    const res = await db.query<{ generation: number; installation: string }>(`SELECT generation, installation FROM projection_state WHERE id = 1`);
    installation = String(res.rows[0]?.installation ?? 'default');
    return Number(res.rows[0]?.generation ?? 1);
  };

  const subscribeAll = async (gen: number): Promise<void> => {
    generation = gen;
    delivered = 0;
    for (const domain of PROJECTED_DOMAINS) {
      const groupId = groupIdFor(domain, installation, gen);
      const lagSeries = projectionLag.labels(`analytics.${domain}`);
      const { handler, batchHandler } = createIdempotentBatchHandler(db, groupId, async (batch, tx) => {
        const current = await tx.query(
          `INSERT INTO projection_progress (consumer, topic, events_applied, last_event_time, last_apply_time)
           SELECT $1, $2, $5::bigint, $3, clock_timestamp() FROM projection_state WHERE id = 1 AND generation = $4 FOR SHARE
           ON CONFLICT (consumer) DO UPDATE SET events_applied = projection_progress.events_applied + EXCLUDED.events_applied,
             last_event_time = GREATEST(projection_progress.last_event_time, EXCLUDED.last_event_time), last_apply_time = EXCLUDED.last_apply_time
           RETURNING 1`,
          [groupId, topicOf(domain), latestTime(batch.map((d) => d.event)), gen, batch.length],
        );
        if (current.rowCount === 0) return; // a rebuild started a newer generation: this consumer is about to be replaced
        await projectEvents(domain, batch.map((d) => d.event), tx, options.timeZone);
      });
      /** After the transaction committed: the event → projection lag of each delivery (duplicates included). */
      const observe = (event: CloudEvent) => {
        const lagMs = Date.now() - Date.parse(event.time);
        if (Number.isFinite(lagMs)) lagSeries.observe(Math.max(0, lagMs) / 1000);
        if (gen === generation) delivered += 1;
        options.onApplied?.(domain, lagMs);
      };
      const sub = await bus.subscribe({
        groupId,
        topics: [topicOf(domain)],
        fromBeginning: true,
        ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
        handler: async (event, ctx) => {
          await handler(event, ctx);
          observe(event);
        },
        batchHandler: async (batch) => {
          await batchHandler(batch);
          for (const d of batch) observe(d.event);
        },
      });
      subscriptions.push(sub);
    }
    logger.info({ generation: gen }, 'projection consumers running');
  };

  const unsubscribeAll = async (): Promise<void> => {
    const subs = subscriptions;
    subscriptions = [];
    for (const s of subs) await s.stop();
  };

  const checkGeneration = () =>
    serial(async () => {
      if (stopped) return;
      const gen = await readGeneration();
      if (gen !== generation) {
        logger.info({ from: generation, to: gen }, 'projection generation changed elsewhere; re-subscribing');
        await unsubscribeAll();
        await subscribeAll(gen);
      }
    }).catch((err: unknown) => logger.error({ err }, 'projection generation check failed'));

  return {
    generation: () => generation,
    deliveries: () => delivered,
    start: () =>
      serial(async () => {
        stopped = false;
        await subscribeAll(await readGeneration());
        poller = setInterval(() => void checkGeneration(), options.generationPollMs);
        poller.unref();
      }),
    stop: () =>
      serial(async () => {
        stopped = true;
        if (poller) clearInterval(poller);
        await unsubscribeAll();
      }),
    rebuild: () =>
      serial(async () => {
        await unsubscribeAll();
        const gen = await db.transaction(async (tx) => {
          const res = await tx.query<{ generation: number }>(
            `UPDATE projection_state SET generation = generation + 1, rebuilt_at = now() WHERE id = 1 RETURNING generation`,
          );
          await tx.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')}`);
          await tx.query(`DELETE FROM processed_events WHERE consumer LIKE 'analytics.%'`);
          return Number(res.rows[0]?.generation);
        });
        logger.info({ generation: gen }, 'projections reset; replaying every domain topic from the beginning');
        if (!stopped) await subscribeAll(gen);
        return gen;
      }),
  };
}

/** The latest CloudEvents `time` of a batch (progress keeps the newest event time seen). */
function latestTime(events: readonly CloudEvent[]): string | null {
  let best: CloudEvent | undefined;
  for (const e of events) if (best === undefined || Date.parse(e.time) > Date.parse(best.time)) best = e;
  return best?.time ?? null;
}
