import { eventCodec, loyalty, profile } from '@csm/contracts';
import type { CloudEvent } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';
import { asRecord, enumName, nonEmpty } from './raw-fields';
import { ProjectionStatement } from './statement';

const PASSENGER_FACTS = ['fact_case', 'fact_survey', 'fact_text_sentiment', 'dim_member'] as const;

/** Loyalty topic → dim_member (tier, passenger link), fact_loyalty_posting (earned / redeemed / returned / expired), fact_tier_change. */
export async function projectLoyaltyEvent(event: CloudEvent, tx: SqlTx, timeZone: string): Promise<boolean> {
  const raw = asRecord(event.data);
  const at = new Date(event.time);
  const st = new ProjectionStatement(timeZone);
  const tierOf = (decoded: number, field = 'tier') => enumName(raw, field, decoded, loyalty.tierToJSON);
  const posting = async (p: { id: string; memberId: string; direction: string; kind: string | null; miles: number; partner?: string | null; flight?: { carrier: string; number: string; date: string } | undefined }) => {
    const key = st.date(at);
    st.dim('dim_carrier', nonEmpty(p.flight?.carrier));
    await st.run(
      tx,
      `INSERT INTO fact_loyalty_posting (posting_id, member_id, direction, transaction_kind, miles, posting_time, date_key, partner_code, flight_carrier, flight_number, flight_date)
       VALUES (${st.p(p.id)}, ${st.p(p.memberId)}, ${st.p(p.direction)}, ${st.p(p.kind)}, ${st.p(p.miles)}, ${st.p(at)}, ${st.p(key)},
               ${st.p(p.partner ?? null)}, ${st.p(nonEmpty(p.flight?.carrier))}, ${st.p(nonEmpty(p.flight?.number))}, ${st.p(nonEmpty(p.flight?.date))})
       ON CONFLICT (posting_id) DO NOTHING`,
    );
    return true;
  };
  switch (event.type) {
    case 'csm.loyalty.member.enrolled.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const tier = tierOf(e.tier);
      st.dim('dim_tier', tier);
      await st.run(
        tx,
        `INSERT INTO dim_member (member_id, passenger_id, tier, enroll_time) VALUES (${st.p(e.memberId)}, ${st.passenger(nonEmpty(e.passengerId))}, ${st.p(tier)}, ${st.p(at)})
         ON CONFLICT (member_id) DO UPDATE SET passenger_id = EXCLUDED.passenger_id, tier = COALESCE(dim_member.tier, EXCLUDED.tier), enroll_time = EXCLUDED.enroll_time`,
      );
      return true;
    }
    case 'csm.loyalty.member.miles_accrued.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      return posting({ id: nonEmpty(e.transactionId) ?? event.id, memberId: e.memberId, direction: 'EARNED', kind: enumName(raw, 'kind', e.kind, loyalty.transactionKindToJSON), miles: e.miles, partner: nonEmpty(e.partnerCode), flight: e.flight });
    }
    case 'csm.loyalty.partner.accrual_posted.v1': {
      // The same ledger transaction as the member's MilesAccrued: the shared posting id makes it count once.
      const e = eventCodec(event.type).fromJSON(raw);
      return posting({ id: nonEmpty(e.transactionId) ?? event.id, memberId: e.memberId, direction: 'EARNED', kind: 'TRANSACTION_KIND_PARTNER_ACCRUAL', miles: e.miles, partner: nonEmpty(e.partnerCode) });
    }
    case 'csm.loyalty.member.miles_redeemed.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      return posting({ id: nonEmpty(e.transactionId) ?? event.id, memberId: e.memberId, direction: 'REDEEMED', kind: 'TRANSACTION_KIND_REDEMPTION', miles: e.miles });
    }
    case 'csm.loyalty.member.redemption_cancelled.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      if (e.milesReturned <= 0) return true;
      return posting({ id: `return:${e.redemptionId || event.id}`, memberId: e.memberId, direction: 'REDEMPTION_RETURNED', kind: 'TRANSACTION_KIND_REDEMPTION_REVERSAL', miles: e.milesReturned });
    }
    case 'csm.loyalty.member.miles_expired.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      return posting({ id: nonEmpty(e.transactionId) ?? event.id, memberId: e.memberId, direction: 'EXPIRED', kind: null, miles: e.miles });
    }
    case 'csm.loyalty.member.tier_changed.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const tier = tierOf(e.tier);
      const previous = tierOf(e.previousTier, 'previousTier');
      const downgrade = e.previousTier > 0 && e.tier > 0 && e.tier < e.previousTier;
      st.dim('dim_tier', tier);
      await st.run(
        tx,
        `INSERT INTO dim_member (member_id, tier, last_downgrade_time) VALUES (${st.p(e.memberId)}, ${st.p(tier)}, ${st.p(downgrade ? at : null)}::timestamptz)
         ON CONFLICT (member_id) DO UPDATE SET tier = EXCLUDED.tier,
           last_downgrade_time = GREATEST(dim_member.last_downgrade_time, EXCLUDED.last_downgrade_time)`,
      );
      await tx.query(
        `INSERT INTO fact_tier_change (event_id, member_id, previous_tier, tier, reason, downgrade, change_time) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [event.id, e.memberId, previous, tier, enumName(raw, 'reason', e.reason, loyalty.tierChangeReasonToJSON), downgrade, at],
      );
      return true;
    }
    default:
      return false;
  }
}

/** Profile topic → dim_passenger (type, grade, VIP level), fact_passenger_classification; merges and erasure. */
export async function projectProfileEvent(event: CloudEvent, tx: SqlTx): Promise<boolean> {
  const raw = asRecord(event.data);
  const at = new Date(event.time);
  switch (event.type) {
    case 'csm.profile.passenger.created.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      await tx.query(
        `INSERT INTO dim_passenger (passenger_id, passenger_type, grade, vip_level, version)
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM passenger_redirect WHERE passenger_id = $1)
         ON CONFLICT (passenger_id) DO UPDATE SET passenger_type = EXCLUDED.passenger_type, grade = EXCLUDED.grade, vip_level = EXCLUDED.vip_level, version = EXCLUDED.version
         WHERE EXCLUDED.version >= dim_passenger.version`,
        [e.passengerId, enumName(raw, 'type', e.type, profile.passengerTypeToJSON), enumName(raw, 'grade', e.grade, profile.customerGradeToJSON), e.vipLevel, e.version],
      );
      return true;
    }
    case 'csm.profile.passenger.classified.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const type = enumName(raw, 'type', e.type, profile.passengerTypeToJSON);
      const grade = enumName(raw, 'grade', e.grade, profile.customerGradeToJSON);
      await tx.query(
        `INSERT INTO dim_passenger (passenger_id, passenger_type, grade, vip_level, version)
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM passenger_redirect WHERE passenger_id = $1)
         ON CONFLICT (passenger_id) DO UPDATE SET passenger_type = EXCLUDED.passenger_type, grade = EXCLUDED.grade, vip_level = EXCLUDED.vip_level, version = EXCLUDED.version
         WHERE EXCLUDED.version >= dim_passenger.version`,
        [e.passengerId, type, grade, e.vipLevel, e.version],
      );
      await tx.query(
        `INSERT INTO fact_passenger_classification (event_id, passenger_id, previous_grade, grade, passenger_type, vip_level, source, change_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [event.id, e.passengerId, enumName(raw, 'previousGrade', e.previousGrade, profile.customerGradeToJSON), grade, type, e.vipLevel, enumName(raw, 'source', e.source, profile.classificationSourceToJSON), at],
      );
      return true;
    }
    case 'csm.profile.passenger.merged.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      for (const merged of e.mergedPassengerIds.filter((id) => id !== '' && id !== e.passengerId)) {
        await tx.query(`INSERT INTO passenger_redirect (passenger_id, survivor_id) VALUES ($1, $2) ON CONFLICT (passenger_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id`, [merged, e.passengerId]);
        for (const table of PASSENGER_FACTS) await tx.query(`UPDATE ${table} SET passenger_id = $2 WHERE passenger_id = $1`, [merged, e.passengerId]);
        await tx.query(`DELETE FROM dim_passenger WHERE passenger_id = $1`, [merged]);
      }
      return true;
    }
    case 'csm.profile.passenger.erased.v1': {
      // Erasure: the id is unlinked from every fact (aggregates keep their counts, nothing points at the person).
      const e = eventCodec(event.type).fromJSON(raw);
      await tx.query(`INSERT INTO passenger_redirect (passenger_id, survivor_id) VALUES ($1, NULL) ON CONFLICT (passenger_id) DO UPDATE SET survivor_id = NULL`, [e.passengerId]);
      await tx.query(`UPDATE passenger_redirect SET survivor_id = NULL WHERE survivor_id = $1`, [e.passengerId]);
      for (const table of PASSENGER_FACTS) await tx.query(`UPDATE ${table} SET passenger_id = NULL WHERE passenger_id = $1`, [e.passengerId]);
      await tx.query(`DELETE FROM dim_passenger WHERE passenger_id = $1`, [e.passengerId]);
      await tx.query(`DELETE FROM fact_passenger_classification WHERE passenger_id = $1`, [e.passengerId]);
      await tx.query(`DELETE FROM passenger_segment WHERE passenger_id = $1`, [e.passengerId]);
      return true;
    }
    default:
      return false;
  }
}
