import { outboxMigration, processedEventsMigration } from '@csm/platform/events';
import type { Migration } from '@csm/platform/stores';

/**
 * Cases schema. The case aggregate is stored whole in `doc` (jsonb) and written only by the domain's actions; the
 * columns beside it are what queues, filters, the SLA scheduler and search need indexes on.
 */
const CASES_SQL = `
CREATE TABLE cases (
  id               text        PRIMARY KEY,
  case_number      text        NOT NULL UNIQUE,
  idempotency_key  text        UNIQUE,
  doc              jsonb       NOT NULL,
  version          bigint      NOT NULL,
  state            smallint    NOT NULL,
  is_open          boolean     NOT NULL,
  kind             smallint    NOT NULL,
  channel          smallint    NOT NULL,
  severity         smallint    NOT NULL DEFAULT 0,
  category_code    text        NOT NULL DEFAULT '',
  passenger_id     text        NOT NULL DEFAULT '',
  owner_agent_id   text        NOT NULL DEFAULT '',
  team_id          text        NOT NULL DEFAULT '',
  flight_key       text        NOT NULL DEFAULT '',
  disruption_key   text        UNIQUE,
  open_time        timestamptz NOT NULL,
  sla_urgency      timestamptz NOT NULL,
  next_sla_check   timestamptz,
  sla_breached     boolean     NOT NULL DEFAULT false,
  search_tokens    text[]      NOT NULL DEFAULT '{}'
);
-- Team queue ordered by SLA urgency (keyset pagination on (sla_urgency, id)).
CREATE INDEX cases_team_queue_idx ON cases (team_id, sla_urgency, id) WHERE is_open;
CREATE INDEX cases_owner_queue_idx ON cases (owner_agent_id, sla_urgency, id) WHERE is_open;
CREATE INDEX cases_open_time_idx ON cases (open_time DESC, id DESC);
CREATE INDEX cases_passenger_idx ON cases (passenger_id, open_time DESC) WHERE passenger_id <> '';
CREATE INDEX cases_flight_idx ON cases (flight_key, open_time DESC) WHERE flight_key <> '';
CREATE INDEX cases_sla_check_idx ON cases (next_sla_check) WHERE next_sla_check IS NOT NULL;
CREATE INDEX cases_search_idx ON cases USING gin (search_tokens);

-- The timeline: append-only (no UPDATE/DELETE anywhere in the service).
CREATE TABLE case_activities (
  seq        bigserial   PRIMARY KEY,
  id         text        NOT NULL UNIQUE,
  case_id    text        NOT NULL,
  time       timestamptz NOT NULL,
  actor      jsonb       NOT NULL,
  type       text        NOT NULL,
  summary    text        NOT NULL,
  from_state smallint    NOT NULL DEFAULT 0,
  to_state   smallint    NOT NULL DEFAULT 0,
  body       text        NOT NULL DEFAULT '',
  visibility smallint    NOT NULL DEFAULT 0
);
CREATE INDEX case_activities_case_idx ON case_activities (case_id, seq);

-- Exactly-once SLA actions: a row per (case, SLA kind, start, action), inserted in the transaction that acts.
CREATE TABLE sla_actions (
  case_id    text        NOT NULL,
  sla_kind   smallint    NOT NULL,
  clock_start timestamptz NOT NULL,
  action     text        NOT NULL,
  acted_at   timestamptz NOT NULL,
  replica    text        NOT NULL,
  PRIMARY KEY (case_id, sla_kind, clock_start, action)
);

-- Compensation grants: the idempotency record and its state across the call to loyalty.
CREATE TABLE case_compensations (
  id              text        PRIMARY KEY,
  case_id         text        NOT NULL,
  idempotency_key text        NOT NULL UNIQUE,
  kind            smallint    NOT NULL,
  miles           bigint      NOT NULL DEFAULT 0,
  amount_minor    bigint      NOT NULL DEFAULT 0,
  currency        text        NOT NULL DEFAULT '',
  reference       text        NOT NULL DEFAULT '',
  reason          text        NOT NULL,
  status          smallint    NOT NULL,
  loyalty_txn_id  text        NOT NULL DEFAULT '',
  granted_by      jsonb       NOT NULL,
  created_at      timestamptz NOT NULL,
  granted_at      timestamptz
);
CREATE INDEX case_compensations_case_idx ON case_compensations (case_id);

-- Agents as the router sees them.
CREATE TABLE agents (
  agent_id       text     PRIMARY KEY,
  team_id        text     NOT NULL,
  tier           smallint NOT NULL,
  languages      text[]   NOT NULL DEFAULT '{}',
  categories     text[]   NOT NULL DEFAULT '{}',
  vip            boolean  NOT NULL DEFAULT false,
  max_open_cases integer  NOT NULL,
  active         boolean  NOT NULL DEFAULT true,
  updated_at     timestamptz NOT NULL
);

-- Knowledge base: the current version of each article, and every version.
CREATE TABLE kb_articles (
  id            text        PRIMARY KEY,
  version       bigint      NOT NULL,
  language      text        NOT NULL,
  category_code text        NOT NULL DEFAULT '',
  audience      smallint    NOT NULL,
  doc           jsonb       NOT NULL,
  update_time   timestamptz NOT NULL,
  search_tokens text[]      NOT NULL DEFAULT '{}'
);
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search_tokens);
CREATE TABLE kb_article_versions (
  id      text   NOT NULL,
  version bigint NOT NULL,
  doc     jsonb  NOT NULL,
  PRIMARY KEY (id, version)
);
`;

/** Numbered migrations, applied in order at start-up. */
export const migrations: readonly Migration[] = [outboxMigration(1), processedEventsMigration(2), { version: 3, name: 'cases_schema', sql: CASES_SQL }];
