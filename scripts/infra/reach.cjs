// Reachability of the real infrastructure, shared by ensure.mjs and jest-global-setup.cjs.
// No dependencies: plain TCP connects, so a check costs milliseconds when everything is up.
'use strict';

const net = require('node:net');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const UP_SCRIPT = path.join(__dirname, 'up.sh');

/** Harness defaults; the same variables and defaults as lib.sh. */
function harnessPorts(env = process.env) {
  return {
    pg: Number(env.CSM_PG_PORT || 55432),
    kafka: Number(env.CSM_KAFKA_PORT || 59092),
    mongo: Number(env.CSM_MONGO_PORT || 57017),
  };
}

/** The connection settings tests use: CSM_PG_URL, CSM_KAFKA_BROKERS, CSM_MONGO_URL, or the harness's. */
function defaults(env = process.env) {
  const ports = harnessPorts(env);
  return {
    CSM_PG_URL: `postgres://csm:csm@127.0.0.1:${ports.pg}/csm`,
    CSM_KAFKA_BROKERS: `127.0.0.1:${ports.kafka}`,
    CSM_MONGO_URL: `mongodb://127.0.0.1:${ports.mongo}/`,
  };
}

/** Set the three variables in `env` where unset (so tests and their workers see them). */
function applyDefaults(env = process.env) {
  for (const [key, value] of Object.entries(defaults(env))) {
    if (!env[key]) env[key] = value;
  }
  return env;
}

function splitHostPort(hostPort, defaultPort) {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) || /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) return undefined;
  return { host: m[1], port: m[2] ? Number(m[2]) : defaultPort };
}

/**
 * One entry per component: the endpoints to try (any one reachable is enough) and whether they
 * are the local harness (which up.sh can start) or something configured elsewhere.
 */
function targets(env = process.env) {
  const d = defaults(env);
  const ports = harnessPorts(env);
  const pgUrl = new URL(env.CSM_PG_URL || d.CSM_PG_URL);
  const brokers = (env.CSM_KAFKA_BROKERS || d.CSM_KAFKA_BROKERS).split(',').map((s) => s.trim()).filter(Boolean);
  const mongoUrl = env.CSM_MONGO_URL || d.CSM_MONGO_URL;

  // mongodb://[user:pass@]h1[:p1],h2[:p2]/db?opts — URL() can't parse several hosts.
  let mongoEndpoints = [];
  const mongoMatch = /^mongodb:\/\/(?:[^@/]*@)?([^/?]+)/.exec(mongoUrl);
  if (mongoMatch && mongoMatch[1]) {
    mongoEndpoints = mongoMatch[1].split(',').map((h) => splitHostPort(h, 27017)).filter(Boolean);
  }

  const isLocal = (ep, port) => ['127.0.0.1', 'localhost', '::1'].includes(ep.host) && ep.port === port;
  const entry = (name, variable, endpoints, harnessPort) => ({
    name,
    variable,
    endpoints,
    harness: endpoints.length > 0 && endpoints.every((ep) => isLocal(ep, harnessPort)),
  });
  return [
    entry('postgres', 'CSM_PG_URL', [{ host: pgUrl.hostname.replace(/^\[|\]$/g, ''), port: Number(pgUrl.port || 5432) }], ports.pg),
    entry('kafka', 'CSM_KAFKA_BROKERS', brokers.map((b) => splitHostPort(b, 9092)).filter(Boolean), ports.kafka),
    // mongodb+srv:// needs DNS to find hosts: not checked here (reported as reachable).
    entry('ferretdb', 'CSM_MONGO_URL', mongoEndpoints, ports.mongo),
  ];
}

function tcpReachable({ host, port }, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves to the targets that are NOT reachable (empty when all are up). */
async function unreachable(env = process.env) {
  const list = targets(env);
  const results = await Promise.all(
    list.map(async (t) => {
      if (t.endpoints.length === 0) return true;
      const oks = await Promise.all(t.endpoints.map((ep) => tcpReachable(ep)));
      return oks.some(Boolean);
    }),
  );
  return list.filter((_, i) => !results[i]);
}

function label(t) {
  const where = t.endpoints.map((ep) => `${ep.host}:${ep.port}`).join(',');
  return `${t.name} (${where}${t.harness ? '' : `, from ${t.variable}`})`;
}

/** Run up.sh with its progress on stderr; returns its exit code. */
function runUp(env = process.env) {
  const res = spawnSync('bash', [UP_SCRIPT], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.error) throw res.error;
  return res.status === null ? 1 : res.status;
}

/**
 * Make sure the infrastructure the tests use is reachable, starting the local harness if needed.
 * Throws one clear line when it can't.
 */
async function ensureReachable(env = process.env) {
  let down = await unreachable(env);
  if (down.length === 0) return;
  const foreign = down.filter((t) => !t.harness);
  if (foreign.length > 0) {
    throw new Error(
      `real infrastructure unreachable: ${foreign.map(label).join('; ')} — it is configured outside the ` +
        'local harness, so scripts/infra/up.sh cannot start it',
    );
  }
  process.stderr.write(`[csm-infra] not reachable: ${down.map(label).join('; ')}; running scripts/infra/up.sh\n`);
  const code = runUp(env);
  down = await unreachable(env);
  if (down.length > 0) {
    throw new Error(
      `real infrastructure still down after scripts/infra/up.sh (exit ${code}): ${down.map(label).join('; ')}; ` +
        `see the logs in ${env.CSM_INFRA_STATE || '$HOME/.local/state/csm-infra'}/logs/`,
    );
  }
  if (code !== 0) process.stderr.write(`[csm-infra] up.sh exited ${code}, but everything is reachable\n`);
}

module.exports = { applyDefaults, defaults, targets, unreachable, ensureReachable, runUp, UP_SCRIPT };
