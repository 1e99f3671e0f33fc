// Migration 5: the postings check (exists + balanced, schema.ts) looks each touched transaction up by key.
//
// Why: the set-based check of migration 3 is one parameterless query, so its plan is made once per session and kept
// until the tables are next analyzed. Made while the ledger was small (a fresh database, or growth faster than
// autovacuum's analyze), that plan scans ledger_transactions and postings in full — on every INSERT into postings,
// ever slower as the ledger grows (measured: 28 ms per 64-credit statement after ~2,000 postings, where the lookups
// take well under 1 ms). Here every query is a single-table equality on an indexed column and sequential scans are
// off inside the function, so the check costs two index probes per transaction whatever the statistics say.
import type { Migration } from '@csm/platform/stores';

const BALANCED_CHECK_SQL = `
CREATE OR REPLACE FUNCTION loyalty_ledger_balanced() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
DECLARE
  tx text;
BEGIN
  FOR tx IN SELECT DISTINCT n.transaction_id FROM new_postings n LOOP
    IF NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = tx)
       OR (SELECT sum(p.amount) FROM postings p WHERE p.transaction_id = tx) <> 0 THEN
      RAISE EXCEPTION 'loyalty ledger transaction % is not balanced or does not exist', tx;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
`;

export const balancedCheckMigration: Migration = { version: 5, name: 'loyalty_balanced_check_by_key', sql: BALANCED_CHECK_SQL };
