import * as pb from '../gen/csm/loyalty/v1/events';
import { defineTopic, event } from './define';

/** Loyalty events: member events keyed by member id (per-member order), partner events by partner code. */
export const loyaltyTopic = defineTopic('csm.loyalty.v1', 'csm.loyalty.v1', {
  'csm.loyalty.member.enrolled.v1': event('MemberEnrolled', pb.MemberEnrolled, (e) => e.memberId),
  'csm.loyalty.member.miles_accrued.v1': event('MilesAccrued', pb.MilesAccrued, (e) => e.memberId),
  'csm.loyalty.member.miles_redeemed.v1': event('MilesRedeemed', pb.MilesRedeemed, (e) => e.memberId),
  'csm.loyalty.member.redemption_cancelled.v1': event('RedemptionCancelled', pb.RedemptionCancelled, (e) => e.memberId),
  'csm.loyalty.member.miles_expired.v1': event('MilesExpired', pb.MilesExpired, (e) => e.memberId),
  'csm.loyalty.member.tier_changed.v1': event('TierChanged', pb.TierChanged, (e) => e.memberId),
  'csm.loyalty.partner.accrual_posted.v1': event('PartnerAccrualPosted', pb.PartnerAccrualPosted, (e) => e.partnerCode),
});
