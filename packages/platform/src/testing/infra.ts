/**
 * Where the real infrastructure for integration tests is: CSM_PG_URL, CSM_KAFKA_BROKERS and CSM_MONGO_URL,
 * else the local harness started by scripts/infra/up.sh (same defaults as scripts/infra/lib.sh).
 */
export interface TestInfra {
  pgUrl: string;
  kafkaBrokers: string[];
  mongoUrl: string;
}

export function testInfra(env: NodeJS.ProcessEnv = process.env): TestInfra {
  const pgPort = env.CSM_PG_PORT || '55432';
  const kafkaPort = env.CSM_KAFKA_PORT || '59092';
  const mongoPort = env.CSM_MONGO_PORT || '57017';
  const brokers = env.CSM_KAFKA_BROKERS || `127.0.0.1:${kafkaPort}`;
  return {
    pgUrl: env.CSM_PG_URL || `postgres://csm:csm@127.0.0.1:${pgPort}/csm`,
    kafkaBrokers: brokers.split(',').map((b) => b.trim()).filter((b) => b.length > 0),
    mongoUrl: env.CSM_MONGO_URL || `mongodb://127.0.0.1:${mongoPort}/`,
  };
}
