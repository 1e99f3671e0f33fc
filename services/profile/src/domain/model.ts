import { profile } from '@csm/contracts';

/**
 * The profile's data as the domain handles it. The generated contract types are plain data (no I/O), so the domain
 * reuses them instead of mirroring forty fields; output-only parts (id, classification, status, audit) are separate.
 */
export type Passenger = profile.Passenger;
export type ProfileData = Omit<Passenger, 'id' | 'classification' | 'status' | 'mergedIntoId' | 'audit'>;

/** Top-level fields a caller may set (proto names), used by update masks, audit entries and `changed_fields`. */
export const DATA_FIELDS = [
  'name',
  'gender',
  'birth_date',
  'nationality',
  'documents',
  'phones',
  'emails',
  'address',
  'employer',
  'preferred_language',
  'preferences',
  'special_services',
  'consents',
  'ffp_number',
  'tags',
] as const;
export type DataField = (typeof DATA_FIELDS)[number];

/** Fields that hold personal data shown only with `pii:read` (the rest is masked). */
export const PII_FIELDS: readonly DataField[] = ['documents', 'phones', 'emails', 'address', 'birth_date'];

export function emptyProfileData(): ProfileData {
  return profile.Passenger.fromPartial({}) as ProfileData;
}

/** Copies the data part of a contract Passenger (ignores output-only fields). */
export function dataOf(p: Passenger): ProfileData {
  const { id: _id, classification: _c, status: _s, mergedIntoId: _m, audit: _a, ...data } = profile.Passenger.fromPartial(p);
  return data;
}
