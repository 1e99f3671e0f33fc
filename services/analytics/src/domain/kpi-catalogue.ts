/**
 * The KPI catalogue: what each KPI measures, over which fact, in which unit, and which dimensions slice it. The SQL
 * lives in store/kpi-sql.ts; this file is the contract the API validates against (pure data, no I/O).
 *
 * Percentiles (first-response time, handling time, delay minutes): LINEAR INTERPOLATION between closest ranks, the
 * "R-7" / Excel PERCENTILE.INC method, computed by PostgreSQL's percentile_cont: for n sorted values x1..xn and
 * fraction p, h = (n − 1)·p + 1, value = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋). So the median of an even count is the mean
 * of the two middle values.
 */
export const KPI_CODES = [
  'CSAT',
  'NPS',
  'SATISFACTION_INDEX',
  'FIRST_RESPONSE_TIME',
  'HANDLING_TIME',
  'SLA_COMPLIANCE',
  'RESOLUTION_RATE',
  'COMPLAINT_RATE',
  'FLIGHT_DELAY_RATE',
  'REPEAT_CONTACT_RATE',
  'CASE_VOLUME',
  'MEMBER_COUNT',
  'MILES_EARNED',
  'MILES_BURNED',
  'BACKLOG',
  'REOPEN_RATE',
  'ON_TIME_PERFORMANCE',
  'DELAY_MINUTES',
  'MILES_EXPIRED',
  'NET_SENTIMENT',
  'PASSENGERS_CARRIED',
] as const;
export type KpiCode = (typeof KPI_CODES)[number];

export const DIMENSION_CODES = [
  'CHANNEL',
  'CASE_KIND',
  'CATEGORY',
  'SEVERITY',
  'AIRPORT',
  'CARRIER',
  'ROUTE',
  'TIER',
  'SEGMENT',
  'TEAM',
  'CUSTOMER_GRADE',
  'AGE_BUCKET',
] as const;
export type DimensionCode = (typeof DIMENSION_CODES)[number];

export type StatisticCode = 'MEDIAN' | 'P90' | 'MEAN';
export type GranularityCode = 'DAILY' | 'WEEKLY' | 'MONTHLY';

/** The fact a KPI is computed over; it decides the dimensions available. */
export type FactSource = 'cases' | 'surveys' | 'sentiment' | 'flights' | 'postings' | 'members' | 'complaint_rate' | 'backlog';

const CASE_DIMS: readonly DimensionCode[] = ['CHANNEL', 'CASE_KIND', 'CATEGORY', 'SEVERITY', 'AIRPORT', 'CARRIER', 'ROUTE', 'TIER', 'SEGMENT', 'TEAM', 'CUSTOMER_GRADE'];
const PASSENGER_DIMS: readonly DimensionCode[] = ['TIER', 'SEGMENT', 'CUSTOMER_GRADE'];

export const SOURCE_DIMENSIONS: Readonly<Record<FactSource, readonly DimensionCode[]>> = {
  cases: CASE_DIMS,
  surveys: CASE_DIMS,
  sentiment: CASE_DIMS,
  flights: ['AIRPORT', 'CARRIER', 'ROUTE'],
  postings: ['CARRIER', ...PASSENGER_DIMS],
  members: PASSENGER_DIMS,
  // Grouping needs the denominator's dimensions; case-only filters narrow the numerator (complaints) alone.
  complaint_rate: ['AIRPORT', 'CARRIER', 'ROUTE'],
  backlog: [...CASE_DIMS, 'AGE_BUCKET'],
};

/** Filters the complaint rate accepts besides its group-by dimensions (they narrow the complaints counted). */
export const COMPLAINT_RATE_NUMERATOR_FILTERS: readonly DimensionCode[] = ['CHANNEL', 'CATEGORY', 'SEVERITY', 'TIER', 'SEGMENT', 'TEAM', 'CUSTOMER_GRADE'];

export interface KpiDefinition {
  readonly code: KpiCode;
  readonly source: FactSource;
  readonly unit: '%' | 'minutes' | 'hours' | 'score' | 'count' | 'miles' | 'per 10k passengers';
  /** A distribution: the request's statistic (default median) applies. */
  readonly distribution: boolean;
  readonly description: string;
}

