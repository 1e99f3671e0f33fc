import type { GranularityCode } from './kpi-catalogue';

/** One period of a series: value and how many observations it rests on (0 = no data). */
export interface Point {
  readonly period: string;
  readonly value: number;
  readonly sampleSize: number;
}

export interface TrendPoint extends Point {
  /** vs the same period one week earlier, %; undefined when that period has no data or a zero value. */
  readonly weekOverWeekChangePct?: number;
  /** Mean of the values of the periods with data among the last `window` periods (this one included). */
  readonly movingAverage?: number;
}

export function defaultMovingAverageWindow(g: GranularityCode): number {
  return g === 'DAILY' ? 7 : g === 'WEEKLY' ? 4 : 3;
}

/** Periods between one period and the same period a week earlier (monthly series have no week-over-week). */
export function weekLag(g: GranularityCode): number | undefined {
  return g === 'DAILY' ? 7 : g === 'WEEKLY' ? 1 : undefined;
}

/**
 * Adds week-over-week change and moving averages to a contiguous, oldest-first series. `points` may start earlier
 * than what is returned (history for the first points' comparisons): the first `skip` points are dropped afterwards.
 */
export function withTrends(points: readonly Point[], g: GranularityCode, window: number, skip: number): TrendPoint[] {
  const lag = weekLag(g);
  const out: TrendPoint[] = [];
  points.forEach((pt, i) => {
    if (i < skip) return;
    const prev = lag !== undefined ? points[i - lag] : undefined;
    const withData = points.slice(Math.max(0, i - window + 1), i + 1).filter((p) => p.sampleSize > 0);
    const movingAverage = withData.length > 0 ? withData.reduce((s, p) => s + p.value, 0) / withData.length : undefined;
    const wow = pt.sampleSize > 0 && prev !== undefined && prev.sampleSize > 0 && prev.value !== 0 ? ((pt.value - prev.value) / Math.abs(prev.value)) * 100 : undefined;
    out.push({ ...pt, ...(wow !== undefined ? { weekOverWeekChangePct: wow } : {}), ...(movingAverage !== undefined ? { movingAverage } : {}) });
  });
  return out;
}

/** How many extra periods before the range a series needs for its first points' trends. */
export function historyPeriods(g: GranularityCode, window: number): number {
  return Math.max(weekLag(g) ?? 0, window - 1);
}
