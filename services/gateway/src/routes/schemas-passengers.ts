import { profile } from '@csm/contracts';
import { z } from 'zod';
import { isoDate, isoInstant, language, protoEnum, text } from './schemas';

/**
 * Zod pieces of the passenger, case and knowledge routes (profile and cases services), plus two small helpers the
 * shared framework does not have: enum names → proto numbers, and comma-separated enum lists in queries.
 */

/** The proto number of an enum value given by its proto3 JSON name (already validated by protoEnum). */
export function enumNumber(enumObject: Record<string, string | number>, name: string): number {
  const value = enumObject[name];
  return typeof value === 'number' ? value : 0;
}

/** A query parameter listing enum values by proto name, comma-separated ("CASE_STATE_NEW,CASE_STATE_REOPENED"). */
export function csvEnum(enumObject: Record<string, string | number>, maxItems = 20) {
  return z
    .string()
    .max(1024)
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(protoEnum(enumObject)).max(maxItems))
    .describe('comma-separated enum names');
}

/** A `true`/`false` query flag. */
export const queryFlag = z.enum(['true', 'false']).describe('true or false');


export const country = z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' });
export const ssrCode = z.string().regex(/^[A-Z]{4}$/, { message: 'must be a 4-letter IATA code' });
export const e164 = z.string().regex(/^\+?[0-9 ()-]{5,24}$/, { message: 'must be a phone number, E.164 preferred (+8613800138000)' });
export const email = z.string().max(254).regex(/^[^@\s]+@[^@\s]+$/, { message: 'must be an email address' });
export const ffpNumber = z.string().regex(/^[A-Za-z0-9]{4,20}$/, { message: 'must be 4-20 letters or digits' });
export const purpose = z.string().max(200).describe('why the profile is read (kept in the audit trail)');
export const version = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('the version you read (audit.version)');

const personName = z.strictObject({
  nativeSurname: text(64).optional(),
  nativeGivenName: text(64).optional(),
  latinSurname: text(64).optional(),
  latinGivenName: text(64).optional(),
  title: text(16).optional(),
});

/** The writable fields of a Passenger in proto3 JSON; output-only fields (id, classification, status, audit, dynamicData) are refused. */
export const passengerInput = z.strictObject({
  name: personName.optional(),
  gender: protoEnum(profile.Gender).optional(),
  birthDate: isoDate.optional(),
  nationality: country.optional(),
  documents: z
    .array(z.strictObject({ type: protoEnum(profile.DocumentType), number: z.string().trim().min(1).max(32), issuingCountry: country.optional(), expiryDate: isoDate.optional() }))
    .max(10)
    .optional(),
  phones: z.array(z.strictObject({ e164, kind: protoEnum(profile.PhoneKind).optional(), primary: z.boolean().optional(), verified: z.boolean().optional() })).max(10).optional(),
  emails: z.array(z.strictObject({ address: email, primary: z.boolean().optional(), verified: z.boolean().optional() })).max(10).optional(),
  address: z
    .strictObject({
      countryCode: country.optional(),
      region: text(64).optional(),
      city: text(64).optional(),
      district: text(64).optional(),
      lines: z.array(text(128)).max(5).optional(),
      postalCode: text(16).optional(),
    })
    .optional(),
  employer: text(128).optional(),
  preferredLanguage: language.optional(),
  preferences: z.strictObject({ seat: protoEnum(profile.SeatPreference).optional(), mealCode: ssrCode.or(z.literal('')).optional(), drink: text(64).optional() }).optional(),
  specialServices: z.array(z.strictObject({ code: ssrCode, freeText: text(500).optional(), validFrom: isoDate.optional(), validUntil: isoDate.optional() })).max(20).optional(),
  consents: z
    .array(z.strictObject({ purpose: protoEnum(profile.ConsentPurpose), granted: z.boolean(), recordTime: isoInstant.optional(), source: text(32).optional(), policyVersion: text(32).optional() }))
    .max(10)
    .optional(),
  ffpNumber: ffpNumber.or(z.literal('')).optional(),
  tags: z.array(z.string().trim().min(1).max(32)).max(20).optional(),
});
export type PassengerInput = z.infer<typeof passengerInput>;

/** Update-mask paths: proto field names of Passenger, optionally one level deep ("phones", "name.latin_surname"). */
export const updateMaskPath = z.string().regex(/^[a-z][a-z_]{0,40}(\.[a-z][a-z_]{0,40})?$/, { message: 'must be a proto field path like "phones" or "name.latin_surname"' });
