#!/usr/bin/env node
// `npm run test:int` runs this first: if PostgreSQL, Kafka or FerretDB (as configured by
// CSM_PG_URL / CSM_KAFKA_BROKERS / CSM_MONGO_URL, else the harness defaults) is not reachable,
// start the local harness with up.sh; exit non-zero with one clear line if still down.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ensureReachable, applyDefaults, targets } = require('./reach.cjs');

try {
  await ensureReachable(process.env);
  applyDefaults(process.env);
  const names = targets(process.env).map((t) => t.name).join(', ');
  process.stderr.write(`[csm-infra] reachable: ${names}\n`);
} catch (err) {
  process.stderr.write(`[csm-infra] ERROR: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
