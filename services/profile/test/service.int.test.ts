import { generatePiiKey } from '@csm/platform/security';
import { createTestMongoDb, runServiceLifecycle, testInfra } from '@csm/platform/testing';
import { configSchema } from '../src/config';
import * as service from '../src/service';

const PII = { CSM_PII_KEYS: `k1:${generatePiiKey()}`, CSM_PII_INDEX_KEYS: `i1:${generatePiiKey()}` };

describe('profile service (cluster: MongoDB wire protocol)', () => {
  it('connects to the MongoDB-wire server, serves health, and drains on stop', async () => {
    const mongo = await createTestMongoDb('profile');
    try {
      const result = await runServiceLifecycle(service, configSchema, { ...PII, CSM_MODE: 'cluster', CSM_MONGO_URL: mongo.url, CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(',') });
      expect(result.afterStart).toBe('SERVING');
      expect(result.afterStop).toBe('UNREACHABLE');
    } finally {
      await mongo.drop();
    }
  });

  it('fails to start, naming the server, when MongoDB is unreachable', async () => {
    await expect(
      runServiceLifecycle(service, configSchema, { ...PII, CSM_MODE: 'cluster', CSM_MONGO_URL: 'mongodb://127.0.0.1:1/profile?serverSelectionTimeoutMS=500', CSM_KAFKA_BROKERS: '127.0.0.1:1' }),
    ).rejects.toThrow(/127\.0\.0\.1:1/);
  });

  it('refuses to start in cluster mode without PII keys, naming the variable', async () => {
    const mongo = await createTestMongoDb('profile');
    try {
      await expect(
        runServiceLifecycle(service, configSchema, { CSM_MODE: 'cluster', CSM_MONGO_URL: mongo.url, CSM_KAFKA_BROKERS: testInfra().kafkaBrokers.join(',') }),
      ).rejects.toThrow(/CSM_PII_KEYS/);
    } finally {
      await mongo.drop();
    }
  });
});
