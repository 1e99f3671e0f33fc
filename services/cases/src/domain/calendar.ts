import { DateTime } from 'luxon';

/**
 * Business-hours calendar: opening hours per ISO weekday in an IANA zone, minus holidays (local dates). SLA clocks
 * counted in a calendar only run while it is open; a calendar without hours ("24x7") is always open.
 */
export interface BusinessCalendar {
  readonly id: string;
  /** IANA zone the hours and holidays are expressed in ("Asia/Shanghai"). */
  readonly zone: string;
  /** ISO weekday 1 (Mon) … 7 (Sun) → open intervals "HH:MM-HH:MM" (end may be "24:00"). Missing day = closed. */
  readonly hours: Readonly<Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, readonly string[]>>>;
  /** Closed local dates "YYYY-MM-DD". */
  readonly holidays: readonly string[];
}

interface Interval {
  start: number;
  end: number;
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const m = TIME.exec(hhmm);
  if (!m) throw new RangeError(`bad time "${hhmm}" (HH:MM)`);
  const v = Number(m[1]) * 60 + Number(m[2]);
  if (v > 24 * 60) throw new RangeError(`bad time "${hhmm}"`);
  return v;
}

/** Checks a calendar definition; returns the problems (empty = valid). */
export function calendarProblems(cal: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (!DateTime.now().setZone(cal.zone).isValid) problems.push(`zone "${cal.zone}" is not an IANA time zone`);
  for (const [day, ranges] of Object.entries(cal.hours)) {
    if (!/^[1-7]$/.test(day)) problems.push(`weekday "${day}" must be 1-7`);
    for (const r of ranges ?? []) {
      const [a, b] = r.split('-');
      try {
        if (a === undefined || b === undefined || minutesOf(a) >= minutesOf(b)) problems.push(`hours "${r}" must be HH:MM-HH:MM with start < end`);
      } catch {
        problems.push(`hours "${r}" must be HH:MM-HH:MM`);
      }
    }
  }
  for (const h of cal.holidays) if (!DateTime.fromISO(h, { zone: cal.zone }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(h)) problems.push(`holiday "${h}" must be YYYY-MM-DD`);
  return problems;
}

export function isAlwaysOpen(cal: BusinessCalendar | undefined): boolean {
  return cal === undefined || Object.keys(cal.hours).length === 0;
}

/** Open intervals (epoch ms) of the local day containing `day`. */
function openIntervals(cal: BusinessCalendar, day: DateTime): Interval[] {
  if (cal.holidays.includes(day.toISODate() ?? '')) return [];
  const ranges = cal.hours[day.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7] ?? [];
  const midnight = day.startOf('day');
  return ranges
    .map((r) => {
      const [a = '00:00', b = '00:00'] = r.split('-');
      const s = minutesOf(a);
      const e = minutesOf(b);
      // Wall-clock arithmetic in the zone: DST days keep their local opening hours.
      return { start: midnight.plus({ minutes: s }).toMillis(), end: e === 24 * 60 ? midnight.plus({ days: 1 }).toMillis() : midnight.plus({ minutes: e }).toMillis() };
    })
    .sort((x, y) => x.start - y.start);
}

const MAX_DAYS = 3660;

/** The instant `ms` of open time after `from` (from itself when <= 0). */
export function addBusinessTime(cal: BusinessCalendar | undefined, from: number, ms: number): number {
  if (ms <= 0) return from;
  if (cal === undefined || isAlwaysOpen(cal)) return from + ms;
  let remaining = ms;
  let day = DateTime.fromMillis(from, { zone: cal.zone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const iv of openIntervals(cal, day)) {
      const start = Math.max(iv.start, from);
      if (start >= iv.end) continue;
      const span = iv.end - start;
      if (remaining <= span) return start + remaining;
      remaining -= span;
    }
  }
  throw new RangeError(`calendar ${cal.id} has no open time within ${MAX_DAYS} days`);
}

/** Open time between a and b in ms (negative when b < a). */
export function businessTimeBetween(cal: BusinessCalendar | undefined, a: number, b: number): number {
  if (b < a) return -businessTimeBetween(cal, b, a);
  if (cal === undefined || isAlwaysOpen(cal)) return b - a;
  let total = 0;
  let day = DateTime.fromMillis(a, { zone: cal.zone }).startOf('day');
  for (let i = 0; i < MAX_DAYS && day.toMillis() < b; i++, day = day.plus({ days: 1 })) {
    for (const iv of openIntervals(cal, day)) {
      const s = Math.max(iv.start, a);
      const e = Math.min(iv.end, b);
      if (e > s) total += e - s;
    }
  }
  return total;
}
