import { profile } from '@csm/contracts';
import type { FieldViolation } from '@csm/platform/errors';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { foldName } from './names';
import type { ProfileData } from './model';
import { checkPrcId } from './prc-id';

/** IATA SSR codes accepted as standing special service needs (DOMAIN.md §2 plus common neighbours). */
export const SSR_CODES = new Set([
  'WCHR', 'WCHS', 'WCHC', 'WCBD', 'WCBW', 'WCMP', 'WCOB', 'BLND', 'DEAF', 'DPNA', 'UMNR', 'MEDA', 'MAAS', 'OXYG', 'STCR',
  'PETC', 'AVIH', 'SVAN', 'ESAN', 'EXST', 'CBBG', 'PPOC', 'POXY', 'OTHS',
]);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COUNTRY = /^[A-Z]{2}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const LATIN_NAME = /^[A-Z][A-Z '.-]*$/;
const BCP47 = /^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const TAG = /^[a-z0-9][a-z0-9_:-]{0,31}$/;
const FFP = /^[A-Z0-9]{6,20}$/;

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === v;
}

function known(enumObj: object, v: number, allowUnspecified = true): boolean {
  return Number.isInteger(v) && v >= (allowUnspecified ? 0 : 1) && Object.values(enumObj).includes(v);
}

class Collector {
  readonly violations: FieldViolation[] = [];
  add(field: string, description: string, rule: string): void {
    this.violations.push({ field, description, rule });
  }
  maxLen(field: string, v: string, n: number): void {
    if ([...v].length > n) this.add(field, `must be at most ${n} characters`, 'MAX_LENGTH');
  }
  maxItems(field: string, v: readonly unknown[], n: number): void {
    if (v.length > n) this.add(field, `must have at most ${n} items`, 'MAX_ITEMS');
  }
}

export interface ValidateOptions {
  /** Region used to read national phone numbers without a "+" prefix. */
  defaultPhoneRegion: string;
  /** Today (UTC, YYYY-MM-DD) for birth-date checks. */
  today: string;
  /** Which top-level fields to check (update masks); all when unset. */
  only?: ReadonlySet<string>;
  /** Field path prefix for violations ("passenger."). */
  prefix?: string;
}

/**
 * Validates and normalizes profile data. Returns the normalized copy and every violation found (empty = valid);
 * names the field path and the rule for each, so one round trip shows the caller everything to fix.
 */
