// Migration 3: the loyalty schema. The ledger is append-only (triggers refuse UPDATE/DELETE) and every transaction is
// balanced (a deferred constraint trigger checks the postings sum to zero at commit), so neither rule rests on the
// application alone. `accounts.balance` caches the sum of a member account's postings: it is only ever changed by the
// same statement sequence that inserts the postings, in the same transaction, and tests compare it with the sum.
import type { Migration } from '@csm/platform/stores';

const LOYALTY_SCHEMA_SQL = `
CREATE TABLE members (
  id                     text PRIMARY KEY,
  member_number          text NOT NULL UNIQUE,
  passenger_id           text NOT NULL UNIQUE,
  status                 smallint NOT NULL,
  tier                   smallint NOT NULL,
  tier_valid_until       date,
  enrollment_channel     text NOT NULL DEFAULT '',
  referring_partner_code text NOT NULL DEFAULT '',
  enroll_time            timestamptz NOT NULL,
  close_time             timestamptz,
  close_reason           text,
  last_activity_date     date,
  created_by_kind        smallint NOT NULL DEFAULT 0,
  created_by_id          text NOT NULL DEFAULT '',
  update_time            timestamptz NOT NULL,
  version                bigint NOT NULL DEFAULT 1
);
-- No index on last_activity_date: it changes on every accrual and an index on it would rule out HOT updates of the
-- member row; the expiry job scans members in id order instead.
CREATE INDEX members_tier_valid_idx ON members (tier_valid_until) WHERE tier_valid_until IS NOT NULL;

CREATE TABLE accounts (
  id        text PRIMARY KEY,
  member_id text REFERENCES members (id),
  kind      text NOT NULL,
  balance   bigint NOT NULL DEFAULT 0,
  CONSTRAINT member_accounts_never_negative CHECK (member_id IS NULL OR balance >= 0)
);

CREATE TABLE ledger_transactions (
  id                     text PRIMARY KEY,
  member_id              text REFERENCES members (id),
  kind                   smallint NOT NULL,
  miles                  bigint NOT NULL,
  qualifying_miles       bigint NOT NULL DEFAULT 0,
  qualifying_segments    integer NOT NULL DEFAULT 0,
  activity_date          date NOT NULL,
  post_time              timestamptz NOT NULL,
  description            text NOT NULL DEFAULT '',
  flight_carrier         text,
  flight_number          text,
  flight_date            text,
  partner_code           text,
  partner_transaction_id text,
  case_id                text,
  redemption_id          text,
  related_entry_id       text,
  actor_kind             smallint NOT NULL DEFAULT 0,
  actor_id               text NOT NULL DEFAULT '',
  approver_id            text,
  balance_after          bigint NOT NULL,
  dedupe_key             text UNIQUE
);
CREATE INDEX ledger_member_activity_idx ON ledger_transactions (member_id, activity_date, id);

CREATE TABLE postings (
  id             bigserial PRIMARY KEY,
  -- Checked per INSERT statement by postings_balanced below (exists + balanced), cheaper than a row-level FK.
  transaction_id text NOT NULL,
  -- No foreign key to accounts on purpose: every posting would take a KEY SHARE lock on its account row, and the
  -- system accounts (one source per accrual kind) are on every transaction, so all writers would queue on one row.
  -- Member accounts are guaranteed by the guarded UPDATE that precedes each posting; system accounts are created by
  -- this migration and by partner registration.
  account_id     text NOT NULL,
  amount         bigint NOT NULL CHECK (amount <> 0)
);
CREATE INDEX postings_transaction_idx ON postings (transaction_id);
CREATE INDEX postings_account_idx ON postings (account_id);

CREATE FUNCTION loyalty_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'loyalty ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION loyalty_ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION loyalty_ledger_append_only();

-- Every INSERT into postings must leave each transaction it touches balanced and must reference an existing ledger
-- transaction. A statement-level trigger sees all rows of the statement at once (postings of one transaction are
-- always inserted by one statement; with the append-only rule this makes every transaction balanced forever).
CREATE FUNCTION loyalty_ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad text;
BEGIN
  SELECT n.transaction_id INTO bad FROM new_postings n
    LEFT JOIN ledger_transactions t ON t.id = n.transaction_id
   GROUP BY n.transaction_id, t.id
  HAVING t.id IS NULL OR (SELECT sum(p.amount) FROM postings p WHERE p.transaction_id = n.transaction_id) <> 0
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'loyalty ledger transaction % is not balanced or does not exist', bad;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER postings_balanced AFTER INSERT ON postings
  REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION loyalty_ledger_balanced();

CREATE TABLE idempotency_keys (
  caller       text NOT NULL,
  key          text NOT NULL,
  operation    text NOT NULL,
  request_hash text NOT NULL,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);

CREATE TABLE partners (
  code                  text PRIMARY KEY,
  name                  text NOT NULL,
  category              smallint NOT NULL,
  status                smallint NOT NULL,
  earn_miles            bigint NOT NULL,
  earn_per_spend_minor  bigint NOT NULL,
  earn_currency         text NOT NULL,
  max_miles_per_accrual bigint NOT NULL DEFAULT 0,
  monthly_miles_cap     bigint NOT NULL DEFAULT 0,
  price_per_mile_minor  bigint NOT NULL,
  price_currency        text NOT NULL,
  redemption_enabled    boolean NOT NULL DEFAULT false,
  scopes                text[] NOT NULL DEFAULT '{}',
  secret_hash           text,
  create_time           timestamptz NOT NULL,
  created_by            text NOT NULL DEFAULT '',
  update_time           timestamptz NOT NULL,
  updated_by            text NOT NULL DEFAULT '',
  version               bigint NOT NULL DEFAULT 1
);

CREATE TABLE partner_accruals (
  partner_code           text NOT NULL REFERENCES partners (code),
  partner_transaction_id text NOT NULL,
  member_number          text NOT NULL,
  member_id              text,
  activity_date          date NOT NULL,
  miles                  bigint NOT NULL,
  spend_minor            bigint,
  spend_currency         text,
  billable_minor         bigint NOT NULL DEFAULT 0,
  billable_currency      text NOT NULL,
  status                 smallint NOT NULL,
  reject_reason          text NOT NULL DEFAULT '',
  transaction_id         text,
  post_time              timestamptz NOT NULL,
  PRIMARY KEY (partner_code, partner_transaction_id)
);
CREATE INDEX partner_accruals_period_idx ON partner_accruals (partner_code, activity_date, partner_transaction_id);

CREATE TABLE partner_monthly_usage (
  partner_code text NOT NULL,
  month        text NOT NULL,
  miles        bigint NOT NULL,
  PRIMARY KEY (partner_code, month)
);

CREATE TABLE awards (
  code           text PRIMARY KEY,
  category       smallint NOT NULL,
  name_en        text NOT NULL,
  name_zh        text NOT NULL,
  miles_price    bigint NOT NULL CHECK (miles_price > 0),
  copay_minor    bigint,
  copay_currency text,
  partner_code   text,
  available      boolean NOT NULL DEFAULT true
);

CREATE TABLE redemption_quotes (
  id             text PRIMARY KEY,
  member_id      text NOT NULL REFERENCES members (id),
  award_code     text NOT NULL REFERENCES awards (code),
  quantity       integer NOT NULL,
  miles          bigint NOT NULL,
  copay_minor    bigint,
  copay_currency text,
  expire_time    timestamptz NOT NULL
);

CREATE TABLE redemptions (
  id                  text PRIMARY KEY,
  member_id           text NOT NULL REFERENCES members (id),
  quote_id            text NOT NULL UNIQUE REFERENCES redemption_quotes (id),
  award_code          text NOT NULL,
  quantity            integer NOT NULL,
  miles               bigint NOT NULL,
  copay_minor         bigint,
  copay_currency      text,
  status              smallint NOT NULL,
  hold_expire_time    timestamptz NOT NULL,
  hold_transaction_id text NOT NULL,
  confirm_time        timestamptz,
  cancel_time         timestamptz,
  cancel_reason       text,
  transaction_id      text,
  version             bigint NOT NULL DEFAULT 1
);
CREATE INDEX redemptions_held_idx ON redemptions (hold_expire_time) WHERE status = 1;

CREATE TABLE tier_evaluations (
  member_id     text NOT NULL REFERENCES members (id),
  period_end    date NOT NULL,
  previous_tier smallint NOT NULL,
  new_tier      smallint NOT NULL,
  evaluated_at  timestamptz NOT NULL,
  PRIMARY KEY (member_id, period_end)
);

INSERT INTO accounts (id, member_id, kind) VALUES
  ('sys:flight_accrual', NULL, 'source'),
  ('sys:compensation', NULL, 'source'),
  ('sys:manual_adjustment', NULL, 'source'),
  ('sys:redemption', NULL, 'sink'),
  ('sys:expiry', NULL, 'sink');

INSERT INTO awards (code, category, name_en, name_zh, miles_price, copay_minor, copay_currency, partner_code) VALUES
  ('TKT-DOM-Y', 1, 'Domestic economy award ticket (one way)', '国内经济舱奖励机票（单程）', 12500, 5000, 'CNY', NULL),
  ('TKT-INTL-Y', 1, 'International economy award ticket (one way)', '国际经济舱奖励机票（单程）', 35000, 45000, 'CNY', NULL),
  ('TKT-INTL-J', 1, 'International business award ticket (one way)', '国际公务舱奖励机票（单程）', 80000, 45000, 'CNY', NULL),
  ('UPG-J', 2, 'Upgrade to business class (one segment)', '升舱至公务舱（单航段）', 20000, NULL, NULL, NULL),
  ('LOUNGE-1', 3, 'Lounge pass (one visit)', '贵宾休息室单次券', 3000, NULL, NULL, NULL),
  ('BAG-1', 4, 'Extra checked bag (one segment)', '额外托运行李（单航段）', 5000, NULL, NULL, NULL),
  ('HTL-NIGHT', 5, 'Partner hotel night', '合作酒店住宿一晚', 8000, NULL, NULL, NULL);
`;

export const loyaltySchemaMigration: Migration = { version: 3, name: 'loyalty_schema', sql: LOYALTY_SCHEMA_SQL };
