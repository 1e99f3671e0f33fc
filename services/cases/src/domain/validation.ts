import { ValidationError, type FieldViolation } from '@csm/platform/errors';

/** Collects every bad field of a request, then throws one ValidationError naming them all (nothing is written). */
export class Violations {
  readonly list: FieldViolation[] = [];

  add(field: string, description: string, rule: string): void {
    this.list.push({ field, description, rule });
  }

  required(field: string, value: string): boolean {
    if (value.trim() === '') {
      this.add(field, 'is required', 'required');
      return false;
    }
    return true;
  }

  maxLen(field: string, value: string, max: number): void {
    if ([...value].length > max) this.add(field, `must be at most ${max} characters`, 'max_length');
  }

  pattern(field: string, value: string, re: RegExp, what: string): void {
    if (value !== '' && !re.test(value)) this.add(field, `must be ${what}`, 'format');
  }

  /** A proto enum: rejects UNSPECIFIED (0), UNRECOGNIZED (-1) and numbers outside the enum. */
  enumValue(field: string, value: number, enumObj: Record<string, string | number>, opts: { optional?: boolean } = {}): void {
    if (value === 0 && opts.optional) return;
    const name = enumObj[value];
    if (value <= 0 || typeof name !== 'string') this.add(field, `must be one of ${Object.keys(enumObj).filter((k) => !/^\d|^-|UNSPECIFIED|UNRECOGNIZED/.test(k)).join(', ')}`, 'enum');
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

export const ID = {
  case: /^case_[0-9A-HJKMNP-TV-Z]{26}$/,
  passenger: /^pax_[0-9A-HJKMNP-TV-Z]{26}$/,
  article: /^kb_[0-9A-HJKMNP-TV-Z]{26}$/,
  agent: /^[A-Za-z0-9_.@:-]{1,64}$/,
  team: /^[a-z0-9][a-z0-9_.-]{0,63}$/,
};

export const CASE_NUMBER = /^CS-\d{4}-\d{6,}$/;
export const LANGUAGE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
export const CARRIER = /^([A-Z0-9]{2}|[A-Z]{3})$/;
export const FLIGHT_NUMBER = /^[0-9]{1,4}[A-Z]?$/;
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const BOOKING_REF = /^[A-Z0-9]{6}$/;
export const TICKET = /^\d{13}$/;
export const BAGGAGE_REF = /^[A-Z]{5}\d{5}$/;
export const AWB = /^\d{3}-\d{8}$/;
export const SHA256 = /^[0-9a-f]{64}$/;
export const CURRENCY = /^[A-Z]{3}$/;
export const CODE = /^[a-z][a-z0-9_.-]{0,63}$/;

/** Air waybill: 3-digit prefix + 8 digits whose last digit is the first 7 serial digits mod 7. */
export function validAwb(awb: string): boolean {
  if (!AWB.test(awb)) return false;
  const serial = awb.slice(4);
  return Number(serial.slice(0, 7)) % 7 === Number(serial[7]);
}

export function validDate(d: string): boolean {
  if (!ISO_DATE.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}
