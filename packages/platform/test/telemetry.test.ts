import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { trace } from '@opentelemetry/api';
import {
  counter,
  extractTraceContext,
  histogram,
  injectTraceContext,
  metricsRegistry,
  SpanKind,
  startMetricsServer,
  startTelemetry,
  withSpan,
  type Telemetry,
} from '../src/telemetry';

function get(port: number, urlPath: string): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
      })
      .on('error', reject);
  });
}

describe('trace context helpers', () => {
  let telemetry: Telemetry;
  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'telemetry-test', enabled: true });
  });
  afterAll(() => telemetry.shutdown());

  it('injects traceparent for Kafka headers and a consumer span continues the same trace', async () => {
    const headers: Record<string, string> = {};
    let producerIds: { traceId: string; spanId: string } | undefined;
    await withSpan(
      'csm.cases.v1 publish',
      (span) => {
        producerIds = span.spanContext();
        injectTraceContext(headers);
      },
      { kind: SpanKind.PRODUCER },
    );
    expect(headers.traceparent).toBe(`00-${producerIds?.traceId}-${producerIds?.spanId}-01`);

    // kafkajs delivers header values as Buffers
    const received = { traceparent: Buffer.from(headers.traceparent ?? ''), ce_id: Buffer.from('evt_1') };
    const consumer = await withSpan('csm.cases.v1 process', (span) => span.spanContext(), {
      kind: SpanKind.CONSUMER,
      parent: extractTraceContext(received),
      attributes: { 'messaging.system': 'kafka' },
    });
    expect(consumer.traceId).toBe(producerIds?.traceId);
    expect(consumer.spanId).not.toBe(producerIds?.spanId);
  });

  it('writes nothing outside a span', () => {
    expect(injectTraceContext({})).toEqual({});
  });

  it('records a thrown error on the span and re-throws it', async () => {
    await expect(
      withSpan('failing', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('a second start returns the running instance (embedded mode)', () => {
    expect(startTelemetry({ serviceName: 'other', enabled: true })).toBe(telemetry);
  });
});

describe('OTLP export', () => {
  // The OTLP exporter loads node:http with a dynamic import(), which jest's module sandbox refuses: run the
  // exporting side in a plain child process, with this test as the collector.
  it('sends spans to <otlpEndpoint>/v1/traces and flushes them on shutdown', async () => {
    const received: { url: string | undefined; body: string }[] = [];
    const collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      req.on('end', () => {
        received.push({ url: req.url, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as { port: number };
    try {
      const script = [
        `const t = require(${JSON.stringify(path.join(__dirname, '../src/telemetry'))});`,
        `const telemetry = t.startTelemetry({ serviceName: 'export-test', enabled: true, otlpEndpoint: 'http://127.0.0.1:${port}/' });`,
        `t.withSpan('exported-span', () => undefined).then(() => telemetry.shutdown()).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`,
      ].join('\n');
      const child = spawn(process.execPath, ['--require', path.join(__dirname, 'fixtures/grpc/ts-register.cjs'), '-e', script]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(received.map((r) => r.url)).toContain('/v1/traces');
      expect(received.map((r) => r.body).join('')).toContain('exported-span');
      expect(received.map((r) => r.body).join('')).toContain('export-test');
    } finally {
      collector.close();
    }
  });
});

describe('Prometheus metrics', () => {
  it('serves the shared registry, with process metrics, on /metrics', async () => {
    const requests = counter({ name: 'test_requests_total', help: 'Test requests.', labelNames: ['outcome'] });
    requests.inc({ outcome: 'ok' }, 3);
    histogram({ name: 'test_work_seconds', help: 'Test work.', labelNames: ['kind'] }).observe({ kind: 'a' }, 0.2);
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1' });
    try {
      const res = await get(server.port, '/metrics');
      expect(res.status).toBe(200);
      expect(res.type).toBe(metricsRegistry.contentType);
      expect(res.body).toContain('test_requests_total{outcome="ok"} 3');
      expect(res.body).toContain('test_work_seconds_bucket{le="0.25",kind="a"} 1');
      expect(res.body).toContain('process_cpu_user_seconds_total');
      expect(res.body).toContain('nodejs_eventloop_lag_seconds');
      expect((await get(server.port, '/other')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('returns the same metric for the same name and refuses a different type', () => {
    const a = counter({ name: 'test_same_total', help: 'x' });
    expect(counter({ name: 'test_same_total', help: 'x' })).toBe(a);
    expect(() => histogram({ name: 'test_same_total', help: 'x' })).toThrow(/different type/);
  });
});

describe('entry-file order', () => {
  it('loading logging and telemetry pulls in no module the instrumentation must patch first', () => {
    const register = path.join(__dirname, 'fixtures/grpc/ts-register.cjs');
    const script = [
      `require(${JSON.stringify(path.join(__dirname, '../src/logging'))});`,
      `require(${JSON.stringify(path.join(__dirname, '../src/telemetry'))});`,
      `const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](@grpc[\\\\/]grpc-js|express|pg|kafkajs)[\\\\/]/.test(f));`,
      `process.stdout.write(JSON.stringify(loaded));`,
    ].join('\n');
    const result = spawnSync(process.execPath, ['--require', register, '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
