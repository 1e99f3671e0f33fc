// Membership use cases: enrol (one member per passenger, a Luhn-checked frequent-flyer number), read, close, balance,
// tier standing.
import { Tier, MemberStatus, memberStatusToJSON } from '@csm/contracts/gen/csm/loyalty/v1/member';
import { AlreadyExistsError, IllegalStateTransitionError, NotFoundError } from '@csm/platform/errors';
import { requireSelfOrRole, type Principal } from '@csm/platform/security';
import { addMonths, toIsoDate } from '../domain/dates';
import { newMemberNumber } from '../domain/ff-number';
import { newId } from '../domain/ids';
import { memberAvailable, memberHeld } from '../domain/ledger';
import type { BalanceRecord, MemberRecord } from '../domain/records';
import { progressToNext, type TierProgress } from '../domain/tiers';
import { ID_PATTERNS, Violations } from '../domain/validate';
import { emit } from '../events/outbox-events';
import { accountBalances, findMember, getMember, qualification } from '../store/member-store';
import { actorOf } from './actor';
import { requireMemberAccess, requireRole, STAFF_READ, STAFF_WRITE } from './authz';
import type { AppDeps } from './deps';
import { idempotent } from './idempotent';

export interface EnrollInput {
  readonly passengerId: string;
  readonly enrollmentChannel: string;
  readonly referringPartnerCode: string;
  readonly idempotencyKey: string;
}

export async function enroll(deps: AppDeps, p: Principal, input: EnrollInput): Promise<MemberRecord> {
  const v = new Violations()
    .required('passenger_id', input.passengerId)
    .pattern('passenger_id', input.passengerId, ID_PATTERNS.passenger, 'a passenger id (pax_ + ULID)')
    .maxLength('enrollment_channel', input.enrollmentChannel, 32)
    .pattern('referring_partner_code', input.referringPartnerCode, ID_PATTERNS.partnerCode, 'a partner code (2-12 upper-case letters or digits)')
    .required('idempotency_key', input.idempotencyKey)
    .pattern('idempotency_key', input.idempotencyKey, ID_PATTERNS.idempotencyKey, '1-128 printable ASCII characters');
  v.throwIfAny();
  requireSelfOrRole(p, input.passengerId, ...STAFF_WRITE, 'partner');
  const actor = actorOf(p);
  const { passengerId, enrollmentChannel, referringPartnerCode } = input;
  const { result } = await deps.db.transaction((tx) =>
    idempotent(tx, actor.id, input.idempotencyKey, 'Enroll', { passengerId, enrollmentChannel, referringPartnerCode }, async () => {
      if (await findMember(tx, { passengerId })) throw new AlreadyExistsError('member', `for passenger ${passengerId}`);
      const now = deps.now();
      const id = newId.member();
      let row: Record<string, unknown> | undefined;
      for (let attempt = 0; !row && attempt < 5; attempt++) {
        const res = await tx.query(
          `INSERT INTO members (id, member_number, passenger_id, status, tier, enrollment_channel, referring_partner_code, enroll_time,
             created_by_kind, created_by_id, update_time)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$8) ON CONFLICT DO NOTHING RETURNING *`,
          [id, newMemberNumber(), passengerId, MemberStatus.MEMBER_STATUS_ACTIVE, Tier.TIER_STANDARD, enrollmentChannel, referringPartnerCode, now, actor.kind, actor.id],
        );
        row = res.rows[0];
        // A collision on passenger_id means a concurrent enrolment won; on member_number, draw another number.
        if (!row && (await findMember(tx, { passengerId }))) throw new AlreadyExistsError('member', `for passenger ${passengerId}`);
      }
      if (!row) throw new Error('could not allocate a member number');
      await tx.query(`INSERT INTO accounts (id, member_id, kind) VALUES ($1, $3, 'available'), ($2, $3, 'held')`, [memberAvailable(id), memberHeld(id), id]);
      const member = await getMember(tx, id);
      await emit(tx, 'csm.loyalty.member.enrolled.v1', {
        memberId: id,
        memberNumber: member.memberNumber,
        passengerId,
        tier: Tier.TIER_STANDARD,
        enrollmentChannel,
        referringPartnerCode,
      });
      return member;
    }),
  );
  deps.notifyOutbox();
  return result;
}

