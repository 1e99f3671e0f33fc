/** The adapter-independent parts of batch consumption: chunking, claim splitting and deliverBatch's fall-back. */
import { chunk, deliverBatch, resolveMaxBatchSize, type BatchMessage } from '../src/events/batch-delivery';
import { createEvent, DEFAULT_MAX_BATCH_SIZE, DLQ_HEADER, NonRetryableEventError, toWireMessage, type DeliveredEvent, type CloudEvent } from '../src/events';
import { splitClaimed } from '../src/events/idempotent';
import { resolveRetryPolicy } from '../src/events/retry';
import { testLogger } from './fixtures/events/test-logger';

const ev = (subject: string): CloudEvent => createEvent({ source: '/csm/test', type: 'csm.test.thing.happened.v1', subject, data: { subject } });
const messages = (events: CloudEvent[], from = 10): BatchMessage[] => events.map((e, i) => ({ message: toWireMessage(e), offset: String(from + i) }));
const policy = resolveRetryPolicy({ maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 1, jitter: 0 });

function input(msgs: BatchMessage[], over: Partial<Parameters<typeof deliverBatch>[0]> = {}) {
  return {
    messages: msgs,
    topic: 'csm.test.v1',
    partition: 2,
    groupId: 'g',
    policy,
    signal: new AbortController().signal,
    logger: testLogger(),
    handler: async () => undefined,
    batchHandler: async () => undefined,
    ...over,
  };
}

describe('chunk / resolveMaxBatchSize', () => {
  it('cuts into consecutive chunks of at most the size, keeping order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(chunk([1, 2], 5)).toEqual([[1, 2]]);
  });
  it('defaults to 500 and rejects non-positive or fractional sizes', () => {
    expect(resolveMaxBatchSize(undefined)).toBe(DEFAULT_MAX_BATCH_SIZE);
    expect(DEFAULT_MAX_BATCH_SIZE).toBe(500);
    expect(resolveMaxBatchSize(1)).toBe(1);
    expect(() => resolveMaxBatchSize(0)).toThrow('maxBatchSize');
    expect(() => resolveMaxBatchSize(2.5)).toThrow('maxBatchSize');
  });
});

describe('splitClaimed', () => {
  const d = (e: CloudEvent, offset: string): DeliveredEvent => ({ event: e, ctx: { topic: 't', partition: 0, offset, groupId: 'g', attempt: 1, key: e.subject, headers: {} } });
  it('applies the first delivery of each claimed id in order; the rest are duplicates', () => {
    const [a, b, c] = [ev('a'), ev('b'), ev('c')] as [CloudEvent, CloudEvent, CloudEvent];
    const batch = [d(a, '1'), d(b, '2'), d(a, '3'), d(c, '4')];
    const { fresh, duplicates } = splitClaimed(batch, new Set([a.id, c.id]));
    expect(fresh.map((x) => x.ctx.offset)).toEqual(['1', '4']);
    expect(duplicates.map((x) => x.ctx.offset)).toEqual(['2', '3']);
  });
});

