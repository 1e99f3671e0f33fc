import { profile } from '@csm/contracts';
import type { ProfileData } from './model';

/**
 * Survivorship rule for merges: the survivor's non-empty values win; an empty scalar or message field is filled from
 * the duplicates in the order given; list fields (documents, phones, emails, special services, tags) become the union
 * without repeats, survivor's entries first; for consents the most recent record per purpose wins; only the survivor
 * keeps "primary" flags (a duplicate's primary phone/email joins as non-primary).
 */
export function mergeProfileData(survivor: ProfileData, duplicates: readonly ProfileData[]): ProfileData {
  const out: ProfileData = profile.Passenger.fromPartial(survivor);
  for (const d of duplicates) {
    if (!out.name || (!out.name.nativeSurname && !out.name.latinSurname)) out.name = d.name;
    else if (d.name) {
      const n = out.name;
      n.nativeSurname ||= d.name.nativeSurname;
      n.nativeGivenName ||= d.name.nativeGivenName;
      n.latinSurname ||= d.name.latinSurname;
      n.latinGivenName ||= d.name.latinGivenName;
      n.title ||= d.name.title;
    }
    out.gender ||= d.gender;
    out.birthDate ||= d.birthDate;
    out.nationality ||= d.nationality;
    out.address ??= d.address;
    out.employer ||= d.employer;
    out.preferredLanguage ||= d.preferredLanguage;
    out.preferences ??= d.preferences;
    out.ffpNumber ||= d.ffpNumber;
    out.documents = unionBy(out.documents, d.documents, (x) => `${x.type}|${x.issuingCountry}|${x.number}`);
    out.phones = unionBy(out.phones, d.phones.map((p) => ({ ...p, primary: false })), (x) => x.e164);
    out.emails = unionBy(out.emails, d.emails.map((e) => ({ ...e, primary: false })), (x) => x.address);
    out.specialServices = unionBy(out.specialServices, d.specialServices, (x) => `${x.code}|${x.validFrom}|${x.validUntil}`);
    out.tags = [...new Set([...out.tags, ...d.tags])];
    const byPurpose = new Map(out.consents.map((c) => [c.purpose, c]));
    for (const c of d.consents) {
      const cur = byPurpose.get(c.purpose);
      if (!cur || (c.recordTime?.getTime() ?? 0) > (cur.recordTime?.getTime() ?? 0)) byPurpose.set(c.purpose, c);
    }
    out.consents = [...byPurpose.values()];
  }
  return out;
}

function unionBy<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): T[] {
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const x of b) {
    const k = key(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}
