import { loyalty } from '@csm/contracts';
import { NotFoundError } from '@csm/platform/errors';
import type { DemoClients } from './clients';
import { MEMBERS, PARTNERS } from './data-loyalty';
import { addDays } from './dates';
import type { DemoMember, DemoPartner } from './manifest';

export interface SeededMember extends DemoMember {
  readonly passengerId: string;
}

/**
 * Enrolment, then a year of flown segments credited the way the revenue-accounting feed does (AccrueFlight, one
 * credit per ticket coupon), so the loyalty service itself upgrades each member to the tier its rules give.
 */
export async function seedMembers(c: DemoClients, passengers: ReadonlyMap<string, string>, anchor: string): Promise<SeededMember[]> {
  const out: SeededMember[] = [];
  for (const [mi, m] of MEMBERS.entries()) {
    const passengerId = must(passengers.get(m.passengerKey), m.passengerKey);
    const enrolled = await c.call(c.loyalty, 'enroll', loyalty.EnrollRequest.fromPartial({ passengerId, enrollmentChannel: m.channel, idempotencyKey: `demo-enroll-${m.passengerKey}` }), 'admin');
    const member = enrolled.member;
    if (!member) throw new Error(`demo seed: Enroll returned no member for ${m.passengerKey}`);
    for (let si = 0; si < m.segments; si++) {
      const back = si % 2 === 1;
      const ticket = `999${String(mi + 10).padStart(2, '0')}${String(Math.floor(si / 2)).padStart(2, '0')}${String(4_201 + mi * 37).padStart(6, '0')}`;
      await c.call(
        c.loyalty,
        'accrueFlight',
        loyalty.AccrueFlightRequest.fromPartial({
          memberId: member.id,
          segment: {
            flight: { carrier: 'CA', number: m.number[back ? 1 : 0], date: addDays(anchor, -(20 + si * 24)) },
            origin: m.route[back ? 1 : 0],
            destination: m.route[back ? 0 : 1],
            cabin: m.cabin,
            bookingClass: m.bookingClass,
            ticketNumber: ticket,
            couponNumber: back ? 2 : 1,
            distanceKm: 0,
          },
        }),
        'ops',
      );
    }
    const status = await c.call(c.loyalty, 'getTierStatus', { memberId: member.id }, 'admin');
    out.push({ passengerKey: m.passengerKey, passengerId, memberId: member.id, memberNumber: member.memberNumber, tier: loyalty.tierToJSON(status.tierStatus?.tier ?? loyalty.Tier.TIER_UNSPECIFIED) });
  }
  return out;
}

/**
 * Partners registered by the programme's admin (a re-run finds them registered), API credentials issued, and a few
 * accruals posted by the partners' own systems with their own transaction ids (the API's idempotency key).
 */
export async function seedPartners(
  c: DemoClients,
  members: readonly SeededMember[],
  anchor: string,
  knownSecrets: Readonly<Record<string, string>>,
): Promise<{ partners: DemoPartner[]; secrets: Record<string, string> }> {
  const partners: DemoPartner[] = [];
  const secrets: Record<string, string> = {};
  for (const p of PARTNERS) {
    const code = p.partner.code ?? '';
    const existing = await getPartner(c, code);
    const partner = existing ?? (await c.call(c.partners, 'registerPartner', { partner: loyalty.Partner.fromPartial(p.partner) }, 'admin')).partner;
    if (!partner) throw new Error(`demo seed: RegisterPartner returned nothing for ${code}`);
    // The secret is shown once: issue it unless a previous (interrupted) run already did and kept it.
    if (p.credential && !(partner.hasCredential && knownSecrets[code] !== undefined)) {
      const issued = await c.call(c.partners, 'issuePartnerCredential', { partnerCode: code }, 'admin');
      secrets[code] = issued.clientSecret;
    }
    const token = await c.partnerToken(code);
    for (const [i, a] of p.accruals.entries()) {
      const member = members.find((m) => m.passengerKey === a.passengerKey);
      if (!member) throw new Error(`demo seed: partner accrual for ${a.passengerKey}, who is not a member`);
      await c.call(
        c.partners,
        'postAccrual',
        loyalty.PostAccrualRequest.fromPartial({
          partnerCode: code,
          partnerTransactionId: `${code}-DEMO-${String(i + 1).padStart(4, '0')}`,
          memberNumber: member.memberNumber,
          activityDate: addDays(anchor, -a.daysAgo),
          ...(a.miles !== undefined ? { miles: a.miles } : { spend: { amountMinor: a.spendMinor ?? 0, currencyCode: 'CNY' } }),
          description: a.description,
        }),
        token,
      );
    }
    partners.push({ code, name: partner.name, category: loyalty.partnerCategoryToJSON(partner.category), accruals: p.accruals.length });
  }
  return { partners, secrets };
}

async function getPartner(c: DemoClients, code: string): Promise<loyalty.Partner | undefined> {
  try {
    return (await c.call(c.partners, 'getPartner', { partnerCode: code }, 'admin')).partner;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`demo seed: missing ${what}`);
  return v;
}
