/**
 * Group commit (micro-batching) of independent writes: items submitted within a short window (or until `maxItems`)
 * are written together by `writeBatch` — typically ONE multi-row statement, i.e. one transaction, one WAL flush, one
 * round trip and one plan for many callers — and each caller gets its own outcome once the batch has committed.
 * When nothing is being written, a batch starts at once (a lone request on a quiet service never waits for the window);
 * items that arrive while batches are being written wait up to the window, or until a batch is full, or until a write
 * finishes and so leaves nothing in flight — the busier the writer, the bigger the batches.
 *
 * Guarantees, whatever `writeBatch` does:
 * - a caller's promise settles only after its write finished (committed or failed): nothing is acknowledged early;
 * - items are isolated: if `writeBatch` throws (a bad item, a deadlock, a lost connection…), every item of that batch is
 *   written again ALONE with `writeOne` and settles with its own result or error — so `writeBatch` must be all-or-nothing
 *   (one statement or one transaction) and the writes idempotent (a batch whose commit outcome is unknown is retried);
 * - nothing is dropped: `close()` writes what is queued and waits for the batches in flight.
 * A window of 0 disables batching: `submit` is `writeOne`.
 */

export interface GroupCommitOptions<I, O> {
  /** How long an item waits for others while batches are being written, in ms; 0 disables batching. */
  readonly windowMs: number;
  /** A batch is written at once when it reaches this many items. */
  readonly maxItems: number;
  /** Batches being written at the same time (each holds one connection); more items wait in the queue. Default 2. */
  readonly maxInFlight?: number;
  /** Writes all items in one transaction; returns one outcome per item, in the same order. Throws to fail them all. */
  readonly writeBatch: (items: readonly I[]) => Promise<readonly O[]>;
  /** Writes one item alone (a batch of one, and the fallback after a failed batch). */
  readonly writeOne: (item: I) => Promise<O>;
  /**
   * The weight of an item, for writes with a limit other than a count (e.g. PostgreSQL's 65,535 bind parameters per
   * statement); a batch stops before its weights would exceed `maxWeight`, but always holds at least one item.
   */
  readonly weigh?: (item: I) => number;
  readonly maxWeight?: number;
  /** Told when a batch failed and its items are being written one by one (for a log line or a metric). */
  readonly onBatchError?: (err: unknown, size: number) => void;
}

export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>;
  /** Writes what is queued now and waits until nothing is in flight. Later `submit`s write alone, unbatched. */
  close(): Promise<void>;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (o: O) => void;
  readonly reject: (err: unknown) => void;
}

export function createGroupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  const { windowMs, writeBatch, writeOne, onBatchError } = options;
  const maxItems = Math.max(1, Math.floor(options.maxItems));
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 2));
  let queue: Pending<I, O>[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** The window of the queued items has passed (they are waiting only for a free slot). */
  let due = false;
  let inFlight = 0;
  let immediate: NodeJS.Immediate | undefined;
  let closed = false;
  const idle: (() => void)[] = [];

  // Never rejects (each caller gets its own outcome), even if writeOne throws synchronously.
  const settleOne = (p: Pending<I, O>): Promise<void> =>
    Promise.resolve()
      .then(() => writeOne(p.item))
      .then(p.resolve, p.reject);

  async function write(batch: Pending<I, O>[]): Promise<void> {
    if (batch.length === 1) return settleOne(batch[0] as Pending<I, O>);
    let outcomes: readonly O[];
    try {
      outcomes = await writeBatch(batch.map((p) => p.item));
      if (outcomes.length !== batch.length) throw new Error(`group commit: writeBatch returned ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (err) {
      try {
        onBatchError?.(err, batch.length);
      } catch {
        // a failing observer must not keep the items from being written
      }
      await Promise.all(batch.map(settleOne));
      return;
    }
    batch.forEach((p, i) => p.resolve(outcomes[i] as O));
  }

  function drain(): void {
    while (queue.length > 0 && inFlight < maxInFlight && (due || closed || inFlight === 0 || queue.length >= maxItems)) {
      const n = batchLength();
      const batch = queue.slice(0, n);
      queue = queue.slice(n);
      if (queue.length === 0) {
        due = false;
        if (timer) clearTimeout(timer);
        timer = undefined;
      }
      inFlight += 1;
      void write(batch).finally(() => {
        inFlight -= 1;
        drain();
        if (inFlight === 0 && queue.length === 0) idle.splice(0).forEach((f) => f());
      });
    }
    arm();
  }

  /** How many queued items the next batch takes: at most maxItems, and within maxWeight when items are weighed. */
  function batchLength(): number {
    const limit = Math.min(maxItems, queue.length);
    if (!options.weigh || options.maxWeight === undefined) return limit;
    let weight = 0;
    for (let n = 0; n < limit; n++) {
      weight += options.weigh((queue[n] as Pending<I, O>).item);
      if (n > 0 && weight > options.maxWeight) return n;
    }
    return limit;
  }

  /** Starts the window of the queued items unless it runs already or has passed. */
  function arm(): void {
    if (queue.length === 0 || timer || due || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      due = true;
      drain();
    }, windowMs);
  }

  return {
    submit(item: I): Promise<O> {
      if (windowMs <= 0 || closed) return writeOne(item);
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (queue.length >= maxItems) drain();
        else if (inFlight === 0) {
          // Idle: start at the end of this turn of the event loop, so what arrives together is written together.
          immediate ??= setImmediate(() => {
            immediate = undefined;
            drain();
          });
        } else arm();
      });
    },
    close(): Promise<void> {
      closed = true;
      drain();
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