describe('deliverBatch', () => {
  it('hands all valid messages to the batch handler at once and reports each handled', async () => {
    const events = [ev('k'), ev('k'), ev('k')];
    const seen: DeliveredEvent[][] = [];
    const single = jest.fn(async () => undefined);
    const handled: string[] = [];
    const res = await deliverBatch(
      input(messages(events), {
        handler: single,
        batchHandler: async (batch) => void seen.push([...batch]),
        metrics: { onHandled: ({ type }) => void handled.push(type) },
      }),
    );
    expect(res.outcomes).toEqual([{ kind: 'handled' }, { kind: 'handled' }, { kind: 'handled' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.map((x) => x.event)).toEqual(events);
    expect(seen[0]?.map((x) => x.ctx)).toEqual(
      events.map((e, i) => ({ topic: 'csm.test.v1', partition: 2, offset: String(10 + i), groupId: 'g', attempt: 1, key: e.subject, headers: toWireMessage(e).headers })),
    );
    expect(single).not.toHaveBeenCalled();
    expect(handled).toHaveLength(3);
  });

  it('falls back to one message at a time when the batch fails: the poison one is dead-lettered, the others handled', async () => {
    const events = [ev('k'), ev('k'), ev('k'), ev('k')];
    const poison = events[1] as CloudEvent;
    const rejected = events[2] as CloudEvent;
    const calls: [string, number][] = [];
    const res = await deliverBatch(
      input(messages(events), {
        batchHandler: async () => {
          throw new Error('batch failed');
        },
        handler: async (e, ctx) => {
          calls.push([e.id, ctx.attempt]);
          if (e.id === poison.id) throw new Error('boom');
          if (e.id === rejected.id) throw new NonRetryableEventError('never');
        },
      }),
    );
    expect(res.outcomes.map((o) => o.kind)).toEqual(['handled', 'dead-letter', 'dead-letter', 'handled']);
    expect(res.outcomes[1]).toMatchObject({ topic: 'csm.test.v1.dlq', headers: { [DLQ_HEADER.attempts]: '3', [DLQ_HEADER.reason]: 'handler-failed', [DLQ_HEADER.originalOffset]: '11' } });
    expect(res.outcomes[2]).toMatchObject({ headers: { [DLQ_HEADER.reason]: 'non-retryable' } });
    const id = (i: number) => (events[i] as CloudEvent).id;
    expect(calls).toEqual([
      [id(0), 1],
      [poison.id, 1],
      [poison.id, 2],
      [poison.id, 3],
      [rejected.id, 1],
      [id(3), 1],
    ]);
  });

  it('dead-letters a malformed envelope without passing it to the batch handler', async () => {
    const [a, b] = [ev('k'), ev('k')] as [CloudEvent, CloudEvent];
    const msgs = messages([a, a, b]);
    (msgs[1] as BatchMessage).message = { key: 'k', value: 'not json', headers: { 'content-type': 'application/json' } };
    const seen: string[][] = [];
    const res = await deliverBatch(input(msgs, { batchHandler: async (batch) => void seen.push(batch.map((x) => x.ctx.offset)) }));
    expect(seen).toEqual([['10', '12']]);
    expect(res.outcomes.map((o) => o.kind)).toEqual(['handled', 'dead-letter', 'handled']);
    expect(res.outcomes[1]).toMatchObject({ headers: { [DLQ_HEADER.reason]: 'invalid-envelope', [DLQ_HEADER.attempts]: '0' } });
  });

  it('sends a lone message straight to the per-message handler', async () => {
    const batchHandler = jest.fn(async () => undefined);
    const handler = jest.fn(async () => undefined);
    const res = await deliverBatch(input(messages([ev('k')]), { batchHandler, handler }));
    expect(res.outcomes).toEqual([{ kind: 'handled' }]);
    expect(batchHandler).not.toHaveBeenCalled();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('stops part-way when the subscription stops during the fall-back, reporting only finished messages', async () => {
    const ctl = new AbortController();
    const events = [ev('k'), ev('k'), ev('k')];
    const res = await deliverBatch(
      input(messages(events), {
        signal: ctl.signal,
        policy: resolveRetryPolicy({ maxAttempts: 100, initialBackoffMs: 10_000, maxBackoffMs: 10_000, jitter: 0 }),
        batchHandler: async () => {
          throw new Error('batch failed');
        },
        handler: async (e) => {
          if (e.id === events[1]?.id) {
            setTimeout(() => ctl.abort(), 20);
            throw new Error('transient');
          }
        },
      }),
    );
    expect(res.outcomes).toEqual([{ kind: 'handled' }]);
  });

  it('does nothing once stopped', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const batchHandler = jest.fn(async () => undefined);
    expect((await deliverBatch(input(messages([ev('k'), ev('k')]), { signal: ctl.signal, batchHandler }))).outcomes).toEqual([]);
    expect(batchHandler).not.toHaveBeenCalled();
  });
});