const def = (code: KpiCode, source: FactSource, unit: KpiDefinition['unit'], description: string, distribution = false): KpiDefinition => ({
  code,
  source,
  unit,
  distribution,
  description,
});

export const KPIS: Readonly<Record<KpiCode, KpiDefinition>> = {
  CASE_VOLUME: def('CASE_VOLUME', 'cases', 'count', 'cases opened in the period'),
  FIRST_RESPONSE_TIME: def('FIRST_RESPONSE_TIME', 'cases', 'minutes', 'intake to the first move out of NEW, cases opened in the period', true),
  HANDLING_TIME: def('HANDLING_TIME', 'cases', 'hours', 'intake to resolution (CaseResolved.handling_seconds), cases resolved in the period', true),
  SLA_COMPLIANCE: def('SLA_COMPLIANCE', 'cases', '%', 'cases closed in the period without any SLA breach / cases closed in the period'),
  RESOLUTION_RATE: def('RESOLUTION_RATE', 'cases', '%', 'cases opened in the period that are resolved / cases opened in the period'),
  REOPEN_RATE: def('REOPEN_RATE', 'cases', '%', 'cases resolved in the period that were ever reopened / cases resolved in the period'),
  REPEAT_CONTACT_RATE: def('REPEAT_CONTACT_RATE', 'cases', '%', 'cases whose passenger opened another case in the 7 days before / cases with a passenger, opened in the period'),
  BACKLOG: def('BACKLOG', 'backlog', 'count', 'cases opened before the end of the range and neither resolved nor closed by then (group by AGE_BUCKET for ageing)'),
  COMPLAINT_RATE: def('COMPLAINT_RATE', 'complaint_rate', 'per 10k passengers', 'complaints opened in the period × 10,000 / passengers carried on flights scheduled in the period'),
  CSAT: def('CSAT', 'surveys', 'score', 'mean CSAT (1..5) of surveys recorded in the period'),
  NPS: def('NPS', 'surveys', 'score', '% promoters (9-10) − % detractors (0-6) of NPS answers recorded in the period'),
  SATISFACTION_INDEX: def('SATISFACTION_INDEX', 'surveys', '%', 'satisfied (CSAT ≥ 4) / surveyed × 100'),
  NET_SENTIMENT: def('NET_SENTIMENT', 'sentiment', '%', '(positive − negative) / analysed texts × 100 (survey comments, complaint text)'),
  FLIGHT_DELAY_RATE: def('FLIGHT_DELAY_RATE', 'flights', '%', 'flights cancelled or delayed ≥ 15 min / flights scheduled in the period'),
  ON_TIME_PERFORMANCE: def('ON_TIME_PERFORMANCE', 'flights', '%', 'operated flights (not cancelled) arriving < 15 min late and not diverted / operated flights'),
  DELAY_MINUTES: def('DELAY_MINUTES', 'flights', 'minutes', 'delay (max of departure and arrival delay) of operated flights delayed ≥ 15 min', true),
  PASSENGERS_CARRIED: def('PASSENGERS_CARRIED', 'flights', 'count', 'passengers carried on operated flights scheduled in the period (when the flight events carry it)'),
  MILES_EARNED: def('MILES_EARNED', 'postings', 'miles', 'miles accrued (flight, partner, compensation, adjustments) posted in the period'),
  MILES_BURNED: def('MILES_BURNED', 'postings', 'miles', 'miles redeemed minus miles returned by cancelled redemptions, posted in the period'),
  MILES_EXPIRED: def('MILES_EXPIRED', 'postings', 'miles', 'miles expired in the period'),
  MEMBER_COUNT: def('MEMBER_COUNT', 'members', 'count', 'members enrolled before the end of the range, by current tier (series: enrolments per period)'),
};

export function dimensionsOf(kpi: KpiCode): readonly DimensionCode[] {
  return SOURCE_DIMENSIONS[KPIS[kpi].source];
}

/** Filter dimensions a KPI accepts (a superset of its group-by dimensions for the complaint rate). */
export function filterDimensionsOf(kpi: KpiCode): readonly DimensionCode[] {
  const dims = dimensionsOf(kpi);
  return kpi === 'COMPLAINT_RATE' ? [...dims, ...COMPLAINT_RATE_NUMERATOR_FILTERS] : dims;
}
