import { cases } from '@csm/contracts';

const { CaseKind: K, Channel: Ch, Impact: I, SupportTier: T, CaseState: S } = cases;

/** Who works a case (personas of the seed; see clients.ts). */
export type Worker = 'agentL1' | 'agentL2';

export interface CaseSeed {
  readonly key: string;
  readonly passengerKey: string;
  readonly kind: cases.CaseKind;
  readonly channel: cases.Channel;
  readonly language: string;
  readonly subject: string;
  readonly description: string;
  readonly flight?: { number: string; dayOffset: number };
  readonly baggageRef?: string;
  readonly customerGrade?: string;
  readonly category: string;
  readonly impact: cases.Impact;
  readonly worker: Worker;
  readonly team: string;
  readonly tier: cases.SupportTier;
  /** Where the case stands at the end of the seed. */
  readonly target: cases.CaseState;
  readonly compensationMiles?: number;
  readonly resolution?: { code: string; summary: string; rootCause: string };
  readonly survey?: { csat: number; nps: number; comment: string };
  readonly outcome?: cases.SatisfactionOutcome;
}

export const AGENTS: readonly cases.Agent[] = [
  cases.Agent.fromPartial({ agentId: 'agent.chen', teamId: 'cc-l1', tier: T.SUPPORT_TIER_L1, languages: ['zh', 'en'], categories: [], vip: false, maxOpenCases: 25, active: true }),
  cases.Agent.fromPartial({ agentId: 'agent.li', teamId: 'cc-l2', tier: T.SUPPORT_TIER_L2, languages: ['zh', 'en'], categories: [], vip: true, maxOpenCases: 15, active: true }),
  cases.Agent.fromPartial({ agentId: 'agent.zhou', teamId: 'baggage-services', tier: T.SUPPORT_TIER_L3, languages: ['zh'], categories: ['baggage'], vip: false, maxOpenCases: 20, active: true }),
  cases.Agent.fromPartial({ agentId: 'agent.taylor', teamId: 'cc-l1', tier: T.SUPPORT_TIER_L1, languages: ['en'], categories: [], vip: false, maxOpenCases: 25, active: true }),
];

