import { Client } from 'pg';
import { testInfra } from './infra';
import { uniqueName } from './unique-name';

export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as CSM_PG_URL). */
  url: string;
  name: string;
  /** Drops the database, ending any sessions still connected to it. Safe to call twice. */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates a throw-away PostgreSQL database on the test server (the CSM_PG_URL role needs CREATEDB) so each
 * test file gets a clean schema and can run its migrations from scratch.
 */
export async function createTestDatabase(prefix: string, adminUrl: string = testInfra().pgUrl): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withClient(adminUrl, (c) => dropDatabase(c, name)),
  };
}

/**
 * Ends the sessions a failed test left open (only the test role's own: DROP ... WITH (FORCE) would also try to end an
 * autovacuum worker busy on the database and fail for lack of pg_signal_backend), then drops the database — plain
 * DROP DATABASE stops autovacuum itself. Retried briefly, in case a pool reconnects in between.
 */
async function dropDatabase(c: Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND usename = current_user`, [name]);
    try {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