export async function readMember(deps: AppDeps, p: Principal, key: { id?: string; memberNumber?: string; passengerId?: string }): Promise<MemberRecord> {
  const v = new Violations();
  if (key.id === undefined && key.memberNumber === undefined && key.passengerId === undefined) v.add('key', 'one of member_id, member_number, passenger_id is required', 'REQUIRED');
  v.throwIfAny();
  const m = await findMember(deps.db, key);
  if (!m) {
    requireRole(p, ...STAFF_READ, 'passenger', 'partner');
    throw new NotFoundError('member', key.id ?? key.memberNumber ?? key.passengerId ?? '');
  }
  requireMemberAccess(p, m);
  return m;
}

export async function closeMember(deps: AppDeps, p: Principal, memberId: string, reason: string): Promise<MemberRecord> {
  new Violations().required('member_id', memberId).required('reason', reason).maxLength('reason', reason, 500).throwIfAny();
  const result = await deps.db.transaction(async (tx) => {
    const m = await getMember(tx, memberId, true);
    requireMemberAccess(p, m, ['agent_l2', 'agent_l3', 'supervisor', 'admin']);
    if (m.status === MemberStatus.MEMBER_STATUS_CLOSED) return m; // closing twice is a no-op, not an error
    if (m.status !== MemberStatus.MEMBER_STATUS_ACTIVE && m.status !== MemberStatus.MEMBER_STATUS_SUSPENDED) {
      throw new IllegalStateTransitionError('member', memberStatusToJSON(m.status), 'MEMBER_STATUS_CLOSED', ['MEMBER_STATUS_CLOSED']);
    }
    const held = await accountBalances(tx, memberId);
    if (held.held > 0) {
      throw new IllegalStateTransitionError('member', 'MEMBER_STATUS_ACTIVE (with held redemptions)', 'MEMBER_STATUS_CLOSED', ['confirm or cancel the held redemptions first']);
    }
    await tx.query(`UPDATE members SET status = $2, close_time = $3, close_reason = $4, update_time = $3, version = version + 1 WHERE id = $1`, [
      memberId,
      MemberStatus.MEMBER_STATUS_CLOSED,
      deps.now(),
      reason,
    ]);
    return getMember(tx, memberId);
  });
  return result;
}

export async function balance(deps: AppDeps, p: Principal, memberId: string): Promise<BalanceRecord> {
  new Violations().required('member_id', memberId).throwIfAny();
  const m = await getMember(deps.db, memberId);
  requireMemberAccess(p, m);
  return balanceOf(deps, m);
}

/** The balance of a member already read and access-checked. */
export async function balanceOf(deps: AppDeps, m: MemberRecord): Promise<BalanceRecord> {
  const memberId = m.id;
  const { available, held } = await accountBalances(deps.db, memberId);
  const life = await deps.db.query<{ s: string | null }>(`SELECT sum(miles) AS s FROM ledger_transactions WHERE member_id = $1 AND miles > 0 AND kind IN (1,2,3,4)`, [memberId]);
  const expiring =
    available > 0 && m.lastActivityDate !== null ? [{ expireDate: addMonths(m.lastActivityDate, deps.rules.expiryMonths), miles: available }] : [];
  return { memberId, available, held, lifetime: Number(life.rows[0]?.s ?? 0), expiring, asOf: deps.now().toISOString() };
}

export interface TierStatusRecord {
  readonly member: MemberRecord;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly qualifyingMiles: number;
  readonly qualifyingSegments: number;
  readonly progress: TierProgress;
}

export async function tierStatus(deps: AppDeps, p: Principal, memberId: string): Promise<TierStatusRecord> {
  new Violations().required('member_id', memberId).throwIfAny();
  const m = await getMember(deps.db, memberId);
  requireMemberAccess(p, m);
  return tierStatusOf(deps, m);
}

/** The tier status of a member already read and access-checked. */
export async function tierStatusOf(deps: AppDeps, m: MemberRecord): Promise<TierStatusRecord> {
  const windowEnd = toIsoDate(deps.now());
  const windowStart = addMonths(windowEnd, -deps.rules.tierWindowMonths);
  const q = await qualification(deps.db, m.id, windowStart, windowEnd);
  return { member: m, windowStart, windowEnd, ...q, progress: progressToNext(deps.rules, m.tier, q) };
}
