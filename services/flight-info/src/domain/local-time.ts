import { DateTime, IANAZone } from 'luxon';

/** A wall-clock time at an airport with its IANA zone and the instant it denotes (DESIGN: times carry the zone). */
export interface LocalTime {
  /** "YYYY-MM-DDTHH:MM:SS", no offset. */
  readonly local: string;
  readonly zone: string;
  readonly utc: Date;
}

export type LocalTimeProblem = 'FORMAT' | 'ZONE' | 'NONEXISTENT';

// luxon builds an Intl.DateTimeFormat on every validity check; zone names are few, so remember the answers.
const zoneValidity = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  if (zone === '') return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size < 10_000) zoneValidity.set(zone, valid);
  }
  return valid;
}

/**
 * Resolves a local date-time in `zone` to an instant. A time skipped by a DST change (spring forward) does not
 * exist and is refused; a time repeated by one (fall back) resolves to its EARLIER occurrence, unless `notBefore`
 * is given and the earlier occurrence lies before it (an arrival must not precede its departure).
 *
 * Works on the zone's offset function directly (luxon's cached IANAZone) rather than building DateTime objects:
 * boards resolve a local window on every query.
 */
export function resolveLocal(local: string, zone: string, notBefore?: Date): LocalTime | LocalTimeProblem {
  const m = LOCAL_PATTERN_PARTS.exec(local);
  if (!m) return 'FORMAT';
  if (!isValidZone(zone)) return 'ZONE';
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return 'FORMAT';
  const z = IANAZone.create(zone);
  // The offsets in force half a day either side bracket any single DST transition; keep those reproducing the wall time.
  const candidates = [...new Set([z.offset(wall - 43_200_000), z.offset(wall + 43_200_000)])]
    .map((offsetMin) => wall - offsetMin * 60_000)
    .filter((t) => t + z.offset(t) * 60_000 === wall)
    .sort((a, b) => a - b);
  if (candidates.length === 0) return 'NONEXISTENT';
  let chosen = candidates[0] as number;
  if (notBefore !== undefined && chosen < notBefore.getTime()) {
    const later = candidates.find((t) => t >= notBefore.getTime());
    if (later !== undefined) chosen = later;
  }
  const wanted = local.length === 16 ? `${local}:00` : local;
  return { local: wanted, zone, utc: new Date(chosen) };
}

const LOCAL_PATTERN_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The wall-clock time of an instant in a zone. */
export function toLocal(utc: Date, zone: string): LocalTime {
  const local = DateTime.fromJSDate(utc, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  return { local, zone, utc };
}

/** Whole minutes from `from` to `to` (negative when early). */
export function minutesBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 60_000);
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date "YYYY-MM-DD". */
export function isIsoDate(value: string): boolean {
  return DATE_PATTERN.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}
