import type { SqlExecutor } from '@csm/platform/stores';
import type { ManifestEntryInput } from '../app/inputs';

export interface ManifestRow extends ManifestEntryInput {
  readonly seq: number;
}

/** Replaces a flight's manifest (one delete + multi-row inserts in the caller's transaction). */
export async function replaceManifest(db: SqlExecutor, flightId: string, entries: readonly ManifestEntryInput[]): Promise<void> {
  await db.query(`DELETE FROM manifest_entries WHERE flight_id = $1`, [flightId]);
  const CHUNK = 200;
  for (let i = 0; i < entries.length; i += CHUNK) {
    const params: unknown[] = [];
    const values = entries.slice(i, i + CHUNK).map((e, j) => {
      params.push(flightId, e.bookingRef, e.ticketNumber, e.passengerId, e.cabin, e.bookingClass, e.seat, [...e.ssrCodes], e.checkedBags, e.checkedIn, e.boarded, e.ffpNumber, i + j);
      const b = params.length - 13;
      return `(${Array.from({ length: 13 }, (_, k) => `$${b + k + 1}${k === 7 ? '::text[]' : ''}`).join(',')})`;
    });
    await db.query(
      `INSERT INTO manifest_entries (flight_id, booking_ref, ticket_number, passenger_id, cabin, booking_class, seat, ssr_codes,
         checked_bags, checked_in, boarded, ffp_number, seq) VALUES ${values.join(',')}`,
      params,
    );
  }
}

export async function listManifest(db: SqlExecutor, flightId: string, ssrCodes: readonly string[], afterSeq: number, limit: number): Promise<ManifestRow[]> {
  const res = await db.query<{
    seq: number;
    booking_ref: string;
    ticket_number: string;
    passenger_id: string;
    cabin: string;
    booking_class: string;
    seat: string;
    ssr_codes: string[];
    checked_bags: number;
    checked_in: boolean;
    boarded: boolean;
    ffp_number: string;
  }>(
    `SELECT * FROM manifest_entries WHERE flight_id = $1 AND seq > $2 AND (cardinality($3::text[]) = 0 OR ssr_codes && $3::text[])
      ORDER BY seq LIMIT $4`,
    [flightId, afterSeq, [...ssrCodes], limit],
  );
  return res.rows.map((r) => ({
    seq: r.seq,
    bookingRef: r.booking_ref,
    ticketNumber: r.ticket_number,
    passengerId: r.passenger_id,
    cabin: r.cabin,
    bookingClass: r.booking_class,
    seat: r.seat,
    ssrCodes: r.ssr_codes,
    checkedBags: r.checked_bags,
    checkedIn: r.checked_in,
    boarded: r.boarded,
    ffpNumber: r.ffp_number,
  }));
}
