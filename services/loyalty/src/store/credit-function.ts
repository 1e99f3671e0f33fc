// Migration 4: the one-statement member credit as a PL/pgSQL function over arrays (one element per credit). PL/pgSQL
// keeps the prepared plan of its statement for the session, so a credit no longer pays for parsing and planning a
// six-part data-modifying statement on every call (measured: that was ~40 % of a credit's server time), and the client
// sends a one-line `SELECT * FROM loyalty_credit(...)`. One call is one statement, hence one transaction: all credits of
// a call are written, or none.
//
// Per credit, all or nothing: claim the idempotency key (only for an active member; a key already used — also by an
// earlier element of the same call — writes nothing), move the miles from the source account to the member's available
// account, append the ledger transaction and its two postings (checked balanced by the postings trigger), record the
// activity date, and append the outbox event with `data.balanceAfter` filled in. Returns the ledger rows written.
//
// Lock order, so concurrent calls (batches of several replicas) cannot deadlock: every idempotency key is claimed first,
// in (caller, key) order; then each member account is locked once, in id order, before it is updated; a member row is
// only updated after its account is locked.
import { OUTBOX_INSERT_COLUMNS } from '@csm/platform/events';
import type { Migration } from '@csm/platform/stores';

const CREDIT_FUNCTION_SQL = `
CREATE FUNCTION loyalty_credit(
  p_caller text[], p_key text[], p_operation text[], p_hash text[], p_id text[], p_member_id text[], p_account text[],
  p_source text[], p_miles bigint[], p_kind smallint[], p_activity_date date[], p_post_time timestamptz[],
  p_description text[], p_case_id text[], p_actor_kind smallint[], p_actor_id text[], p_approver_id text[],
  p_ev_id text[], p_ev_topic text[], p_ev_aggregate text[], p_ev_type text[], p_ev_envelope text[], p_active_status smallint)
RETURNS SETOF ledger_transactions LANGUAGE plpgsql VOLATILE
-- The plan does not depend on the values (arrays, keys): always reuse the cached generic plan, never re-plan.
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN QUERY
  WITH i AS (
    SELECT * FROM unnest(p_caller, p_key, p_operation, p_hash, p_id, p_member_id, p_account, p_source, p_miles, p_kind,
                         p_activity_date, p_post_time, p_description, p_case_id, p_actor_kind, p_actor_id, p_approver_id,
                         p_ev_id, p_ev_topic, p_ev_aggregate, p_ev_type, p_ev_envelope)
      WITH ORDINALITY AS x(caller, key, operation, hash, id, member_id, account, source, miles, kind, activity_date, post_time,
                           description, case_id, actor_kind, actor_id, approver_id, ev_id, ev_topic, ev_aggregate, ev_type, ev_envelope, ord)),
  claim AS (
    INSERT INTO idempotency_keys AS k (caller, key, operation, request_hash, response)
    SELECT i.caller, i.key, i.operation, i.hash, jsonb_build_object('entryId', i.id) FROM i
     WHERE EXISTS (SELECT 1 FROM members m WHERE m.id = i.member_id AND m.status = p_active_status)
     ORDER BY i.caller, i.key, i.ord
    ON CONFLICT DO NOTHING RETURNING k.response->>'entryId' AS id),
  c AS (SELECT i.* FROM i JOIN claim ON claim.id = i.id),
  lk AS (SELECT a.id FROM accounts a WHERE a.id IN (SELECT c.account FROM c) ORDER BY a.id FOR NO KEY UPDATE),
  acct AS (
    UPDATE accounts a SET balance = a.balance + s.total
      FROM (SELECT c.account, sum(c.miles) AS total FROM c GROUP BY c.account) s
     WHERE a.id = s.account AND a.id IN (SELECT lk.id FROM lk)
    RETURNING a.id, a.balance),
  t AS (
    INSERT INTO ledger_transactions AS lt (id, member_id, kind, miles, activity_date, post_time, description, case_id,
                                           actor_kind, actor_id, approver_id, balance_after)
    SELECT c.id, c.member_id, c.kind, c.miles, c.activity_date, c.post_time, c.description, c.case_id, c.actor_kind,
           c.actor_id, c.approver_id,
           -- credits of one member apply in call order: the new balance less what later credits of the call added
           acct.balance - sum(c.miles) OVER (PARTITION BY c.account) + sum(c.miles) OVER (PARTITION BY c.account ORDER BY c.ord)
      FROM c JOIN acct ON acct.id = c.account
    RETURNING lt.*),
  p AS (
    INSERT INTO postings (transaction_id, account_id, amount)
    SELECT t.id, x.a, x.m FROM t JOIN c ON c.id = t.id, LATERAL (VALUES (c.source, -c.miles), (c.account, c.miles)) AS x(a, m)),
  -- Only when the date moves forward: repeated credits on one day leave the member row alone (no new row version).
  act AS (
    UPDATE members m SET last_activity_date = d.day
      FROM (SELECT t.member_id, max(t.activity_date) AS day FROM t GROUP BY t.member_id) d
     WHERE m.id = d.member_id AND (m.last_activity_date IS NULL OR m.last_activity_date < d.day)),
  ev AS (
    INSERT INTO outbox (${OUTBOX_INSERT_COLUMNS})
    SELECT c.ev_id, c.ev_topic, c.ev_aggregate, c.ev_type, jsonb_set(c.ev_envelope::jsonb, '{data,balanceAfter}', to_jsonb(t.balance_after))
      FROM t JOIN c ON c.id = t.id ORDER BY c.ord)
  SELECT t.* FROM t;
END $$;
`;

export const creditFunctionMigration: Migration = { version: 4, name: 'loyalty_credit_function', sql: CREDIT_FUNCTION_SQL };
