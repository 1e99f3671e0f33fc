import { profile } from '@csm/contracts';
import { decryptWithDataKey, encryptWithDataKey, fieldAad, type DataKey, type KeyRing } from '@csm/platform/security';
import type { ProfileData } from '../domain/model';
import type { PassengerDoc } from './document';

/**
 * Sealing of the profile's personal data with the passenger's own data key (crypto-shredding on erasure), and the
 * HMAC blind indexes that make exact-match lookups possible without storing the values.
 */
const aadFor = (id: string) => fieldAad('profile', 'passengers', 'pii', id);

export function sealProfile(key: DataKey, id: string, data: ProfileData): string {
  return encryptWithDataKey(key, JSON.stringify(profile.Passenger.toJSON({ ...(data as profile.Passenger), id: '' })), { aad: aadFor(id) });
}

export function openProfile(key: DataKey, id: string, sealed: string): ProfileData {
  const p = profile.Passenger.fromJSON(JSON.parse(decryptWithDataKey(key, sealed, { aad: aadFor(id) })));
  const { id: _i, classification: _c, status: _s, mergedIntoId: _m, audit: _a, ...data } = p;
  return data;
}

const CTX = {
  phone: { normalize: 'phone', context: 'profile.phone' },
  email: { normalize: 'email', context: 'profile.email' },
  doc: { normalize: 'exact', context: 'profile.document' },
  ffp: { normalize: 'document', context: 'profile.ffp' },
} as const;

/** Canonical form of a document key: type, issuing country (PRC documents default to CN) and number. */
export function documentKey(type: number, issuingCountry: string, number: string): string {
  const country = issuingCountry.toUpperCase() || (type === profile.DocumentType.DOCUMENT_TYPE_PRC_RESIDENT_ID ? 'CN' : '');
  return `${type}:${country}:${number.normalize('NFKC').toUpperCase().replace(/[\s-]+/g, '')}`;
}

/** Blind indexes for a profile's strong keys (written with the document). */
export function indexesOf(ring: KeyRing, data: ProfileData): Omit<PassengerDoc['idx'], 'member'> {
  return {
    phone: data.phones.map((p) => ring.blindIndex(p.e164, CTX.phone)),
    email: data.emails.map((e) => ring.blindIndex(e.address, CTX.email)),
    doc: data.documents.map((d) => ring.blindIndex(documentKey(d.type, d.issuingCountry, d.number), CTX.doc)),
    ffp: data.ffpNumber ? [ring.blindIndex(data.ffpNumber, CTX.ffp)] : [],
  };
}

/** Every index value a lookup must try (all index keys, during a rotation). */
export function lookupCandidates(ring: KeyRing, kind: keyof typeof CTX, value: string): string[] {
  return ring.blindIndexCandidates(value, CTX[kind]);
}
