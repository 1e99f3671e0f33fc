// Must show: any sequence of accruals, redemptions, cancellations and expiries keeps every account's balance equal to
// the sum of its postings and never negative, and the ledger's total is zero.
import { ANONYMOUS, type Principal } from '@csm/platform/security';
import { isDomainError } from '@csm/platform/errors';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { compensate, manualAdjust } from '../src/app/accrual';
import type { AppDeps } from '../src/app/deps';
import { runExpiry } from '../src/app/jobs';
import { enroll } from '../src/app/members';
import { cancelRedemption, confirmRedemption, holdRedemption, quoteRedemption, releaseLapsedHolds } from '../src/app/redemption';
import { ledgerInvariants } from './support/harness';
import { pgliteDeps, type Clock } from './support/app-deps';

const agent: Principal = { ...ANONYMOUS, subject: 'agent-1', roles: ['agent_l2'] };
const clock: Clock = { now: new Date('2026-01-01T00:00:00Z') };
let deps: AppDeps;

beforeAll(async () => {
  deps = await pgliteDeps(clock);
}, 120_000);
afterAll(() => deps?.db.close());

type Op =
  | { t: 'accrue'; m: number; miles: number }
  | { t: 'debit'; m: number; miles: number }
  | { t: 'hold'; m: number; award: string; qty: number }
  | { t: 'confirm'; r: number }
  | { t: 'cancel'; r: number }
  | { t: 'time'; days: number }
  | { t: 'expire' };

const AWARDS = ['LOUNGE-1', 'BAG-1', 'HTL-NIGHT', 'UPG-J'];
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('accrue' as const), m: fc.nat(2), miles: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ t: fc.constant('debit' as const), m: fc.nat(2), miles: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ t: fc.constant('hold' as const), m: fc.nat(2), award: fc.constantFrom(...AWARDS), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('confirm' as const), r: fc.nat(20) }),
  fc.record({ t: fc.constant('cancel' as const), r: fc.nat(20) }),
  fc.record({ t: fc.constant('time' as const), days: fc.integer({ min: 1, max: 400 }) }),
  fc.constant({ t: 'expire' as const }),
);

/** Business refusals (insufficient miles, wrong state, lapsed hold) are expected outcomes; anything else is a bug. */
async function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isDomainError(err) || err.grpcCode === 13) throw err;
  }
}

describe('ledger invariants (property-based, PGlite)', () => {
  it('hold under every sequence of accruals, redemptions, cancellations and expiries', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        n++;
        const members: string[] = [];
        for (let i = 0; i < 3; i++) {
          const m = await enroll(deps, agent, { passengerId: `pax_${ulid()}`, enrollmentChannel: 'web', referringPartnerCode: '', idempotencyKey: `p${n}-e${i}-${ulid()}` });
          members.push(m.id);
        }
        const redemptions: string[] = [];
        let k = 0;
        for (const o of ops) {
          const key = `p${n}-${k++}-${ulid()}`;
          switch (o.t) {
            case 'accrue':
              await attempt(() => compensate(deps, agent, { memberId: members[o.m], miles: o.miles, caseId: 'case_x', reason: 'r', idempotencyKey: key }, 1_000_000));
              break;
            case 'debit':
              await attempt(() => manualAdjust(deps, agent, { memberId: members[o.m] as string, miles: -o.miles, reason: 'correction', approverId: 'sup-1', idempotencyKey: key }, 1_000_000));
              break;
            case 'hold':
              await attempt(async () => {
                const q = await quoteRedemption(deps, agent, { memberId: members[o.m] as string, awardCode: o.award, quantity: o.qty });
                const r = await holdRedemption(deps, agent, { quoteId: q.id, idempotencyKey: key });
                redemptions.push(r.id);
              });
              break;
            case 'confirm':
              if (redemptions.length > 0) await attempt(() => confirmRedemption(deps, agent, redemptions[o.r % redemptions.length] as string));
              break;
            case 'cancel':
              if (redemptions.length > 0) await attempt(() => cancelRedemption(deps, agent, redemptions[o.r % redemptions.length] as string, 'changed plans'));
              break;
            case 'time':
              clock.now = new Date(clock.now.getTime() + o.days * 86_400_000);
              await releaseLapsedHolds(deps);
              break;
            case 'expire':
              await runExpiry(deps, '');
              break;
          }
        }
        const inv = await ledgerInvariants(deps);
        expect(inv).toEqual({ mismatches: 0, negative: 0, total: 0, unbalanced: 0 });
        // Each member's statement closes at its own miles (available + held).
        for (const id of members) {
          const s = await deps.db.query<{ s: string | null }>(`SELECT sum(miles) AS s FROM ledger_transactions WHERE member_id = $1`, [id]);
          const b = await deps.db.query<{ s: string | null }>(`SELECT sum(balance) AS s FROM accounts WHERE member_id = $1`, [id]);
          expect(Number(s.rows[0]?.s ?? 0)).toBe(Number(b.rows[0]?.s ?? 0));
        }
      }),
      { numRuns: 30 },
    );
  }, 180_000);

  it('the database itself refuses an unbalanced transaction and any change to posted entries', async () => {
    await expect(
      deps.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ledger_transactions (id, kind, miles, activity_date, post_time, balance_after) VALUES ('txn_bad', 4, 0, '2026-01-01', now(), 0)`);
        await tx.query(`INSERT INTO postings (transaction_id, account_id, amount) VALUES ('txn_bad', 'sys:compensation', -5)`);
      }),
    ).rejects.toThrow(/not balanced/);
    // A posting for a transaction that does not exist, and postings added later to a transaction already balanced.
    await expect(deps.db.query(`INSERT INTO postings (transaction_id, account_id, amount) VALUES ('txn_none', 'sys:compensation', -5), ('txn_none', 'sys:expiry', 5)`)).rejects.toThrow(/not balanced or does not exist/);
    const [posted] = (await deps.db.query<{ transaction_id: string }>(`SELECT transaction_id FROM postings LIMIT 1`)).rows;
    expect(posted).toBeDefined();
    await expect(deps.db.query(`INSERT INTO postings (transaction_id, account_id, amount) VALUES ($1, 'sys:expiry', 7)`, [posted?.transaction_id])).rejects.toThrow(/not balanced/);
    await expect(deps.db.query(`UPDATE postings SET amount = amount + 1 WHERE id = (SELECT min(id) FROM postings)`)).rejects.toThrow(/append-only/);
    await expect(deps.db.query(`DELETE FROM ledger_transactions`)).rejects.toThrow(/append-only/);
  });
});
