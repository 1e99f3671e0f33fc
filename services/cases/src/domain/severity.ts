import { cases } from '@csm/contracts';
import { findCategory, topLevel } from './taxonomy';

const { Severity, Impact } = cases;

export type CustomerGrade = 'REGULAR' | 'VIP' | 'SPECIAL';
export const CUSTOMER_GRADES: readonly CustomerGrade[] = ['REGULAR', 'VIP', 'SPECIAL'];

/** Words that mean safety, legal exposure or major reputational risk → critical (en and zh). */
const CRITICAL_WORDS = ['safety', 'injury', 'injured', 'lawyer', 'lawsuit', 'sue', 'legal action', 'media', 'journalist', 'death', 'died', 'fire', 'smoke', 'emergency', 'harassment', '安全', '受伤', '律师', '起诉', '法律', '媒体', '记者', '死亡', '着火', '冒烟', '紧急', '骚扰'];
/** Words that mean regulator attention or strong escalation → at least severe. */
const SEVERE_WORDS = ['regulator', 'caac', 'complaint to authority', 'ombudsman', 'social media', 'viral', '民航局', '12326', '曝光', '监管', '消费者协会', '投诉到'];
/** Category hints from text when intake named none. */
const BAGGAGE = ['baggage', 'luggage', 'bag', 'bags', 'suitcase', '行李', '箱子'];
const CATEGORY_WORDS: ReadonlyArray<readonly [string, readonly string[], (readonly string[])?]> = [
  ['baggage.lost', ['lost', 'missing', 'never arrived', '丢失', '丢了', '找不到'], BAGGAGE],
  ['baggage.damaged', ['damaged', 'broken', 'torn', '破损', '损坏', '坏了'], BAGGAGE],
  ['baggage.delayed', ['baggage delayed', 'bag delayed', 'luggage delayed', 'baggage', 'luggage', '行李']],
  ['flight.cancellation', ['cancelled', 'canceled', 'cancellation', '取消']],
  ['flight.delay', ['delay', 'delayed', 'late', '延误', '晚点']],
  ['refund', ['refund', 'change fee', 'rebook', '退票', '退款', '改签']],
  ['checkin', ['check-in', 'check in', 'boarding', 'gate', '值机', '登机']],
  ['staff', ['rude', 'attitude', 'unfriendly', '态度', '服务差']],
  ['onboard.meal', ['meal', 'food', '餐食', '飞机餐']],
  ['onboard.seat', ['seat', '座位']],
  ['loyalty', ['miles', 'mileage', 'points', 'member', '里程', '积分', '会员']],
  ['special_assistance', ['wheelchair', 'unaccompanied', 'pregnant', '轮椅', '无陪', '孕妇']],
  ['cargo', ['cargo', 'waybill', 'shipment', '货运', '运单']],
  ['digital', ['website', 'app', 'online', 'login', '网站', '官网', '手机']],
];

/** A word list as matchers built once: Latin words match whole words, other scripts (zh) match as substrings. */
type WordList = readonly { readonly word: string; readonly test: (lowerText: string) => boolean }[];
function wordList(words: readonly string[]): WordList {
  return words.map((w) => {
    if (!/^[a-z0-9 -]+$/.test(w)) return { word: w, test: (t: string) => t.includes(w) };
    const re = new RegExp(`(^|[^a-z0-9])${w.replace(/[-]/g, '\\-')}([^a-z0-9]|$)`);
    return { word: w, test: (t: string) => re.test(t) };
  });
}
const CRITICAL = wordList(CRITICAL_WORDS);
const SEVERE = wordList(SEVERE_WORDS);
const CATEGORY_MATCHERS = CATEGORY_WORDS.map(([code, words, also]) => [code, wordList(words), also === undefined ? undefined : wordList(also)] as const);

/** The first word of the list found in the (already lower-cased) text. */
function contains(lowerText: string, words: WordList): string | undefined {
  return words.find((w) => w.test(lowerText))?.word;
}

export function suggestCategory(text: string): string | undefined {
  const t = text.toLowerCase();
  for (const [code, words, also] of CATEGORY_MATCHERS) if (contains(t, words) && (also === undefined || contains(t, also))) return code;
  return undefined;
}

const BY_IMPACT: Record<number, cases.Severity> = {
  [Impact.IMPACT_MINOR]: Severity.SEVERITY_GENERAL,
  [Impact.IMPACT_MODERATE]: Severity.SEVERITY_SERIOUS,
  [Impact.IMPACT_MAJOR]: Severity.SEVERITY_SEVERE,
  [Impact.IMPACT_CRITICAL]: Severity.SEVERITY_CRITICAL,
};

/** Categories whose issues are at least serious whatever the impact (lost bags, assistance failures, cargo loss). */
const CATEGORY_FLOOR: Record<string, cases.Severity> = {
  'baggage.lost': Severity.SEVERITY_SERIOUS,
  special_assistance: Severity.SEVERITY_SERIOUS,
  'flight.cancellation': Severity.SEVERITY_SERIOUS,
};

export interface SeverityInput {
  readonly categoryCode: string;
  readonly impact: cases.Impact;
  readonly customerGrade: CustomerGrade;
  readonly text: string;
  readonly regulatorReferral: boolean;
}

export interface SeveritySuggestion {
  readonly severity: cases.Severity;
  /** Why, for the timeline. */
  readonly reasons: string[];
}

/**
 * Category × impact → severity, raised by the customer grade (VIP/special one step, up to severe), keywords in zh/en
 * (critical / severe vocabularies) and a regulator referral (at least severe).
 */
export function suggestSeverity(input: SeverityInput): SeveritySuggestion {
  const reasons: string[] = [];
  const impact = input.impact === Impact.IMPACT_UNSPECIFIED ? (findCategory(input.categoryCode)?.defaultImpact ?? Impact.IMPACT_MINOR) : input.impact;
  let sev = BY_IMPACT[impact] ?? Severity.SEVERITY_GENERAL;
  reasons.push(`impact ${Impact[impact]}`);
  const floor = CATEGORY_FLOOR[input.categoryCode] ?? CATEGORY_FLOOR[topLevel(input.categoryCode)];
  if (floor !== undefined && floor > sev) {
    sev = floor;
    reasons.push(`category ${input.categoryCode}`);
  }
  if (input.customerGrade !== 'REGULAR' && sev < Severity.SEVERITY_SEVERE) {
    sev = (sev + 1) as cases.Severity;
    reasons.push(`customer grade ${input.customerGrade}`);
  }
  const text = input.text.toLowerCase();
  const severeWord = contains(text, SEVERE);
  if (severeWord !== undefined && sev < Severity.SEVERITY_SEVERE) {
    sev = Severity.SEVERITY_SEVERE;
    reasons.push(`keyword "${severeWord}"`);
  }
  if (input.regulatorReferral && sev < Severity.SEVERITY_SEVERE) {
    sev = Severity.SEVERITY_SEVERE;
    reasons.push('regulator referral');
  }
  const criticalWord = contains(text, CRITICAL);
  if (criticalWord !== undefined) {
    sev = Severity.SEVERITY_CRITICAL;
    reasons.push(`keyword "${criticalWord}"`);
  }
  return { severity: sev, reasons };
}
