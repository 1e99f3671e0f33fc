import * as http2 from 'node:http2';
import * as path from 'node:path';
import { credentials, loadPackageDefinition, makeGenericClientConstructor, status as GrpcCode, type Client, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import * as protobuf from 'protobufjs';
import * as descriptor from 'protobufjs/ext/descriptor';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fromGrpcError, ValidationError } from '../src/errors';
import { metricsRegistry } from '../src/telemetry';
import { bearer, echo, startHarness, type Harness } from './fixtures/grpc/harness';

type HealthClient = Client & {
  check(req: { service: string }, cb: (err: Error | null, res: { status: string }) => void): void;
};
const HealthClientCtor = makeGenericClientConstructor(healthService as unknown as ServiceDefinition, 'grpc.health.v1.Health');

function checkHealth(address: string, serviceName: string): Promise<string> {
  const client = new HealthClientCtor(address, credentials.createInsecure()) as unknown as HealthClient;
  return new Promise((resolve, reject) =>
    client.check({ service: serviceName }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res.status);
    }),
  );
}

describe('kit gRPC server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  describe('health', () => {
    it('reports NOT_SERVING until markServing, then SERVING, for the server and each service', async () => {
      expect(await checkHealth(h.address, '')).toBe('NOT_SERVING');
      expect(await checkHealth(h.address, 'test.v1.TestService')).toBe('NOT_SERVING');
      h.server.markServing();
      expect(await checkHealth(h.address, '')).toBe('SERVING');
      expect(await checkHealth(h.address, 'test.v1.TestService')).toBe('SERVING');
      h.server.markNotServing();
      expect(await checkHealth(h.address, '')).toBe('NOT_SERVING');
    });

    it('needs no token, even when an invalid one is sent', async () => {
      const client = new HealthClientCtor(h.address, credentials.createInsecure()) as unknown as HealthClient & {
        check(req: { service: string }, md: unknown, cb: (err: Error | null, res: { status: string }) => void): void;
      };
      const status = await new Promise<string>((resolve, reject) =>
        client.check({ service: '' }, bearer('bad'), (err, res) => (err ? reject(err) : resolve(res.status))),
      );
      client.close();
      expect(status).toBe('NOT_SERVING');
    });
  });

  describe('error mapping over the wire', () => {
    it('sends a ValidationError with field violations the client decodes', async () => {
      const { error } = await echo(h.client(), { text: 'x', fail: 'validation' });
      expect(error?.code).toBe(GrpcCode.INVALID_ARGUMENT);
      const decoded = fromGrpcError(error);
      expect(decoded).toBeInstanceOf(ValidationError);
      expect(decoded.violations).toEqual([
        { field: 'contact.email', description: 'must be a valid e-mail address', rule: 'FORMAT' },
        { field: 'flightNumber', description: 'is required', rule: 'REQUIRED' },
      ]);
      expect(decoded.domain).toBe('test');
    });

    it('sends FAILED_PRECONDITION naming the allowed transitions', async () => {
      const { error } = await echo(h.client(), { text: 'x', fail: 'transition' });
      expect(error?.code).toBe(GrpcCode.FAILED_PRECONDITION);
      expect(error?.details).toBe('case cannot move from CLOSED to IN_PROGRESS; allowed from CLOSED: REOPENED');
    });

    it('hides an unexpected error behind INTERNAL and logs it server-side', async () => {
      const { error } = await echo(h.client(), { text: 'x', fail: 'crash' });
      expect(error?.code).toBe(GrpcCode.INTERNAL);
      expect(error?.details).toBe('internal error');
      expect(JSON.stringify(error?.metadata.getMap())).not.toContain('hunter2');
      const logged = h.logs.find((l) => l.msg === 'handler failed');
      expect(logged?.level).toBe('error');
      expect(JSON.stringify(logged)).toContain('rejected at 10.0.0.7');
    });

    it('ends a server stream with the mapped status after the messages sent', async () => {
      const received: number[] = [];
      const stream = h.client().count({ upTo: 3, failAt: 3 });
      stream.on('data', (m: { n: number }) => received.push(m.n));
      const err = await new Promise<{ code: number }>((resolve) => stream.on('error', resolve));
      expect(received).toEqual([1, 2]);
      expect(err.code).toBe(GrpcCode.NOT_FOUND);
    });

    it('streams every message and ends OK', async () => {
      const received: number[] = [];
      const stream = h.client().count({ upTo: 3 });
      stream.on('data', (m: { n: number }) => received.push(m.n));
      await new Promise((resolve) => stream.on('end', resolve));
      expect(received).toEqual([1, 2, 3]);
    });
  });

  describe('auth context', () => {
    it('gives handlers ANONYMOUS without a token and the verified principal with one', async () => {
      expect((await echo(h.client(), { text: 'a' })).response?.subject).toBe('anonymous');
      expect((await echo(h.client(), { text: 'a' }, bearer('good-agent-7'))).response?.subject).toBe('agent-7');
      expect(h.probe.lastContext?.principal.roles).toEqual(['agent_l1']);
      expect(h.probe.lastContext?.authorization).toBe('Bearer good-agent-7');
    });

    it('refuses an invalid token with UNAUTHENTICATED before the handler runs', async () => {
      const { error } = await echo(h.client(), { text: 'a' }, bearer('stolen'));
      expect(error?.code).toBe(GrpcCode.UNAUTHENTICATED);
      expect(error?.details).toBe('token expired');
      expect(h.probe.echoCalls).toBe(0);
    });
  });

  describe('deadlines', () => {
    it('surfaces DEADLINE_EXCEEDED when the handler outlives the deadline, and exposes the remaining time', async () => {
      const { error } = await echo(h.client(), { text: 'slow', delayMs: 600 }, undefined, { deadline: Date.now() + 150 });
      expect(error?.code).toBe(GrpcCode.DEADLINE_EXCEEDED);
      expect(h.probe.lastContext?.deadline).toBeInstanceOf(Date);
      // The server's own deadline timer fires a moment after the client's: the handler's signal aborts too.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(h.probe.lastContext?.signal.aborted).toBe(true);

      const { response } = await echo(h.client(), { text: 'quick' }, undefined, { deadline: Date.now() + 2000 });
      expect(response?.remainingMs).toBeGreaterThan(1000);
      expect(response?.remainingMs).toBeLessThanOrEqual(2000);
      expect((await echo(h.client(), { text: 'none' })).response?.remainingMs).toBeNull();
    });

    it('refuses a call whose deadline expired before it arrived, without running the handler', async () => {
      const session = http2.connect(`http://${h.address}`);
      const body = Buffer.from(JSON.stringify({ text: 'late' }));
      const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, body.length]), body]);
      const req = session.request({
        ':method': 'POST',
        ':path': '/test.v1.TestService/Echo',
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': '1n',
      });
      req.end(frame);
      const grpcStatus = await new Promise<string | undefined>((resolve) => {
        let fromHeaders: string | undefined;
        req.on('response', (headers) => (fromHeaders = headers['grpc-status'] as string | undefined));
        req.on('trailers', (trailers) => resolve(trailers['grpc-status'] as string | undefined));
        req.on('close', () => resolve(fromHeaders));
        req.resume();
      });
      session.close();
      expect(Number(grpcStatus)).toBe(GrpcCode.DEADLINE_EXCEEDED);
      expect(h.probe.echoCalls).toBe(0);
    });
  });

  describe('observability', () => {
    it('logs one line per call with method, code and duration, never the payload', async () => {
      await echo(h.client(), { text: 'confidential-payload' });
      await echo(h.client(), { text: 'x', fail: 'not_found' });
      const access = h.logs.filter((l) => l.msg === 'grpc call');
      expect(access).toHaveLength(2);
      expect(access[0]).toMatchObject({ level: 'info', grpc: { service: 'test.v1.TestService', method: 'Echo', type: 'unary', code: 'OK' } });
      expect(typeof access[0]?.durationMs).toBe('number');
      expect(access[1]).toMatchObject({ grpc: { code: 'NOT_FOUND' }, statusMessage: 'case case_01HX not found' });
      expect(JSON.stringify(h.logs)).not.toContain('confidential-payload');
    });

    it('counts calls by code and observes latency', async () => {
      const before = await handled('NOT_FOUND');
      await echo(h.client(), { text: 'x', fail: 'not_found' });
      await echo(h.client(), { text: 'x', fail: 'not_found' });
      expect((await handled('NOT_FOUND')) - before).toBe(2);
      const text = await metricsRegistry.metrics();
      expect(text).toMatch(/grpc_server_handling_seconds_count\{grpc_service="test.v1.TestService",grpc_method="Echo",grpc_type="unary"\} \d+/);
    });
  });

  async function handled(code: string): Promise<number> {
    const metric = await metricsRegistry.getSingleMetric('grpc_server_handled_total')?.get();
    const value = metric?.values.find((v) => v.labels.grpc_code === code && v.labels.grpc_method === 'Echo');
    return value?.value ?? 0;
  }
});

