// Member statement: the entries whose activity date falls in the period, with the opening balance (everything
// before it) and the closing balance (opening + the period's entries). Balances are the member's own miles
// (available + held): holds and their releases move miles between the two and do not appear.
import type { Principal } from '@csm/platform/security';
import type { EntryRecord } from '../domain/records';
import { Violations } from '../domain/validate';
import { getMember } from '../store/member-store';
import { toEntry } from '../store/rows';
import { requireMemberAccess } from './authz';
import type { AppDeps } from './deps';
import { decodePageToken, encodePageToken, pageSize } from './paging';

export interface StatementRecord {
  readonly entries: EntryRecord[];
  readonly opening: number;
  readonly closing: number;
  readonly credited: number;
  readonly debited: number;
  readonly nextPageToken: string;
}

const MIN_DATE = '0001-01-01';
const MAX_DATE = '9999-12-31';

export async function statement(
  deps: AppDeps,
  p: Principal,
  input: { memberId: string; startDate: string; endDate: string; pageSize: number; pageToken: string },
): Promise<StatementRecord> {
  const v = new Violations().required('member_id', input.memberId).date('period.start_date', input.startDate, false).date('period.end_date', input.endDate, false);
  if (input.startDate && input.endDate && input.startDate > input.endDate) v.add('period.end_date', 'must not be before start_date', 'RANGE');
  const after = decodePageToken(input.pageToken, v, 'page.page_token');
  v.throwIfAny();
  const m = await getMember(deps.db, input.memberId);
  requireMemberAccess(p, m);
  const start = input.startDate || MIN_DATE;
  const end = input.endDate || MAX_DATE;
  const totals = await deps.db.query<{ opening: string | null; credited: string | null; debited: string | null }>(
    `SELECT sum(miles) FILTER (WHERE activity_date < $2) AS opening,
            sum(miles) FILTER (WHERE activity_date BETWEEN $2 AND $3 AND miles > 0) AS credited,
            sum(-miles) FILTER (WHERE activity_date BETWEEN $2 AND $3 AND miles < 0) AS debited
       FROM ledger_transactions WHERE member_id = $1`,
    [m.id, start, end],
  );
  const opening = Number(totals.rows[0]?.opening ?? 0);
  const credited = Number(totals.rows[0]?.credited ?? 0);
  const debited = Number(totals.rows[0]?.debited ?? 0);
  const size = pageSize(input.pageSize);
  const [afterDate = '', afterId = ''] = after ? after.split('|') : [];
  const res = await deps.db.query(
    `SELECT * FROM ledger_transactions
      WHERE member_id = $1 AND activity_date BETWEEN $2 AND $3 AND miles <> 0
        AND ($4 = '' OR (activity_date, id) > ($4::date, $5))
      ORDER BY activity_date, id LIMIT $6`,
    [m.id, start, end, afterDate, afterId, size + 1],
  );
  const entries = res.rows.slice(0, size).map(toEntry);
  const last = entries[entries.length - 1];
  return {
    entries,
    opening,
    closing: opening + credited - debited,
    credited,
    debited,
    nextPageToken: res.rows.length > size && last ? encodePageToken(`${last.activityDate}|${last.id}`) : '',
  };
}
