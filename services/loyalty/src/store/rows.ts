// Row → record mapping shared by the stores. int8 arrives as a string from both adapters.
import type { EntryRecord, MemberRecord } from '../domain/records';

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

export type Row = Record<string, unknown>;

export function toMember(r: Row): MemberRecord {
  return {
    id: String(r.id),
    memberNumber: String(r.member_number),
    passengerId: String(r.passenger_id),
    status: Number(r.status),
    tier: Number(r.tier),
    tierValidUntil: (r.tier_valid_until as string | null) ?? null,
    enrollmentChannel: String(r.enrollment_channel ?? ''),
    referringPartnerCode: String(r.referring_partner_code ?? ''),
    enrollTime: iso(r.enroll_time),
    closeTime: isoOrNull(r.close_time),
    lastActivityDate: (r.last_activity_date as string | null) ?? null,
    createdBy: { kind: Number(r.created_by_kind), id: String(r.created_by_id ?? '') },
    updateTime: iso(r.update_time),
    version: Number(r.version),
  };
}

export function toEntry(r: Row): EntryRecord {
  return {
    id: String(r.id),
    memberId: String(r.member_id ?? ''),
    kind: Number(r.kind),
    miles: Number(r.miles),
    qualifyingMiles: Number(r.qualifying_miles),
    qualifyingSegments: Number(r.qualifying_segments),
    activityDate: String(r.activity_date),
    postTime: iso(r.post_time),
    description: String(r.description ?? ''),
    flight: r.flight_carrier ? { carrier: String(r.flight_carrier), number: String(r.flight_number ?? ''), date: String(r.flight_date ?? '') } : null,
    partnerCode: String(r.partner_code ?? ''),
    partnerTransactionId: String(r.partner_transaction_id ?? ''),
    caseId: String(r.case_id ?? ''),
    redemptionId: String(r.redemption_id ?? ''),
    relatedEntryId: String(r.related_entry_id ?? ''),
    actor: { kind: Number(r.actor_kind), id: String(r.actor_id ?? '') },
    approverId: String(r.approver_id ?? ''),
    balanceAfter: Number(r.balance_after),
  };
}

export { iso, isoOrNull };