describe('reflection', () => {
  it('lists the services of the given FileDescriptorSet', async () => {
    const root = protobuf.parse(`syntax = "proto3"; package test.v1;
      message EchoRequest { string text = 1; } message EchoResponse { string text = 1; }
      service TestService { rpc Echo(EchoRequest) returns (EchoResponse); }`).root;
    const set = (root as unknown as { toDescriptor(syntax: string): protobuf.Message }).toDescriptor('proto3');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'csm-reflection-')), 'test.binpb');
    writeFileSync(file, (descriptor.FileDescriptorSet as unknown as typeof protobuf.Message).encode(set).finish());

    const h = await startHarness({ reflection: { descriptorSetPath: file } });
    try {
      const reflectionProto = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');
      const pkg = loadPackageDefinition(loadSync(reflectionProto)) as unknown as {
        grpc: { reflection: { v1: { ServerReflection: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client & { serverReflectionInfo(): NodeJS.ReadWriteStream & { write(m: object): boolean; end(): void } } } } };
      };
      const client = new pkg.grpc.reflection.v1.ServerReflection(h.address, credentials.createInsecure());
      const call = client.serverReflectionInfo();
      const reply = new Promise<{ listServicesResponse: { service: { name: string }[] } }>((resolve, reject) => {
        call.on('data', resolve);
        call.on('error', reject);
      });
      call.write({ listServices: '*' });
      const names = (await reply).listServicesResponse.service.map((s) => s.name);
      call.end();
      client.close();
      expect(names).toContain('test.v1.TestService');
    } finally {
      await h.close();
    }
  });
});