export function validateProfileData(input: ProfileData, opts: ValidateOptions): { data: ProfileData; violations: FieldViolation[] } {
  const c = new Collector();
  const p = opts.prefix ?? 'passenger.';
  const on = (f: string) => opts.only === undefined || opts.only.has(f);
  const data: ProfileData = profile.Passenger.fromPartial(input);

  if (on('name')) {
    const n = data.name ?? profile.PersonName.fromPartial({});
    n.latinSurname = foldName(n.latinSurname);
    n.latinGivenName = foldName(n.latinGivenName);
    n.nativeSurname = n.nativeSurname.normalize('NFC').trim();
    n.nativeGivenName = n.nativeGivenName.normalize('NFC').trim();
    n.title = foldName(n.title);
    if (!n.nativeSurname && !n.latinSurname) c.add(`${p}name`, 'a native or a Latin surname is required', 'REQUIRED');
    for (const [k, v] of [['latin_surname', n.latinSurname], ['latin_given_name', n.latinGivenName]] as const) {
      if (v && !LATIN_NAME.test(v)) c.add(`${p}name.${k}`, 'must be Latin letters, spaces, apostrophes or hyphens', 'LATIN_ONLY');
    }
    for (const [k, v] of Object.entries({ native_surname: n.nativeSurname, native_given_name: n.nativeGivenName, latin_surname: n.latinSurname, latin_given_name: n.latinGivenName, title: n.title })) {
      c.maxLen(`${p}name.${k}`, v, 64);
    }
    data.name = n;
  }
  if (on('gender') && !known(profile.Gender, data.gender)) c.add(`${p}gender`, 'unknown gender', 'UNKNOWN_ENUM');
  if (on('birth_date') && data.birthDate) {
    if (!isDate(data.birthDate)) c.add(`${p}birth_date`, 'must be a date YYYY-MM-DD', 'DATE_FORMAT');
    else if (data.birthDate > opts.today || data.birthDate < '1900-01-01') c.add(`${p}birth_date`, 'must be between 1900-01-01 and today', 'RANGE');
  }
  if (on('nationality') && data.nationality) {
    data.nationality = data.nationality.toUpperCase();
    if (!COUNTRY.test(data.nationality)) c.add(`${p}nationality`, 'must be an ISO 3166-1 alpha-2 code', 'COUNTRY_CODE');
  }
  if (on('documents')) {
    c.maxItems(`${p}documents`, data.documents, 10);
    const seen = new Set<string>();
    data.documents.forEach((d, i) => {
      const f = `${p}documents[${i}]`;
      d.number = d.number.normalize('NFKC').toUpperCase().replace(/[\s-]+/g, '');
      d.issuingCountry = d.issuingCountry.toUpperCase();
      if (!known(profile.DocumentType, d.type, false)) c.add(`${f}.type`, 'unknown or missing document type', 'UNKNOWN_ENUM');
      if (!d.number) c.add(`${f}.number`, 'is required', 'REQUIRED');
      else if (d.type === profile.DocumentType.DOCUMENT_TYPE_PRC_RESIDENT_ID) {
        const problem = checkPrcId(d.number);
        if (problem === 'FORMAT') c.add(`${f}.number`, 'must be 17 digits followed by a digit or X', 'PRC_ID_FORMAT');
        if (problem === 'BIRTH_DATE') c.add(`${f}.number`, 'contains an impossible birth date', 'PRC_ID_BIRTH_DATE');
        if (problem === 'CHECK_CHARACTER') c.add(`${f}.number`, 'check character does not match (ISO 7064 MOD 11-2)', 'PRC_ID_CHECK_CHARACTER');
        if (!d.issuingCountry) d.issuingCountry = 'CN';
      } else if (!/^[A-Z0-9]{4,20}$/.test(d.number)) c.add(`${f}.number`, 'must be 4-20 letters or digits', 'DOCUMENT_NUMBER_FORMAT');
      if (d.type === profile.DocumentType.DOCUMENT_TYPE_PASSPORT && !d.issuingCountry) c.add(`${f}.issuing_country`, 'is required for passports', 'REQUIRED');
      if (d.issuingCountry && !COUNTRY.test(d.issuingCountry)) c.add(`${f}.issuing_country`, 'must be an ISO 3166-1 alpha-2 code', 'COUNTRY_CODE');
      if (d.expiryDate && !isDate(d.expiryDate)) c.add(`${f}.expiry_date`, 'must be a date YYYY-MM-DD', 'DATE_FORMAT');
      const key = `${d.type}|${d.issuingCountry}|${d.number}`;
      if (seen.has(key)) c.add(`${f}`, 'duplicate document', 'DUPLICATE');
      seen.add(key);
    });
  }
  if (on('phones')) {
    c.maxItems(`${p}phones`, data.phones, 10);
    data.phones.forEach((ph, i) => {
      const f = `${p}phones[${i}]`;
      const parsed = ph.e164.trim() ? parsePhoneNumberFromString(ph.e164.trim(), opts.defaultPhoneRegion as CountryCode) : undefined;
      if (!parsed || !parsed.isValid()) c.add(`${f}.e164`, 'is not a valid phone number', 'PHONE_NUMBER');
      else ph.e164 = parsed.number;
      if (!known(profile.PhoneKind, ph.kind)) c.add(`${f}.kind`, 'unknown phone kind', 'UNKNOWN_ENUM');
    });
    const dupes = data.phones.map((x) => x.e164).filter((v, i, a) => a.indexOf(v) !== i);
    if (dupes.length > 0) c.add(`${p}phones`, 'contains the same number twice', 'DUPLICATE');
  }
  if (on('emails')) {
    c.maxItems(`${p}emails`, data.emails, 10);
    data.emails.forEach((e, i) => {
      e.address = e.address.normalize('NFC').trim().toLowerCase();
      if (!EMAIL.test(e.address) || e.address.length > 254) c.add(`${p}emails[${i}].address`, 'is not a valid email address', 'EMAIL');
    });
  }
  if (on('address') && data.address) {
    const a = data.address;
    a.countryCode = a.countryCode.toUpperCase();
    if (a.countryCode && !COUNTRY.test(a.countryCode)) c.add(`${p}address.country_code`, 'must be an ISO 3166-1 alpha-2 code', 'COUNTRY_CODE');
    c.maxItems(`${p}address.lines`, a.lines, 5);
    a.lines.forEach((l, i) => c.maxLen(`${p}address.lines[${i}]`, l, 200));
    for (const [k, v] of Object.entries({ region: a.region, city: a.city, district: a.district, postal_code: a.postalCode })) c.maxLen(`${p}address.${k}`, v, 100);
  }
  if (on('employer')) c.maxLen(`${p}employer`, data.employer, 200);
  if (on('preferred_language') && data.preferredLanguage && !BCP47.test(data.preferredLanguage)) {
    c.add(`${p}preferred_language`, 'must be a BCP 47 tag', 'LANGUAGE_TAG');
  }
  if (on('preferences') && data.preferences) {
    const pr = data.preferences;
    if (!known(profile.SeatPreference, pr.seat)) c.add(`${p}preferences.seat`, 'unknown seat preference', 'UNKNOWN_ENUM');
    pr.mealCode = pr.mealCode.toUpperCase();
    if (pr.mealCode && !/^[A-Z]{4}$/.test(pr.mealCode)) c.add(`${p}preferences.meal_code`, 'must be a four-letter IATA meal code', 'MEAL_CODE');
    c.maxLen(`${p}preferences.drink`, pr.drink, 100);
  }
  if (on('special_services')) {
    c.maxItems(`${p}special_services`, data.specialServices, 20);
    data.specialServices.forEach((s, i) => {
      const f = `${p}special_services[${i}]`;
      s.code = s.code.toUpperCase();
      if (!SSR_CODES.has(s.code)) c.add(`${f}.code`, 'is not a known IATA SSR code', 'SSR_CODE');
      if (s.validFrom && !isDate(s.validFrom)) c.add(`${f}.valid_from`, 'must be a date YYYY-MM-DD', 'DATE_FORMAT');
      if (s.validUntil && !isDate(s.validUntil)) c.add(`${f}.valid_until`, 'must be a date YYYY-MM-DD', 'DATE_FORMAT');
      if (s.validFrom && s.validUntil && s.validFrom > s.validUntil) c.add(`${f}.valid_until`, 'must not be before valid_from', 'RANGE');
      c.maxLen(`${f}.free_text`, s.freeText, 500);
    });
  }
  if (on('consents')) {
    data.consents.forEach((k, i) => {
      const f = `${p}consents[${i}]`;
      if (!known(profile.ConsentPurpose, k.purpose, false)) c.add(`${f}.purpose`, 'unknown or missing purpose', 'UNKNOWN_ENUM');
      if (!k.recordTime) c.add(`${f}.record_time`, 'is required', 'REQUIRED');
      if (!k.source) c.add(`${f}.source`, 'is required (channel it was captured through)', 'REQUIRED');
    });
  }
  if (on('ffp_number') && data.ffpNumber) {
    data.ffpNumber = data.ffpNumber.toUpperCase().trim();
    if (!FFP.test(data.ffpNumber)) c.add(`${p}ffp_number`, 'must be 6-20 letters or digits', 'FFP_NUMBER');
  }
  if (on('tags')) {
    c.maxItems(`${p}tags`, data.tags, 20);
    data.tags = [...new Set(data.tags.map((t) => t.trim().toLowerCase()))];
    data.tags.forEach((t, i) => {
      if (!TAG.test(t)) c.add(`${p}tags[${i}]`, 'must be lower-case letters, digits, "_", ":" or "-" (max 32)', 'TAG');
    });
  }
  return { data, violations: c.violations };
}
