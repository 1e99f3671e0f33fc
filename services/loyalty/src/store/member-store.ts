import { NotFoundError } from '@csm/platform/errors';
import type { SqlExecutor } from '@csm/platform/stores';
import type { MemberRecord } from '../domain/records';
import { toMember } from './rows';

export async function findMember(q: SqlExecutor, key: { id?: string; memberNumber?: string; passengerId?: string }, forUpdate = false): Promise<MemberRecord | undefined> {
  const [col, val] = key.id !== undefined ? ['id', key.id] : key.memberNumber !== undefined ? ['member_number', key.memberNumber] : ['passenger_id', key.passengerId];
  const res = await q.query(`SELECT * FROM members WHERE ${col} = $1${forUpdate ? ' FOR UPDATE' : ''}`, [val]);
  return res.rows[0] ? toMember(res.rows[0]) : undefined;
}

export async function getMember(q: SqlExecutor, id: string, forUpdate = false): Promise<MemberRecord> {
  const m = await findMember(q, { id }, forUpdate);
  if (!m) throw new NotFoundError('member', id);
  return m;
}

export async function accountBalances(q: SqlExecutor, memberId: string): Promise<{ available: number; held: number }> {
  const res = await q.query<{ id: string; balance: string }>(`SELECT id, balance FROM accounts WHERE member_id = $1`, [memberId]);
  let available = 0;
  let held = 0;
  for (const r of res.rows) {
    if (r.id.endsWith(':available')) available = Number(r.balance);
    else if (r.id.endsWith(':held')) held = Number(r.balance);
  }
  return { available, held };
}

/** Qualifying miles and segments with activity dates in [from, to]. */
export async function qualification(q: SqlExecutor, memberId: string, from: string, to: string): Promise<{ qualifyingMiles: number; qualifyingSegments: number }> {
  const res = await q.query<{ qm: string | null; qs: string | null }>(
    `SELECT sum(qualifying_miles) AS qm, sum(qualifying_segments) AS qs FROM ledger_transactions
      WHERE member_id = $1 AND activity_date BETWEEN $2 AND $3 AND (qualifying_miles <> 0 OR qualifying_segments <> 0)`,
    [memberId, from, to],
  );
  return { qualifyingMiles: Number(res.rows[0]?.qm ?? 0), qualifyingSegments: Number(res.rows[0]?.qs ?? 0) };
}
