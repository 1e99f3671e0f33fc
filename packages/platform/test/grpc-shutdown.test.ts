import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { status as GrpcCode } from '@grpc/grpc-js';
import { callUnary, createGrpcClient } from '../src/grpc';
import { TestServiceClient, type EchoResponse } from './fixtures/grpc/test-service';

interface Line {
  msg: string;
  [key: string]: unknown;
}

/** A fixture server process and its parsed stdout lines. */
class FixtureProcess {
  readonly lines: Line[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: { match: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  stderr = '';

  constructor(env: Record<string, string> = {}) {
    const dir = path.join(__dirname, 'fixtures/grpc');
    this.child = spawn(process.execPath, ['--require', path.join(dir, 'ts-register.cjs'), path.join(dir, 'slow-server.ts')], {
      env: { ...process.env, ...env },
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    readline.createInterface({ input: this.child.stdout }).on('line', (text) => {
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        line = { msg: text };
      }
      this.lines.push(line);
      for (const w of [...this.waiters]) {
        if (w.match(line)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
  }

  waitFor(msg: string): Promise<Line> {
    const seen = this.lines.find((l) => l.msg === msg);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match: (l) => l.msg === msg, resolve }));
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

describe('graceful shutdown of a kit gRPC server process', () => {
  jest.setTimeout(60_000);

  it('on SIGTERM finishes the in-flight call, refuses new ones, and exits 0', async () => {
    const proc = new FixtureProcess();
    const ready = await proc.waitFor('fixture ready');
    const address = `127.0.0.1:${ready.port as number}`;
    const client = createGrpcClient(TestServiceClient, address, { retries: 0, deadlineMs: 10_000 });

    const inFlight = callUnary(client, 'echo', { text: 'still answered', delayMs: 1_500 }).then(
      (response: EchoResponse) => ({ response }),
      (error: unknown) => ({ error }),
    );
    const started = await proc.waitFor('echo started');
    // Telemetry is on in the child: the gRPC instrumentation opened a server span and handler logs carry its ids.
    expect(started.trace_id).toMatch(/^[0-9a-f]{32}$/);

    proc.kill('SIGTERM');
    await proc.waitFor('grpc server draining');

    const late = createGrpcClient(TestServiceClient, address, { retries: 0, deadlineMs: 2_000 });
    const refused: unknown = await callUnary(late, 'echo', { text: 'too late' }).catch((e: unknown) => e);
    expect((refused as { grpcCode?: number }).grpcCode).toBe(GrpcCode.UNAVAILABLE);

    const outcome = await inFlight;
    expect(outcome).toEqual({ response: expect.objectContaining({ text: 'still answered' }) });

    const exit = await proc.exited;
    client.close();
    late.close();
    expect(proc.stderr).toBe('');
    expect(exit).toEqual({ code: 0, signal: null });
    const messages = proc.lines.map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining(['shutdown started', 'shutdown: grpc server done', 'shutdown: telemetry done', 'shutdown complete; exiting 0']),
    );
    expect(messages.indexOf('shutdown: grpc server done')).toBeLessThan(messages.indexOf('shutdown: telemetry done'));
  });

  it('a second SIGTERM during the drain exits 1 at once', async () => {
    const proc = new FixtureProcess({ FIXTURE_GRACE_MS: '60000' });
    const ready = await proc.waitFor('fixture ready');
    const client = createGrpcClient(TestServiceClient, `127.0.0.1:${ready.port as number}`, { retries: 0, deadlineMs: 30_000 });
    const pending = callUnary(client, 'echo', { text: 'never finishes in time', delayMs: 20_000 }).catch((e: unknown) => e);
    await proc.waitFor('echo started');
    proc.kill('SIGTERM');
    await proc.waitFor('grpc server draining');
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(1);
    client.close();
    await pending;
  });
});
