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
    drop: async () => {
      // WITH (FORCE) (PostgreSQL 13+) ends pools a failed test left open.
      await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
}