/** Eight cases: open and closed, complaints and others, one settled with miles, three surveyed. */
export const CASES: readonly CaseSeed[] = [
  {
    key: 'delay-complaint',
    passengerKey: 'li-na',
    kind: K.CASE_KIND_COMPLAINT,
    channel: Ch.CHANNEL_APP,
    language: 'zh-CN',
    subject: '航班CA1501延误三个多小时，错过了重要会议',
    description: '我乘坐的CA1501北京飞上海航班延误了三个多小时，登机口也没有及时广播原因，导致我错过了下午的重要会议。希望给出解释和补偿。',
    flight: { number: '1501', dayOffset: -2 },
    customerGrade: 'VIP',
    category: 'flight.delay',
    impact: I.IMPACT_MODERATE,
    worker: 'agentL2',
    team: 'cc-l2',
    tier: T.SUPPORT_TIER_L2,
    target: S.CASE_STATE_CLOSED,
    compensationMiles: 2_000,
    resolution: { code: 'compensated', summary: '已致电李女士致歉，说明延误系前序航班晚到所致，并补偿2000里程。', rootCause: 'late_inbound_aircraft' },
    survey: { csat: 4, nps: 8, comment: '处理及时，补偿可以接受。' },
  },
  {
    key: 'baggage-damaged',
    passengerKey: 'james-carter',
    kind: K.CASE_KIND_COMPLAINT,
    channel: Ch.CHANNEL_EMAIL,
    language: 'en',
    subject: 'Suitcase damaged on CA981 from New York',
    description: 'The hard-shell suitcase I checked on CA981 arrived in Beijing with a cracked shell and a broken wheel. I reported it at the baggage desk and got a file reference.',
    flight: { number: '981', dayOffset: -3 },
    baggageRef: 'PEKCA10421',
    category: 'baggage.damaged',
    impact: I.IMPACT_MODERATE,
    worker: 'agentL1',
    team: 'cc-l1',
    tier: T.SUPPORT_TIER_L1,
    target: S.CASE_STATE_INVESTIGATING,
  },
  {
    key: 'allowance-inquiry',
    passengerKey: 'emma-schmidt',
    kind: K.CASE_KIND_INQUIRY,
    channel: Ch.CHANNEL_CHAT,
    language: 'en',
    subject: 'Baggage allowance to Frankfurt',
    description: 'How many checked bags may I take on CA931 to Frankfurt in economy, and can I bring my bicycle?',
    flight: { number: '931', dayOffset: 1 },
    category: 'checkin',
    impact: I.IMPACT_MINOR,
    worker: 'agentL1',
    team: 'cc-l1',
    tier: T.SUPPORT_TIER_L1,
    target: S.CASE_STATE_CLOSED,
    resolution: { code: 'explained', summary: 'Two pieces of 23 kg in economy; a bicycle counts as one piece if packed in a bike box.', rootCause: 'information_request' },
    survey: { csat: 5, nps: 9, comment: 'Quick and clear answer, thanks!' },
  },
  {
    key: 'staff-attitude',
    passengerKey: 'wang-xiaoming',
    kind: K.CASE_KIND_COMPLAINT,
    channel: Ch.CHANNEL_PHONE,
    language: 'zh-CN',
    subject: '值机柜台工作人员态度恶劣',
    description: '在首都机场T3值机时，柜台工作人员对我的行李超重问题态度生硬，也不解释收费标准。',
    customerGrade: 'VIP',
    category: 'staff',
    impact: I.IMPACT_MODERATE,
    worker: 'agentL2',
    team: 'cc-l2',
    tier: T.SUPPORT_TIER_L2,
    target: S.CASE_STATE_CLOSED,
    resolution: { code: 'apologized', summary: '已向王先生致歉，相关员工已接受服务规范再培训。', rootCause: 'staff_process' },
    survey: { csat: 2, nps: 3, comment: '道歉收到了，但希望真正改进。' },
  },
  {
    key: 'wheelchair-request',
    passengerKey: 'zhao-lei',
    kind: K.CASE_KIND_REQUEST,
    channel: Ch.CHANNEL_PHONE,
    language: 'zh-CN',
    subject: '下次出行申请轮椅服务',
    description: '赵先生下周从北京飞上海，需要轮椅协助至登机口，并希望安排靠近通道的座位。',
    customerGrade: 'SPECIAL',
    category: 'special_assistance',
    impact: I.IMPACT_MINOR,
    worker: 'agentL1',
    team: 'cc-l1',
    tier: T.SUPPORT_TIER_L1,
    target: S.CASE_STATE_ACKNOWLEDGED,
  },
  {
    key: 'refund-complaint',
    passengerKey: 'liu-yang',
    kind: K.CASE_KIND_COMPLAINT,
    channel: Ch.CHANNEL_WEB,
    language: 'zh-CN',
    subject: '航班取消后退款迟迟未到账',
    description: 'CA1321航班取消后我申请了全额退票，但款项至今没有退回到我的银行卡。',
    flight: { number: '1321', dayOffset: -1 },
    category: 'refund',
    impact: I.IMPACT_MODERATE,
    worker: 'agentL1',
    team: 'cc-l1',
    tier: T.SUPPORT_TIER_L1,
    target: S.CASE_STATE_NEW,
  },
  {
    key: 'crew-compliment',
    passengerKey: 'sun-li',
    kind: K.CASE_KIND_COMPLIMENT,
    channel: Ch.CHANNEL_APP,
    language: 'zh-CN',
    subject: '感谢乘务组的贴心服务',
    description: '在上海飞深圳的航班上，乘务员主动为我调换座位并提供热水，服务非常贴心，特此表扬。',
    category: 'onboard',
    impact: I.IMPACT_MINOR,
    worker: 'agentL1',
    team: 'cc-l1',
    tier: T.SUPPORT_TIER_L1,
    target: S.CASE_STATE_CLOSED,
    resolution: { code: 'acknowledged', summary: '感谢您的表扬，已转达乘务组并记入服务档案。', rootCause: 'none' },
    outcome: cases.SatisfactionOutcome.SATISFACTION_OUTCOME_SATISFIED,
  },
  {
    key: 'meal-complaint',
    passengerKey: 'zhang-wei',
    kind: K.CASE_KIND_COMPLAINT,
    channel: Ch.CHANNEL_APP,
    language: 'zh-CN',
    subject: '预订的素食餐未提供',
    description: '我提前预订了素食餐，但在航班上被告知没有我的餐食记录。',
    category: 'onboard.meal',
    impact: I.IMPACT_MINOR,
    worker: 'agentL1',
    team: 'cc-l1',
    tier: T.SUPPORT_TIER_L1,
    target: S.CASE_STATE_PENDING_CUSTOMER,
  },
];
