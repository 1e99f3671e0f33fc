#!/usr/bin/env node
// Gives every index a service declared through FerretDB v1 (PostgreSQL backend) a twin that PostgreSQL can use.
//
// Why: FerretDB v1 pushes an equality filter down as `_jsonb -> 'field' @> value` (dotted paths, with
// --test-enable-nested-pushdown: `_jsonb #> '{a,b}' @> value`), but the indexes it creates for `createIndexes`
// are btree indexes on `_jsonb -> 'field'`, which `@>` cannot use — so every find, even by `_id`, scans the table.
// A GIN (jsonb_path_ops) index on the same expression serves `@>`. This script reads FerretDB's own catalogue
// (`<schema>._ferretdb_database_metadata`), and for each key of each declared index creates that GIN twin,
// CONCURRENTLY (writes go on) and idempotently (run it after a service first starts and after index changes).
// fastupdate is off: a GIN pending list must be scanned by every read, which is exactly the lookup p99 we are after;
// these documents are read far more often than written.
// Not needed on MongoDB. See docs/operations/real-infrastructure.md § FerretDB.
//
// Usage: node scripts/infra/ferretdb-indexes.cjs [postgres-url-of-ferretdb's-database]
//   default: $CSM_FERRETDB_PG_URL, else the harness's postgres://csm:csm@127.0.0.1:$CSM_PG_PORT/ferretdb
'use strict';

const { Client } = require('pg');

async function listTwins(client, onlySchema) {
  const out = [];
  const schemas = await client.query(
    `SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = '_ferretdb_database_metadata' AND c.relkind = 'r' AND ($1::text IS NULL OR n.nspname = $1)
      ORDER BY 1`,
    [onlySchema ?? null],
  );
  for (const { schema } of schemas.rows) {
    const rows = await client.query(
      `SELECT m._jsonb ->> 'table' AS tbl, key
         FROM ${ident(schema)}._ferretdb_database_metadata m,
              LATERAL jsonb_array_elements(coalesce(m._jsonb -> 'indexes', '[]')) ix,
              LATERAL jsonb_object_keys(ix -> 'key') key
        ORDER BY 1, 2`,
    );
    for (const { tbl, key } of rows.rows) out.push({ schema, table: tbl, key, twin: twinName(tbl, key) });
  }
  return out;
}

// `<table>_<md5 of the key, 12>_gin`: under PostgreSQL's 63-byte limit and stable across runs.
function twinName(table, key) {
  const hash = require('node:crypto').createHash('md5').update(key).digest('hex').slice(0, 12);
  return `${table.slice(0, 40)}_${hash}_gin`;
}

function ident(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

function literal(text) {
  return `'${String(text).replace(/'/g, "''")}'`;
}

/** The expression FerretDB's pushdown filters on for this key (see the header). */
function expressionOf(key) {
  const parts = key.split('.');
  if (parts.length === 1) return `(_jsonb -> ${literal(key)})`;
  return `(_jsonb #> ${literal(`{${parts.map((p) => `"${p.replace(/["\\]/g, '\\$&')}"`).join(',')}}`)}::text[])`;
}

// A database or collection dropped while we work (undefined_table, invalid_schema_name) is simply skipped.
const GONE = new Set(['42P01', '3F000']);

/**
 * Creates the missing GIN twins (of every FerretDB database, or only `schema`, i.e. one Mongo database); returns
 * {created, existing}. An invalid twin (an earlier concurrent build that failed) is dropped and rebuilt.
 */
async function mirrorFerretdbIndexes(url, { schema, log = () => {} } = {}) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const twins = await listTwins(client, schema);
    let created = 0;
    let existing = 0;
    for (const t of twins) {
      const found = await client.query(
        `SELECT i.indisvalid, coalesce('fastupdate=off' = ANY(c.reloptions), false) AS steady
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_index i ON i.indexrelid = c.oid WHERE n.nspname = $1 AND c.relname = $2`,
        [t.schema, t.twin],
      );
      if (found.rows[0]?.indisvalid) {
        if (!found.rows[0].steady) {
          // Twins made by an earlier version of this script: same reason as at creation, and flush what is pending.
          await client.query(`ALTER INDEX ${ident(t.schema)}.${ident(t.twin)} SET (fastupdate = off)`);
          await client.query(`SELECT gin_clean_pending_list($1::regclass)`, [`${ident(t.schema)}.${ident(t.twin)}`]);
        }
        existing += 1;
        continue;
      }
      try {
        if (found.rows[0]) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${ident(t.schema)}.${ident(t.twin)}`);
        await client.query(
          `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${ident(t.twin)} ON ${ident(t.schema)}.${ident(t.table)}
             USING gin (${expressionOf(t.key)} jsonb_path_ops) WITH (fastupdate = off)`,
        );
        await client.query(`ANALYZE ${ident(t.schema)}.${ident(t.table)}`);
      } catch (err) {
        if (GONE.has(err.code)) continue;
        throw err;
      }
      log(`created ${t.schema}.${t.twin} for ${t.table} key ${t.key}`);
      created += 1;
    }
    return { created, existing };
  } finally {
    await client.end();
  }
}

function defaultUrl(env = process.env) {
  if (env.CSM_FERRETDB_PG_URL) return env.CSM_FERRETDB_PG_URL;
  return `postgres://csm:csm@127.0.0.1:${env.CSM_PG_PORT || 55432}/${env.CSM_FERRETDB_PG_DB || 'ferretdb'}`;
}

module.exports = { mirrorFerretdbIndexes, defaultUrl, expressionOf };

if (require.main === module) {
  const url = process.argv[2] || defaultUrl();
  mirrorFerretdbIndexes(url, { log: (line) => console.log(`[ferretdb-indexes] ${line}`) })
    .then(({ created, existing }) => console.log(`[ferretdb-indexes] ${created} created, ${existing} already present`))
    .catch((err) => {
      console.error(`[ferretdb-indexes] failed: ${err.message}`);
      process.exit(1);
    });
}
