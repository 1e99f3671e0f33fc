// Collects every bad field of a request before anything is written (bad input → one ValidationError naming them all).
import { ValidationError, type FieldViolation } from '@csm/platform/errors';
import { isIsoDate } from './dates';

export class Violations {
  private readonly list: FieldViolation[] = [];

  add(field: string, description: string, rule: string): this {
    this.list.push({ field, description, rule });
    return this;
  }

  required(field: string, value: string | undefined | null): this {
    if (value === undefined || value === null || value.trim() === '') this.add(field, 'is required', 'REQUIRED');
    return this;
  }

  maxLength(field: string, value: string, max: number): this {
    if (value.length > max) this.add(field, `must be at most ${max} characters`, 'TOO_LONG');
    return this;
  }

  pattern(field: string, value: string, re: RegExp, what: string): this {
    if (value !== '' && !re.test(value)) this.add(field, `must be ${what}`, 'INVALID_FORMAT');
    return this;
  }

  date(field: string, value: string, required = true): this {
    if (value === '') {
      if (required) this.add(field, 'is required (YYYY-MM-DD)', 'REQUIRED');
    } else if (!isIsoDate(value)) this.add(field, 'must be a date YYYY-MM-DD', 'INVALID_DATE');
    return this;
  }

  positiveInt(field: string, value: number, max = 100_000_000): this {
    if (!Number.isSafeInteger(value) || value <= 0) this.add(field, 'must be a positive integer', 'POSITIVE');
    else if (value > max) this.add(field, `must be at most ${max}`, 'TOO_LARGE');
    return this;
  }

  enumValue(field: string, value: number, allowed: readonly number[], names: (v: number) => string): this {
    if (!allowed.includes(value)) this.add(field, `must be one of ${allowed.map(names).join(', ')}`, 'UNKNOWN_ENUM');
    return this;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

export const ID_PATTERNS = {
  member: /^mbr_[0-9A-HJKMNP-TV-Z]{26}$/,
  passenger: /^pax_[0-9A-HJKMNP-TV-Z]{26}$/,
  quote: /^quo_[0-9A-HJKMNP-TV-Z]{26}$/,
  redemption: /^rdm_[0-9A-HJKMNP-TV-Z]{26}$/,
  partnerCode: /^[A-Z0-9]{2,12}$/,
  idempotencyKey: /^[\x21-\x7e]{1,128}$/,
};
