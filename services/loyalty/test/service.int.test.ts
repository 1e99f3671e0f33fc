import { runSqlServiceLifecycle } from '@csm/platform/testing';
import { configSchema } from '../src/config';
import * as service from '../src/service';

describe(`${service.SERVICE_NAME} service (cluster: real PostgreSQL)`, () => {
  it('migrates its database, serves health, and drains on stop', async () => {
    const result = await runSqlServiceLifecycle(service, configSchema);
    expect(result.afterStart).toBe('SERVING');
    expect(result.afterStop).toBe('UNREACHABLE');
    expect(result.tables).toEqual(expect.arrayContaining(['outbox', 'processed_events', 'schema_migrations']));
  });
});
