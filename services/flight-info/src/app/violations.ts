import { pageSize as kitPageSize } from '@csm/platform/paging';
import { ValidationError, type FieldViolation } from '@csm/platform/errors';
import { isIsoDate, resolveLocal, type LocalTime } from '../domain/local-time';

/** Collects every bad field of a request, so one error names them all and nothing is written. */
export class Violations {
  private readonly list: FieldViolation[] = [];

  add(field: string, description: string, rule: string): void {
    this.list.push({ field, description, rule });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }

  /** Required text matching `pattern`; returns the trimmed (upper-cased when `upper`) value. */
  text(field: string, value: string | undefined, pattern: RegExp, description: string, opts: { upper?: boolean; optional?: boolean } = {}): string {
    const v = (value ?? '').trim();
    const norm = opts.upper ? v.toUpperCase() : v;
    if (norm === '') {
      if (!opts.optional) this.add(field, 'is required', 'REQUIRED');
      return '';
    }
    if (!pattern.test(norm)) this.add(field, description, 'FORMAT');
    return norm;
  }

  maxLength(field: string, value: string | undefined, max: number): string {
    const v = (value ?? '').trim();
    if (v.length > max) this.add(field, `must be at most ${max} characters`, 'MAX_LENGTH');
    return v;
  }

  date(field: string, value: string | undefined): string {
    const v = (value ?? '').trim();
    if (v === '') this.add(field, 'is required', 'REQUIRED');
    else if (!isIsoDate(v)) this.add(field, 'must be a date YYYY-MM-DD', 'FORMAT');
    return v;
  }

  positive(field: string, value: number | undefined, opts: { allowZero?: boolean; max?: number } = {}): number {
    const v = value ?? 0;
    if (!Number.isFinite(v) || v < 0 || (!opts.allowZero && v === 0)) this.add(field, opts.allowZero ? 'must be zero or more' : 'must be greater than zero', 'RANGE');
    else if (opts.max !== undefined && v > opts.max) this.add(field, `must be at most ${opts.max}`, 'RANGE');
    return v;
  }

  /** A LocalDateTime; an empty zone takes `defaultZone` (the airport's). */
  localTime(field: string, value: { localDateTime: string; timeZone: string } | undefined, defaultZone: string | undefined, notBefore?: Date): LocalTime | undefined {
    if (value === undefined || value.localDateTime === '') {
      this.add(`${field}.local_date_time`, 'is required', 'REQUIRED');
      return undefined;
    }
    const zone = value.timeZone.trim() || defaultZone || '';
    const r = resolveLocal(value.localDateTime.trim(), zone, notBefore);
    if (r === 'FORMAT') this.add(`${field}.local_date_time`, 'must be YYYY-MM-DDTHH:MM[:SS]', 'FORMAT');
    else if (r === 'ZONE') this.add(`${field}.time_zone`, 'must be an IANA time zone', 'TIME_ZONE');
    else if (r === 'NONEXISTENT') this.add(`${field}.local_date_time`, `does not exist in ${zone} (skipped by a daylight-saving change)`, 'NONEXISTENT_LOCAL_TIME');
    else return r;
    return undefined;
  }
}

export const CARRIER = /^([A-Z0-9]{2}|[A-Z]{3})$/;
export const FLIGHT_NUMBER = /^[1-9]\d{0,3}[A-Z]?$/;
export const IATA_AIRPORT = /^[A-Z]{3}$/;

/** Flight numbers compare without leading zeros ("0088" is "88"). */
export function normalizeFlightNumber(n: string | undefined): string {
  const v = (n ?? '').trim().toUpperCase();
  const m = /^0*(\d{1,4})([A-Z]?)$/.exec(v);
  return m ? `${Number(m[1])}${m[2] ?? ''}` : v;
}

// Page tokens and sizes: the kit's one implementation (@csm/platform/paging).
export { decodePageToken as decodeCursor, encodePageToken as encodeCursor } from '@csm/platform/paging';

export function pageSize(requested: number | undefined, def = 50, max = 500): number {
  return kitPageSize(requested, { def, max });
}
