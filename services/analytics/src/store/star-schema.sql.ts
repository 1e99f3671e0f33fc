/**
 * Migration 3: the warehouse. A star schema fed only by domain events: facts keyed by the producing aggregate (so an
 * upsert per event is idempotent and order-tolerant), conformed dimensions filled on first sight. Everything here
 * except `projection_state` and the analytics-owned tables (alerts, segments) is a PROJECTION: `RebuildProjections`
 * truncates it and replays the topics (see PROJECTION_TABLES).
 */
export const STAR_SCHEMA_SQL = `
CREATE TABLE projection_state (
  id            int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  -- Names this warehouse's consumer groups: two deployments (or test databases) on one Kafka never share offsets.
  installation  text NOT NULL,
  generation    int NOT NULL,
  rebuilt_at    timestamptz
);
INSERT INTO projection_state (id, installation, generation) VALUES (1, substr(md5(random()::text || clock_timestamp()::text), 1, 8), 1);

CREATE TABLE projection_progress (
  consumer         text PRIMARY KEY,
  topic            text NOT NULL,
  events_applied   bigint NOT NULL DEFAULT 0,
  last_event_time  timestamptz,
  last_apply_time  timestamptz
);

-- Dimensions -------------------------------------------------------------------------------------------------------
CREATE TABLE dim_date (
  date_key     int PRIMARY KEY,           -- YYYYMMDD, business date in CSM_ANALYTICS_TIME_ZONE
  full_date    date NOT NULL UNIQUE,
  iso_year     int NOT NULL,
  iso_week     int NOT NULL,
  month        int NOT NULL,
  day_of_week  int NOT NULL              -- ISO: 1 = Monday
);
CREATE TABLE dim_channel  (code text PRIMARY KEY);
CREATE TABLE dim_category (code text PRIMARY KEY, parent_code text);
CREATE TABLE dim_severity (code text PRIMARY KEY);
CREATE TABLE dim_airport  (code text PRIMARY KEY);
CREATE TABLE dim_carrier  (code text PRIMARY KEY);
CREATE TABLE dim_tier     (code text PRIMARY KEY);
CREATE TABLE dim_passenger (
  passenger_id    text PRIMARY KEY,
  passenger_type  text,
  grade           text,
  vip_level       int,
  version         bigint NOT NULL DEFAULT 0
);
CREATE TABLE dim_member (
  member_id            text PRIMARY KEY,
  passenger_id         text,
  tier                 text,
  enroll_time          timestamptz,
  last_downgrade_time  timestamptz
);
CREATE INDEX dim_member_passenger_idx ON dim_member (passenger_id);

-- Facts ------------------------------------------------------------------------------------------------------------
CREATE TABLE fact_case (
  case_id              text PRIMARY KEY,
  passenger_id         text,
  kind                 text,
  channel              text,
  category_code        text,
  severity             text,
  team_id              text,
  flight_carrier       text,
  flight_number        text,
  flight_date          text,
  open_time            timestamptz,
  open_date_key        int,
  first_response_time  timestamptz,
  resolve_time         timestamptz,
  handling_seconds     bigint,
  close_time           timestamptz,
  state                text,
  reopen_count         int NOT NULL DEFAULT 0,
  sla_breached         boolean NOT NULL DEFAULT false
);
CREATE INDEX fact_case_open_idx ON fact_case (open_time);
CREATE INDEX fact_case_passenger_idx ON fact_case (passenger_id);
CREATE INDEX fact_case_flight_idx ON fact_case (flight_carrier, flight_number, flight_date);

CREATE TABLE fact_case_sla (
  event_id    text PRIMARY KEY,
  case_id     text NOT NULL,
  sla_kind    text NOT NULL,
  outcome     text NOT NULL,              -- WARNING | BREACHED
  due_time    timestamptz,
  event_time  timestamptz NOT NULL
);
CREATE INDEX fact_case_sla_case_idx ON fact_case_sla (case_id);

CREATE TABLE fact_survey (
  case_id       text PRIMARY KEY,         -- a case has one survey; a later record replaces it
  passenger_id  text,
  csat          int,
  nps           int,
  channel       text,
  record_time   timestamptz NOT NULL,
  date_key      int
);
CREATE INDEX fact_survey_time_idx ON fact_survey (record_time);

-- Derived sentiment of free text (the text itself is never stored: it may hold personal data).
CREATE TABLE fact_text_sentiment (
  source_id     text PRIMARY KEY,         -- "survey:<case_id>" | "case:<case_id>"
  source_kind   text NOT NULL,
  case_id       text,
  passenger_id  text,
  language      text NOT NULL,
  score         double precision NOT NULL,
  label         text NOT NULL,            -- POSITIVE | NEUTRAL | NEGATIVE
  event_time    timestamptz NOT NULL
);

CREATE TABLE fact_flight (
  flight_id                text PRIMARY KEY,
  carrier                  text,
  number                   text,
  flight_date              text,
  origin                   text,
  destination              text,
  status                   text,
  scheduled_departure      timestamptz,
  departure_delay_minutes  int NOT NULL DEFAULT 0,
  arrival_delay_minutes    int NOT NULL DEFAULT 0,
  cancelled                boolean NOT NULL DEFAULT false,
  diverted                 boolean NOT NULL DEFAULT false,
  passengers_carried       int,
  date_key                 int,
  last_event_time          timestamptz
);
CREATE INDEX fact_flight_ref_idx ON fact_flight (carrier, number, flight_date);
CREATE INDEX fact_flight_sched_idx ON fact_flight (scheduled_departure);

CREATE TABLE fact_flight_delay (
  event_id                text PRIMARY KEY,
  flight_id               text NOT NULL,
  delay_minutes           int NOT NULL,
  previous_delay_minutes  int NOT NULL,
  reason_codes            text,
  event_time              timestamptz NOT NULL
);

CREATE TABLE fact_loyalty_posting (
  posting_id        text PRIMARY KEY,     -- ledger transaction id (or event id)
  member_id         text NOT NULL,
  direction         text NOT NULL,        -- EARNED | REDEEMED | REDEMPTION_RETURNED | EXPIRED
  transaction_kind  text,
  miles             bigint NOT NULL,
  posting_time      timestamptz NOT NULL,
  date_key          int,
  partner_code      text,
  flight_carrier    text,
  flight_number     text,
  flight_date       text
);
CREATE INDEX fact_loyalty_member_idx ON fact_loyalty_posting (member_id);
CREATE INDEX fact_loyalty_time_idx ON fact_loyalty_posting (posting_time);

CREATE TABLE fact_tier_change (
  event_id       text PRIMARY KEY,
  member_id      text NOT NULL,
  previous_tier  text,
  tier           text,
  reason         text,
  downgrade      boolean NOT NULL,
  change_time    timestamptz NOT NULL
);

CREATE TABLE fact_passenger_classification (
  event_id        text PRIMARY KEY,
  passenger_id    text NOT NULL,
  previous_grade  text,
  grade           text,
  passenger_type  text,
  vip_level       int,
  source          text,
  change_time     timestamptz NOT NULL
);

CREATE TABLE fact_cargo_event (
  event_id     text PRIMARY KEY,
  shipment_id  text NOT NULL,
  kind         text NOT NULL,             -- BOOKED | STATUS | EXCEPTION
  code         text,
  airport      text,
  event_time   timestamptz NOT NULL
);

-- Passengers merged away or erased: later events naming them are redirected or dropped.
CREATE TABLE passenger_redirect (
  passenger_id  text PRIMARY KEY,
  survivor_id   text                      -- NULL: erased
);

-- Analytics-owned state (kept across rebuilds) ---------------------------------------------------------------------
CREATE TABLE segment (
  segment_id           text PRIMARY KEY,
  name                 text NOT NULL,
  description          text NOT NULL,
  definition           text NOT NULL,
  size                 bigint NOT NULL,
  mean_recency_days    double precision NOT NULL,
  mean_frequency       double precision NOT NULL,
  mean_monetary_miles  double precision NOT NULL,
  update_time          timestamptz NOT NULL
);
CREATE TABLE passenger_segment (
  passenger_id  text PRIMARY KEY,
  segment_id    text NOT NULL
);

CREATE TABLE alert (
  alert_id          text PRIMARY KEY,
  dedupe_key        text NOT NULL UNIQUE,  -- rule + scope + business date: a rule fires once per scope and day
  kind              text NOT NULL,
  severity          text NOT NULL,
  state             text NOT NULL,
  title             text NOT NULL,
  description       text NOT NULL,
  kpi               text NOT NULL,
  observed_value    double precision NOT NULL,
  threshold         double precision NOT NULL,
  scope             jsonb NOT NULL,
  passenger_id      text,
  member_id         text,
  raise_time        timestamptz NOT NULL,
  acknowledge_time  timestamptz,
  acknowledged_by   text,
  comment           text
);
CREATE INDEX alert_raise_idx ON alert (raise_time DESC, alert_id DESC);
`;

/** Tables a rebuild empties (every projection; not alerts, segments or the generation counter). */
export const PROJECTION_TABLES = [
  'projection_progress',
  'dim_date',
  'dim_channel',
  'dim_category',
  'dim_severity',
  'dim_airport',
  'dim_carrier',
  'dim_tier',
  'dim_passenger',
  'dim_member',
  'fact_case',
  'fact_case_sla',
  'fact_survey',
  'fact_text_sentiment',
  'fact_flight',
  'fact_flight_delay',
  'fact_loyalty_posting',
  'fact_tier_change',
  'fact_passenger_classification',
  'fact_cargo_event',
  'passenger_redirect',
] as const;
