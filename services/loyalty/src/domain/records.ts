// What the use cases return. Instants are ISO strings so a record survives a JSON round trip unchanged — idempotent
// writes store the record they returned and hand back exactly that on a retry.
import type { ActorKind } from '@csm/contracts/gen/csm/common/v1/audit';
import type { AwardCategory, RedemptionStatus } from '@csm/contracts/gen/csm/loyalty/v1/redemption';
import type { AccrualStatus, PartnerCategory, PartnerStatus } from '@csm/contracts/gen/csm/loyalty/v1/partner';
import type { TransactionKind } from '@csm/contracts/gen/csm/loyalty/v1/ledger';
import type { MemberStatus, Tier } from '@csm/contracts/gen/csm/loyalty/v1/member';

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
}

export interface FlightRefRecord {
  readonly carrier: string;
  readonly number: string;
  readonly date: string;
}

export interface MoneyRecord {
  readonly amountMinor: number;
  readonly currency: string;
}

export interface MemberRecord {
  readonly id: string;
  readonly memberNumber: string;
  readonly passengerId: string;
  readonly status: MemberStatus;
  readonly tier: Tier;
  readonly tierValidUntil: string | null;
  readonly enrollmentChannel: string;
  readonly referringPartnerCode: string;
  readonly enrollTime: string;
  readonly closeTime: string | null;
  readonly lastActivityDate: string | null;
  readonly createdBy: Actor;
  readonly updateTime: string;
  readonly version: number;
}

export interface EntryRecord {
  readonly id: string;
  readonly memberId: string;
  readonly kind: TransactionKind;
  /** Net effect on the member's own miles (available + held). */
  readonly miles: number;
  readonly qualifyingMiles: number;
  readonly qualifyingSegments: number;
  readonly activityDate: string;
  readonly postTime: string;
  readonly description: string;
  readonly flight: FlightRefRecord | null;
  readonly partnerCode: string;
  readonly partnerTransactionId: string;
  readonly caseId: string;
  readonly redemptionId: string;
  readonly relatedEntryId: string;
  readonly actor: Actor;
  readonly approverId: string;
  readonly balanceAfter: number;
}

export interface BalanceRecord {
  readonly memberId: string;
  readonly available: number;
  readonly held: number;
  readonly lifetime: number;
  readonly expiring: readonly { expireDate: string; miles: number }[];
  readonly asOf: string;
}

export interface AwardRecord {
  readonly code: string;
  readonly category: AwardCategory;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly milesPrice: number;
  readonly copay: MoneyRecord | null;
  readonly partnerCode: string;
  readonly available: boolean;
}

export interface QuoteRecord {
  readonly id: string;
  readonly memberId: string;
  readonly awardCode: string;
  readonly quantity: number;
  readonly miles: number;
  readonly copay: MoneyRecord | null;
  readonly expireTime: string;
}

export interface RedemptionRecord {
  readonly id: string;
  readonly memberId: string;
  readonly quoteId: string;
  readonly awardCode: string;
  readonly quantity: number;
  readonly miles: number;
  readonly copay: MoneyRecord | null;
  readonly status: RedemptionStatus;
  readonly holdExpireTime: string;
  readonly confirmTime: string | null;
  readonly cancelTime: string | null;
  readonly cancelReason: string;
  readonly transactionId: string;
  readonly version: number;
}

export interface PartnerRecord {
  readonly code: string;
  readonly name: string;
  readonly category: PartnerCategory;
  readonly status: PartnerStatus;
  readonly earnRate: { miles: number; perSpend: MoneyRecord };
  readonly maxMilesPerAccrual: number;
  readonly monthlyMilesCap: number;
  readonly pricePerMile: MoneyRecord;
  readonly redemptionEnabled: boolean;
  readonly scopes: readonly string[];
  readonly hasCredential: boolean;
  readonly createTime: string;
  readonly createdBy: string;
  readonly updateTime: string;
  readonly updatedBy: string;
  readonly version: number;
}

export interface PartnerAccrualRecord {
  readonly partnerCode: string;
  readonly partnerTransactionId: string;
  readonly memberNumber: string;
  readonly memberId: string;
  readonly activityDate: string;
  readonly miles: number;
  readonly spend: MoneyRecord | null;
  readonly billable: MoneyRecord;
  readonly status: AccrualStatus;
  readonly rejectReason: string;
  readonly transactionId: string;
  readonly postTime: string;
}
