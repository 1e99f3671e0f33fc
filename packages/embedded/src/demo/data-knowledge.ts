import { cases } from '@csm/contracts';

const { KnowledgeAudience } = cases;
const P = KnowledgeAudience.KNOWLEDGE_AUDIENCE_PASSENGER;
const A = KnowledgeAudience.KNOWLEDGE_AUDIENCE_AGENT;

export interface ArticleSeed {
  readonly title: string;
  readonly summary: string;
  readonly body: string;
  readonly language: 'en' | 'zh-CN';
  readonly categoryCode: string;
  readonly tags: readonly string[];
  readonly audience: cases.KnowledgeAudience;
}

/** FAQ and agent guidance in Chinese and English (DOMAIN §3: delay rights, lost baggage, check-in rules, policies). */
export const ARTICLES: readonly ArticleSeed[] = [
  {
    title: 'Your rights when your flight is delayed',
    summary: 'What we do for you during a delay: information, meals, rebooking, hotel and compensation.',
    body: '## Information\nWe inform you within 30 minutes of learning of a delay, by SMS and in the app.\n\n## Care\nFrom a 2-hour delay we offer meals and refreshments; for an overnight delay, hotel accommodation and transfers.\n\n## Rebooking and refund\nFrom a 4-hour delay you may rebook free of charge or request a full refund.\n\n## Compensation\nDelays caused by the airline may be compensated in miles or vouchers; flights from the EU are covered by EU 261/2004.',
    language: 'en',
    categoryCode: 'flight.delay',
    tags: ['delay', 'compensation', 'rebooking'],
    audience: P,
  },
  {
    title: '航班延误时您的权益',
    summary: '航班延误时我们为您提供的信息通知、餐食、改签、住宿与补偿服务。',
    body: '## 信息通知\n在获知航班延误后30分钟内，通过短信和App通知您。\n\n## 服务保障\n延误2小时以上提供餐食饮料；延误至次日提供酒店住宿及接送。\n\n## 改签与退票\n延误4小时以上可免费改签或全额退票。\n\n## 补偿\n因航空公司原因造成的延误，可获得里程或代金券补偿。',
    language: 'zh-CN',
    categoryCode: 'flight.delay',
    tags: ['延误', '补偿', '改签'],
    audience: P,
  },
  {
    title: 'Delayed, damaged or lost baggage',
    summary: 'How to report a baggage irregularity and what compensation applies.',
    body: 'Report delayed or damaged baggage at the baggage service desk before leaving the arrivals hall; you receive a file reference (e.g. PEKCA12345). Damaged bags: report within 7 days. Delayed bags: we deliver to your address; essential purchases are reimbursed. A bag not found within 21 days is considered lost and compensated under the Montreal Convention.',
    language: 'en',
    categoryCode: 'baggage',
    tags: ['baggage', 'lost', 'damaged', 'delayed'],
    audience: P,
  },
  {
    title: '行李延误、破损或丢失怎么办',
    summary: '行李运输不正常的申报方法与赔偿标准。',
    body: '请在离开到达大厅前到行李查询柜台申报，并领取事故记录编号（如 PEKCA12345）。行李破损请在7日内申报；行李延误我们将送达您指定的地址，必要的临时用品费用可报销。21天内仍未找到的行李视为丢失，按《蒙特利尔公约》赔偿。',
    language: 'zh-CN',
    categoryCode: 'baggage',
    tags: ['行李', '丢失', '破损', '延误'],
    audience: P,
  },
  {
    title: 'Online check-in and boarding cut-off times',
    summary: 'When check-in opens and closes, and when the gate closes.',
    body: 'Online check-in opens 24 hours before departure. Counters close 45 minutes before domestic and 60 minutes before international departures. Boarding gates close 15 minutes before departure.',
    language: 'en',
    categoryCode: 'checkin',
    tags: ['check-in', 'boarding'],
    audience: P,
  },
  {
    title: '网上值机与登机截止时间',
    summary: '值机开放与截止时间，以及登机口关闭时间。',
    body: '网上值机在航班起飞前24小时开放。国内航班柜台在起飞前45分钟停止办理，国际航班在起飞前60分钟停止办理。登机口在起飞前15分钟关闭。',
    language: 'zh-CN',
    categoryCode: 'checkin',
    tags: ['值机', '登机'],
    audience: P,
  },
  {
    title: 'Agent guide: settling a complaint with miles',
    summary: 'Approval limits and the steps to grant service-recovery miles from a case.',
    body: 'Grant miles from the case (Grant compensation), never by a manual ledger adjustment: the case keeps the record and the loyalty ledger the credit. Limits: L1 1,000 miles, L2/L3 5,000, supervisors 50,000. The idempotency key makes a retried grant pay once. Record the outcome in the resolution summary sent to the customer.',
    language: 'en',
    categoryCode: 'loyalty',
    tags: ['miles', 'compensation', 'agent'],
    audience: A,
  },
  {
    title: '常旅客里程累积与会员等级说明',
    summary: '里程如何累积、会员等级如何评定以及各等级权益。',
    body: '乘坐航班按航距和舱位累积里程；合作伙伴（酒店、信用卡等）消费也可累积。12个月内定级里程达到25,000（银卡）、50,000（金卡）或100,000（白金卡），或航段数达到30/60/120，即可升级。金卡及以上享受贵宾休息室，白金卡享受专属服务热线。',
    language: 'zh-CN',
    categoryCode: 'loyalty',
    tags: ['里程', '会员等级', '权益'],
    audience: P,
  },
  {
    title: '轮椅旅客服务（WCHR/WCHS/WCHC）',
    summary: '轮椅旅客的服务准备与保障流程（座席指引）。',
    body: '旅客订座时申请轮椅服务（WCHR 可上下台阶、WCHS 不能上下台阶、WCHC 完全不能行动）。起飞前72小时确认服务需求，通知机场地面服务和客舱。值机时安排靠近通道的座位，优先登机，到达后由地面服务人员协助。',
    language: 'zh-CN',
    categoryCode: 'special_assistance',
    tags: ['轮椅', '特殊旅客', 'WCHR'],
    audience: A,
  },
  {
    title: 'EU 261 compensation for cancellations and long delays',
    summary: 'Distance bands and amounts under EU 261/2004, with the usual exemptions.',
    body: 'Flights departing the EU (and EU-carrier flights to the EU) qualify. Arrival delay of 3 hours or more, or a cancellation notified less than 14 days ahead: EUR 250 up to 1,500 km, EUR 400 up to 3,500 km, EUR 600 beyond. Reduced by 50% when rerouting arrives within the band limits. Extraordinary circumstances (weather, air traffic control) are exempt.',
    language: 'en',
    categoryCode: 'flight.cancellation',
    tags: ['EU261', 'cancellation', 'compensation'],
    audience: A,
  },
];
