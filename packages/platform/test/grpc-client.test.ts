import { status as GrpcCode } from '@grpc/grpc-js';
import { DeadlineExceededError, NotFoundError, UnavailableError, ValidationError } from '../src/errors';
import { callUnary, createGrpcClient } from '../src/grpc';
import { startHarness, type Harness } from './fixtures/grpc/harness';
import { TestServiceClient } from './fixtures/grpc/test-service';

describe('kit gRPC client', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const fastBackoff = { initialMs: 10, maxMs: 40 };

  it('retries UNAVAILABLE a bounded number of times, then fails with UnavailableError', async () => {
    const client = createGrpcClient(TestServiceClient, h.address, { retries: 2, backoff: fastBackoff });
    await expect(callUnary(client, 'echo', { text: 'x', fail: 'unavailable' })).rejects.toBeInstanceOf(UnavailableError);
    expect(h.probe.echoCalls).toBe(3); // 1 attempt + 2 retries
    client.close();
  });

  it('recovers when a retry succeeds', async () => {
    const client = createGrpcClient(TestServiceClient, h.address, { retries: 2, backoff: fastBackoff });
    const response = await callUnary(client, 'echo', { text: 'third time lucky', unavailableUntilCall: 3 });
    expect(response.text).toBe('third time lucky');
    expect(h.probe.echoCalls).toBe(3);
    client.close();
  });

  it('honours retries: 0', async () => {
    const client = createGrpcClient(TestServiceClient, h.address, { retries: 0 });
    await expect(callUnary(client, 'echo', { text: 'x', fail: 'unavailable' })).rejects.toBeInstanceOf(UnavailableError);
    expect(h.probe.echoCalls).toBe(1);
    client.close();
  });

  it.each([
    ['validation', ValidationError],
    ['not_found', NotFoundError],
  ] as const)('never retries %s', async (fail, ErrorClass) => {
    const client = createGrpcClient(TestServiceClient, h.address, { retries: 4, backoff: fastBackoff });
    const err: unknown = await callUnary(client, 'echo', { text: 'x', fail }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorClass);
    expect(h.probe.echoCalls).toBe(1);
    client.close();
  });

  it('applies the default deadline when the caller sets none: DEADLINE_EXCEEDED', async () => {
    const client = createGrpcClient(TestServiceClient, h.address, { deadlineMs: 150 });
    const started = Date.now();
    const err: unknown = await callUnary(client, 'echo', { text: 'slow', delayMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as DeadlineExceededError).grpcCode).toBe(GrpcCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(900);
    expect(h.probe.lastContext?.deadline).toBeInstanceOf(Date);
    client.close();
  });

  it("prefers the caller's deadline over the default", async () => {
    const client = createGrpcClient(TestServiceClient, h.address, { deadlineMs: 100 });
    const response = await callUnary(client, 'echo', { text: 'slowish', delayMs: 250 }, { deadline: Date.now() + 3000 });
    expect(response.remainingMs).toBeGreaterThan(2000);
    client.close();
  });

  it('sends the token provider’s bearer token, unless the call carries its own authorization', async () => {
    const client = createGrpcClient(TestServiceClient, h.address, { tokenProvider: async () => 'good-cases-service' });
    expect((await callUnary(client, 'echo', { text: 'a' })).subject).toBe('cases-service');
    expect((await callUnary(client, 'echo', { text: 'a' }, { authorization: 'Bearer good-passenger-1' })).subject).toBe('passenger-1');
    expect((await callUnary(client, 'echo', { text: 'a' }, { authorization: 'good-agent-2' })).subject).toBe('agent-2');
    client.close();
  });

  it('fails the call with UNAUTHENTICATED when the token provider fails', async () => {
    const client = createGrpcClient(TestServiceClient, h.address, {
      tokenProvider: () => Promise.reject(new Error('idp down')),
    });
    const err: unknown = await callUnary(client, 'echo', { text: 'a' }).catch((e: unknown) => e);
    expect((err as { grpcCode?: number }).grpcCode).toBe(GrpcCode.UNAUTHENTICATED);
    expect(h.probe.echoCalls).toBe(0);
    client.close();
  });

  it('fails the call with UNAVAILABLE when the token provider says its identity provider is unavailable', async () => {
    const client = createGrpcClient(TestServiceClient, h.address, {
      tokenProvider: () => Promise.reject(new UnavailableError('service access token: the token endpoint answered 503')),
    });
    const err: unknown = await callUnary(client, 'echo', { text: 'a' }).catch((e: unknown) => e);
    expect((err as { grpcCode?: number }).grpcCode).toBe(GrpcCode.UNAVAILABLE);
    expect(h.probe.echoCalls).toBe(0);
    client.close();
  });

  it('cancels the call when the signal aborts', async () => {
    const client = createGrpcClient(TestServiceClient, h.address);
    const controller = new AbortController();
    const pending = callUnary(client, 'echo', { text: 'slow', delayMs: 1000 }, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    expect(((await pending) as { grpcCode?: number }).grpcCode).toBe(GrpcCode.CANCELLED);
    client.close();
  });
});
