import { createGroupCommit, type GroupCommitOptions } from '../src/stores';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A writer that records each call; items are numbers, outcomes their double; `bad` items fail any write. */
function recorder(opts: Partial<GroupCommitOptions<number, number>> = {}, bad = new Set<number>()) {
  const batches: number[][] = [];
  const singles: number[] = [];
  const gc = createGroupCommit<number, number>({
    windowMs: 5,
    maxItems: 4,
    writeBatch: async (items) => {
      batches.push([...items]);
      await sleep(2);
      if (items.some((i) => bad.has(i))) throw new Error('batch failed');
      return items.map((i) => i * 2);
    },
    writeOne: async (i) => {
      singles.push(i);
      await sleep(1);
      if (bad.has(i)) throw new Error(`item ${i} failed`);
      return i * 2;
    },
    ...opts,
  });
  return { gc, batches, singles };
}

describe('group commit', () => {
  it('writes items submitted within the window as one batch, each caller getting its own outcome', async () => {
    const { gc, batches, singles } = recorder();
    const out = await Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    expect(out).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(singles).toEqual([]);
  });

  it('when idle, writes at once what arrived together, without waiting for the window', async () => {
    const { gc, batches, singles } = recorder({ windowMs: 60_000 });
    const started = Date.now();
    await expect(gc.submit(1)).resolves.toBe(2);
    await expect(Promise.all([2, 3].map((i) => gc.submit(i)))).resolves.toEqual([4, 6]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(singles).toEqual([1]);
    expect(batches).toEqual([[2, 3]]);
  });

  it('while a batch is being written, gathers the next one until that write finishes', async () => {
    const { gc, batches } = recorder({ windowMs: 60_000, maxInFlight: 2 });
    const first = Promise.all([1, 2].map((i) => gc.submit(i)));
    await sleep(0);
    const second = Promise.all([3, 4, 5].map((i) => gc.submit(i)));
    await expect(first).resolves.toEqual([2, 4]);
    await expect(second).resolves.toEqual([6, 8, 10]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('splits at maxItems and writes a full batch without waiting for the window', async () => {
    const { gc, batches } = recorder({ windowMs: 10_000, maxItems: 2 });
    const started = Date.now();
    await Promise.all([1, 2, 3, 4].map((i) => gc.submit(i)));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('cuts a batch before its weight would exceed maxWeight, but never below one item', async () => {
    const { gc, batches, singles } = recorder({ maxItems: 10, weigh: (i) => i, maxWeight: 5 });
    const out = await Promise.all([2, 3, 1, 9, 1].map((i) => gc.submit(i)));
    expect(out).toEqual([4, 6, 2, 18, 2]);
    expect(batches).toEqual([[2, 3]]);
    // [1] alone, [9] (heavier than maxWeight, still written) alone, then [1]: batches of one are written with writeOne
    expect(singles).toEqual([1, 9, 1]);
  });

  it('writes a lone item with writeOne', async () => {
    const { gc, batches, singles } = recorder();
    await expect(gc.submit(7)).resolves.toBe(14);
    expect(batches).toEqual([]);
    expect(singles).toEqual([7]);
  });

  it('window 0 disables batching', async () => {
    const { gc, batches, singles } = recorder({ windowMs: 0 });
    await Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    expect(batches).toEqual([]);
    expect(singles).toEqual([1, 2, 3]);
  });

  it('a failed batch is written again one by one: only the bad item fails, the others succeed', async () => {
    const errors: number[] = [];
    const { gc, batches, singles } = recorder({ onBatchError: (_e, n) => errors.push(n) }, new Set([2]));
    const out = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(out.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([2, 'item 2 failed', 6]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(singles.sort()).toEqual([1, 2, 3]);
    expect(errors).toEqual([3]);
  });

  it('a writer that throws synchronously fails only that caller', async () => {
    const gc = createGroupCommit<number, number>({
      windowMs: 5,
      maxItems: 10,
      writeBatch: () => {
        throw new Error('sync batch');
      },
      writeOne: (i) => {
        if (i === 2) throw new Error('sync one');
        return Promise.resolve(i);
      },
    });
    const out = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
    expect(out.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    await expect(gc.submit(3)).resolves.toBe(3);
  });

  it('treats a wrong number of outcomes as a failed batch', async () => {
    const singles: number[] = [];
    const gc = createGroupCommit<number, number>({
      windowMs: 5,
      maxItems: 10,
      writeBatch: () => Promise.resolve([1]),
      writeOne: (i) => {
        singles.push(i);
        return Promise.resolve(i);
      },
    });
    await expect(Promise.all([5, 6].map((i) => gc.submit(i)))).resolves.toEqual([5, 6]);
    expect(singles.sort()).toEqual([5, 6]);
  });

  it('keeps at most maxInFlight batches writing and loses nothing queued meanwhile', async () => {
    let writing = 0;
    let peak = 0;
    const gc = createGroupCommit<number, number>({
      windowMs: 1,
      maxItems: 3,
      maxInFlight: 1,
      writeBatch: async (items) => {
        writing += 1;
        peak = Math.max(peak, writing);
        await sleep(5);
        writing -= 1;
        return items.map((i) => i + 100);
      },
      writeOne: async (i) => {
        writing += 1;
        peak = Math.max(peak, writing);
        await sleep(5);
        writing -= 1;
        return i + 100;
      },
    });
    const items = Array.from({ length: 25 }, (_, i) => i);
    await expect(Promise.all(items.map((i) => gc.submit(i)))).resolves.toEqual(items.map((i) => i + 100));
    expect(peak).toBe(1);
  });

  it('close() writes what is queued and waits for it', async () => {
    const { gc, batches } = recorder({ windowMs: 60_000, maxItems: 100 });
    const pending = [1, 2].map((i) => gc.submit(i));
    await gc.close();
    expect(batches).toEqual([[1, 2]]);
    await expect(Promise.all(pending)).resolves.toEqual([2, 4]);
    await expect(gc.submit(3)).resolves.toBe(6);
  });
});
