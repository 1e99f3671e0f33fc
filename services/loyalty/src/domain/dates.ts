// Civil dates ("YYYY-MM-DD", UTC) and month arithmetic via luxon: end-of-month clamping (Jan 31 + 1 month = Feb 28/29)
// is a solved problem we don't hand-roll.
import { DateTime } from 'luxon';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  return DATE_PATTERN.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

export function toIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ months }).toISODate() ?? date;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() ?? date;
}

/** "YYYY-MM" of a date or instant (UTC). */
export function monthOf(date: string | Date): string {
  return (typeof date === 'string' ? date : toIsoDate(date)).slice(0, 7);
}
