import type { SqlDb } from '@csm/platform/stores';
import type { Logger } from '@csm/platform/logging';
import { applySlaAction, type CaseRecord, type DomainRules } from '../domain/case';
import type { Clock } from '../domain/clock';
import { dueActions } from '../domain/sla';
import { commitChange } from '../store/case-store';

export interface SlaSchedulerOptions {
  readonly db: SqlDb;
  readonly clock: Clock;
  readonly rules: DomainRules;
  /** Identifies this replica in `sla_actions` (diagnostics only). */
  readonly replica: string;
  readonly batchSize?: number;
  readonly intervalMs?: number;
  readonly logger?: Logger;
  readonly onCommitted?: () => void;
}

export interface SlaScheduler {
  /** One scan at the clock's current time; returns the number of actions taken (warnings + breaches). */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Finds SLA warnings and breaches that are due and acts on each exactly once, however many replicas run:
 *  - candidates come from the indexed `next_sla_check` column;
 *  - each case is locked with FOR UPDATE SKIP LOCKED, so replicas split the work instead of queueing on each other;
 *  - every action inserts a (case, SLA kind, clock start, action) row into `sla_actions` in the SAME transaction as the
 *    escalation, the timeline entry and the outbox event; a replica that lost a race finds the row and does nothing.
 */
export function createSlaScheduler(o: SlaSchedulerOptions): SlaScheduler {
  const batch = o.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function actOn(caseId: string, now: number): Promise<number> {
    return o.db.transaction(async (tx) => {
      const res = await tx.query<{ doc: CaseRecord }>(`SELECT doc FROM cases WHERE id = $1 FOR UPDATE SKIP LOCKED`, [caseId]);
      const r = res.rows[0]?.doc;
      if (!r) return 0; // another replica (or a use case) holds it; the next scan sees what it left
      let current = r;
      let acted = 0;
      for (const clock of r.slas) {
        for (const action of dueActions(clock, now)) {
          const claim = await tx.query(
            `INSERT INTO sla_actions (case_id, sla_kind, clock_start, action, acted_at, replica) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
            [r.id, clock.kind, new Date(clock.startTime), action, new Date(now), o.replica],
          );
          const change = applySlaAction(current, clock.kind, action, now, o.rules);
          if (claim.rowCount === 0) {
            // Already acted on (a replica committed it): only bring the flags up to date, no event.
            change.events.length = 0;
            change.activities.length = 0;
          } else acted += 1;
          await commitChange(tx, change, current.version);
          current = change.record;
        }
      }
      return acted;
    });
  }

  async function runOnce(): Promise<number> {
    const now = o.clock.now();
    const due = await o.db.query<{ id: string }>(`SELECT id FROM cases WHERE next_sla_check <= $1 ORDER BY next_sla_check LIMIT $2`, [new Date(now), batch]);
    let acted = 0;
    for (const row of due.rows) {
      try {
        acted += await actOn(row.id, now);
      } catch (err) {
        o.logger?.warn({ err, caseId: row.id }, 'sla scan of a case failed; retried next scan');
      }
    }
    if (acted > 0) o.onCommitted?.();
    return acted;
  }

  const tick = async () => {
    if (stopped) return;
    running = runOnce();
    try {
      await running;
    } catch (err) {
      o.logger?.error({ err }, 'sla scan failed');
    } finally {
      running = undefined;
      if (!stopped) timer = setTimeout(() => void tick(), o.intervalMs ?? 15_000);
    }
  };

  return {
    runOnce,
    start() {
      stopped = false;
      timer = setTimeout(() => void tick(), 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
