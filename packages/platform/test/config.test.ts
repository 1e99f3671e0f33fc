import { ConfigError, env, loadConfig, redactConfig, secret, serviceConfigSchema, sqlServiceConfigSchema, z } from '../src/config';

const schema = z.object({
  CSM_PG_URL: secret(env.url()),
  CSM_GRPC_PORT: env.port(50051),
  CSM_FEATURE: env.bool(false),
  CSM_TOPICS: env.list().optional(),
});

describe('config from environment', () => {
  it('parses with defaults and coercion', () => {
    const c = loadConfig(schema, { CSM_PG_URL: 'postgres://u:p@h:5432/d', CSM_FEATURE: 'yes', CSM_TOPICS: 'a, b,,c' });
    expect(c).toEqual({ CSM_PG_URL: 'postgres://u:p@h:5432/d', CSM_GRPC_PORT: 50051, CSM_FEATURE: true, CSM_TOPICS: ['a', 'b', 'c'] });
  });

  it('names a missing required variable in one line', () => {
    let err: unknown;
    try {
      loadConfig(schema, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).toBe('Invalid configuration: CSM_PG_URL is required');
    expect(msg).not.toContain('\n');
    expect((err as ConfigError).variables).toEqual(['CSM_PG_URL']);
  });

  it('treats an empty string as unset', () => {
    expect(() => loadConfig(schema, { CSM_PG_URL: '  ' })).toThrow('CSM_PG_URL is required');
  });

  it('names a bad value and never echoes a secret', () => {
    expect(() => loadConfig(schema, { CSM_PG_URL: 'postgres://x', CSM_GRPC_PORT: 'abc' })).toThrow(
      /CSM_GRPC_PORT must be an integer \(got "abc"\)/,
    );
    try {
      loadConfig(schema, { CSM_PG_URL: 'not a url with password hunter2' });
      throw new Error('expected failure');
    } catch (e) {
      expect((e as Error).message).toContain('CSM_PG_URL must be a url (got (secret))');
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('rejects an unknown enum value naming the allowed ones', () => {
    expect(() => loadConfig(serviceConfigSchema, { CSM_MODE: 'hybrid' })).toThrow(/CSM_MODE must be one of embedded, cluster/);
  });

  it('redacts secrets for logging', () => {
    const c = loadConfig(schema, { CSM_PG_URL: 'postgres://u:p@h:5432/d' });
    expect(redactConfig(schema, c)).toMatchObject({ CSM_PG_URL: '[REDACTED]', CSM_GRPC_PORT: 50051 });
  });
});

describe('service config schemas', () => {
  it('requires CSM_PG_URL in cluster mode only, naming it', () => {
    const schema = sqlServiceConfigSchema({ CSM_EXTRA: env.int(7) });
    expect(() => loadConfig(schema, { CSM_MODE: 'cluster' })).toThrow('Invalid configuration: CSM_PG_URL is required; CSM_KAFKA_BROKERS is required');
    const embedded = loadConfig(schema, { CSM_MODE: 'embedded' });
    expect(embedded).toMatchObject({ CSM_MODE: 'embedded', CSM_DATA_DIR: './.csm-data', CSM_EXTRA: 7, CSM_GRPC_PORT: 50051 });
    expect(loadConfig(schema, { CSM_PG_URL: 'postgres://a@b/c', CSM_KAFKA_BROKERS: 'k1:9092,k2:9092' })).toMatchObject({ CSM_PG_URL: 'postgres://a@b/c', CSM_KAFKA_BROKERS: ['k1:9092', 'k2:9092'] });
  });
});
