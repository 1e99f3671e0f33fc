import { NotFoundError } from '@csm/platform/errors';
import { requireRole, type Principal } from '@csm/platform/security';
import type { SqlDb } from '@csm/platform/stores';
import { findFlightByKey } from '../store/flight-store';
import { listManifest, replaceManifest, type ManifestRow } from '../store/manifest-store';
import { MANIFEST_READERS, OPS_ROLES } from './flight-app';
import { validateFlightRef } from './flight-validation';
import type { FlightRefInput, ManifestEntryInput, PageInput } from './inputs';
import { decodeCursor, encodeCursor, pageSize, Violations } from './violations';

const MAX_ENTRIES = 1000;

/**
 * Passenger manifests from reservation / departure-control feeds, so other services can find who a disruption
 * affects. Identifiers only: the Latin name on the ticket is not stored (the profile service owns names).
 */
export class ManifestApp {
  constructor(private readonly db: SqlDb) {}

  async ingest(principal: Principal, ref: FlightRefInput | undefined, entries: readonly ManifestEntryInput[]): Promise<{ entryCount: number; matchedCount: number }> {
    requireRole(principal, ...OPS_ROLES);
    const v = new Violations();
    const key = validateFlightRef(v, 'flight', ref);
    if (entries.length > MAX_ENTRIES) v.add('entries', `at most ${MAX_ENTRIES} entries`, 'MAX_ITEMS');
    const clean = entries.slice(0, MAX_ENTRIES).map((e, i) => {
      const f = `entries[${i}]`;
      return {
        bookingRef: v.text(`${f}.booking_ref`, e.bookingRef, /^[A-Z0-9]{5,8}$/, 'must be a 5-8 character record locator', { upper: true }),
        ticketNumber: v.text(`${f}.ticket_number`, e.ticketNumber, /^\d{13}$/, 'must be 13 digits', { optional: true }),
        passengerId: v.text(`${f}.passenger_id`, e.passengerId, /^pax_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be pax_ + ULID', { optional: true }),
        cabin: v.text(`${f}.cabin`, e.cabin, /^[A-Z_]{1,32}$/, 'must be a cabin name', { upper: true, optional: true }),
        bookingClass: v.text(`${f}.booking_class`, e.bookingClass, /^[A-Z]$/, 'must be one letter', { upper: true, optional: true }),
        seat: v.text(`${f}.seat`, e.seat, /^\d{1,3}[A-Z]$/, 'must be like 32A', { upper: true, optional: true }),
        ssrCodes: e.ssrCodes.map((c, j) => v.text(`${f}.ssr_codes[${j}]`, c, /^[A-Z]{4}$/, 'must be a 4-letter IATA SSR code', { upper: true })),
        checkedBags: e.checkedBags < 0 || e.checkedBags > 50 ? (v.add(`${f}.checked_bags`, 'must be 0-50', 'RANGE'), 0) : e.checkedBags,
        checkedIn: e.checkedIn,
        boarded: e.boarded,
        ffpNumber: v.text(`${f}.ffp_number`, e.ffpNumber, /^[A-Z0-9]{4,20}$/, 'must be 4-20 letters or digits', { upper: true, optional: true }),
      };
    });
    v.throwIfAny();
    const flight = await findFlightByKey(this.db, key);
    if (!flight) throw new NotFoundError('flight', `${key.carrier}${key.number}/${key.date}`);
    await this.db.transaction((tx) => replaceManifest(tx, flight.id, clean));
    return { entryCount: clean.length, matchedCount: clean.filter((e) => e.passengerId !== '').length };
  }

  async list(principal: Principal, ref: FlightRefInput | undefined, ssrCodes: readonly string[], page: PageInput | undefined): Promise<{ entries: ManifestRow[]; nextPageToken: string }> {
    requireRole(principal, ...MANIFEST_READERS);
    const v = new Violations();
    const key = validateFlightRef(v, 'flight', ref);
    const codes = ssrCodes.map((c, i) => v.text(`ssr_codes[${i}]`, c, /^[A-Z]{4}$/, 'must be a 4-letter IATA SSR code', { upper: true }));
    const after = decodeCursor(page?.pageToken ?? '', 'page.page_token', (x): x is { s: number } => typeof (x as { s?: unknown }).s === 'number');
    v.throwIfAny();
    const flight = await findFlightByKey(this.db, key);
    if (!flight) throw new NotFoundError('flight', `${key.carrier}${key.number}/${key.date}`);
    const limit = pageSize(page?.pageSize, 100, 1000);
    const rows = await listManifest(this.db, flight.id, codes, after?.s ?? -1, limit + 1);
    const entries = rows.slice(0, limit);
    const last = entries[entries.length - 1];
    return { entries, nextPageToken: rows.length > limit && last ? encodeCursor({ s: last.seq }) : '' };
  }
}
