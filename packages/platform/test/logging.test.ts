import { createLogger, logConfig, redactDeep } from '../src/logging';
import { startTelemetry, withSpan, type Telemetry } from '../src/telemetry';

/** A pino destination that keeps parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level word, ISO time and message', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'cases', level: 'info' }, stream).info({ caseId: 'case_1' }, 'case opened');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'cases', level: 'info', msg: 'case opened', caseId: 'case_1' });
    expect(new Date(lines[0]?.time as string).toISOString()).toBe(lines[0]?.time);
  });

  it('respects the level', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ service: 'cases', level: 'warn' }, stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('redacts credentials and personal data at the top level and nested', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'gateway' }, stream).info(
      {
        authorization: 'Bearer abc.def.ghi',
        req: { headers: { authorization: 'Bearer abc.def.ghi', 'x-request-id': 'r1' } },
        passenger: { email: 'ana@example.com', phone: '+34600000000', documentNumber: 'X1234567', tier: 'GOLD' },
        password: 'hunter2',
      },
      'request',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['abc.def.ghi', 'ana@example.com', '+34600000000', 'X1234567', 'hunter2']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      authorization: '[REDACTED]',
      req: { headers: { authorization: '[REDACTED]', 'x-request-id': 'r1' } },
      passenger: { email: '[REDACTED]', tier: 'GOLD' },
    });
  });

  describe('inside a span', () => {
    let telemetry: Telemetry;
    beforeAll(() => {
      telemetry = startTelemetry({ serviceName: 'logging-test', enabled: true });
    });
    afterAll(() => telemetry.shutdown());

    it('stamps trace_id and span_id of the active span on every line, and none outside', async () => {
      const { lines, stream } = capture();
      const logger = createLogger({ service: 'cases' }, stream);
      let ids: { traceId: string; spanId: string } | undefined;
      await withSpan('work', async (span) => {
        ids = span.spanContext();
        logger.info('inside');
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.child({ step: 2 }).info('after an await, from a child logger');
      });
      logger.info('outside');
      expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(lines[0]).toMatchObject({ trace_id: ids?.traceId, span_id: ids?.spanId, trace_flags: '01' });
      expect(lines[1]).toMatchObject({ trace_id: ids?.traceId, span_id: ids?.spanId, step: 2 });
      expect(lines[2]?.trace_id).toBeUndefined();
    });
  });
});

describe('logConfig', () => {
  it('logs the resolved config once with secrets redacted', () => {
    const { lines, stream } = capture();
    logConfig(
      createLogger({ service: 'loyalty' }, stream),
      {
        port: 50051,
        pg: { url: 'postgres://csm:s3cret@db:5432/csm', poolSize: 10 },
        kafka: { brokers: ['k1:9092', 'k2:9092'] },
        jwt: { audience: 'csm', signingKey: 'k-123' },
        piiKey: 'base64-material',
        otlpEndpoint: undefined,
      },
      ['piiKey', 'jwt.signingKey'],
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toBe('configuration');
    expect(lines[0]?.config).toEqual({
      port: 50051,
      pg: { url: 'postgres://csm:REDACTED@db:5432/csm', poolSize: 10 },
      kafka: { brokers: ['k1:9092', 'k2:9092'] },
      jwt: { audience: 'csm', signingKey: '[REDACTED]' },
      piiKey: '[REDACTED]',
    });
  });

  it('redacts keys that end like a secret even when not listed, and nothing else', () => {
    expect(redactDeep({ db: { password: 'p' }, clientSecret: 's', authToken: 't', tokenTtlSeconds: 60, name: 'x' })).toEqual({
      db: { password: '[REDACTED]' },
      clientSecret: '[REDACTED]',
      authToken: '[REDACTED]',
      tokenTtlSeconds: 60,
      name: 'x',
    });
  });
});
