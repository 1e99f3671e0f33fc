// jest globalSetup for *.int.test.ts (see jest.preset.cjs): a fast TCP check that PostgreSQL,
// Kafka and the MongoDB-wire server are reachable; if not, start the local harness (up.sh) once.
// Sets CSM_PG_URL / CSM_KAFKA_BROKERS / CSM_MONGO_URL to the harness defaults when unset; the
// workers jest starts afterwards inherit them. Point those variables at real servers to run the
// same suite against them.
'use strict';

const { ensureReachable, applyDefaults } = require('./reach.cjs');

module.exports = async function globalSetup() {
  try {
    await ensureReachable(process.env);
  } catch (err) {
    const failure = new Error(err instanceof Error ? err.message : String(err));
    failure.stack = failure.message; // one clear line, not a stack of harness internals
    throw failure;
  }
  applyDefaults(process.env);
};
