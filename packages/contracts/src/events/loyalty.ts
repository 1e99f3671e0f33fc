import * as pb from '../gen/csm/loyalty/v1/events';
import * as feed from '../gen/csm/loyalty/v1/partner_feed';
import { defineTopic, event, type EventCodec, type MessageCodec } from './define';

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

// ---------------------------------------------------------------------------------------------------------------------
// Partner-facing feed: topic `csm.loyalty.partner.v1`, keyed by partner code, payloads from partner_feed.proto (not
// events.proto: these are a projection for external alliance systems, not domain events other services consume, so
// they stay out of the domain registry). Documented for partners in docs/asyncapi/loyalty-partner.yaml.

export const LOYALTY_PARTNER_TOPIC = 'csm.loyalty.partner.v1';

function feedEvent<T>(type: string, messageName: string, codec: MessageCodec<T>, aggregateId: (p: T) => string): EventCodec<T> {
  const [, domain = '', aggregate = '', name = ''] = type.split('.');
  return Object.freeze({
    type,
    topic: LOYALTY_PARTNER_TOPIC,
    domain,
    aggregate,
    event: name,
    protoMessage: `csm.loyalty.v1.${messageName}`,
    codec,
    aggregateId,
    fromJSON: (json: unknown) => codec.fromJSON(json),
    toJSON: (payload: T) => codec.toJSON(payload),
  });
}

/** The partner feed's event types and codecs. */
export const loyaltyPartnerFeed = {
  topic: LOYALTY_PARTNER_TOPIC,
  accrualPosted: feedEvent('csm.loyalty.partner_feed.accrual_posted.v1', 'PartnerFeedAccrualPosted', feed.PartnerFeedAccrualPosted, (e) => e.partnerCode),
  accrualRejected: feedEvent('csm.loyalty.partner_feed.accrual_rejected.v1', 'PartnerFeedAccrualRejected', feed.PartnerFeedAccrualRejected, (e) => e.partnerCode),
} as const;
