import type { SqlExecutor } from '@csm/platform/stores';
import type { BookingStatus, Capacity, CargoBooking, PartyRef, Shipment, TrackingEvent } from '../domain/cargo';
import type { FlightKey } from '../domain/flight';

/** Persistence of cargo capacity, shipments, bookings and tracking events (numeric columns come back as text). */

interface CapacityRow {
  carrier: string;
  flight_number: string;
  flight_date: string;
  total_weight_kg: string;
  total_volume_m3: string;
  booked_weight_kg: string;
  booked_volume_m3: string;
}

function toCapacity(r: CapacityRow): Capacity {
  return {
    flight: { carrier: r.carrier, number: r.flight_number, date: r.flight_date },
    totalWeightKg: Number(r.total_weight_kg),
    totalVolumeM3: Number(r.total_volume_m3),
    bookedWeightKg: Number(r.booked_weight_kg),
    bookedVolumeM3: Number(r.booked_volume_m3),
  };
}

export async function getCapacity(db: SqlExecutor, key: FlightKey, opts: { forUpdate?: boolean } = {}): Promise<Capacity | undefined> {
  const res = await db.query<CapacityRow>(
    `SELECT * FROM cargo_capacity WHERE carrier = $1 AND flight_number = $2 AND flight_date = $3${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [key.carrier, key.number, key.date],
  );
  const r = res.rows[0];
  return r ? toCapacity(r) : undefined;
}

export async function setCapacity(db: SqlExecutor, key: FlightKey, weightKg: number, volumeM3: number): Promise<Capacity> {
  const res = await db.query<CapacityRow>(
    `INSERT INTO cargo_capacity (carrier, flight_number, flight_date, total_weight_kg, total_volume_m3) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (carrier, flight_number, flight_date) DO UPDATE SET total_weight_kg = EXCLUDED.total_weight_kg,
       total_volume_m3 = EXCLUDED.total_volume_m3, updated_at = now()
     RETURNING *`,
    [key.carrier, key.number, key.date, weightKg, volumeM3],
  );
  return toCapacity(res.rows[0] as CapacityRow);
}

export async function addBooked(db: SqlExecutor, key: FlightKey, weightKg: number, volumeM3: number): Promise<void> {
  await db.query(
    `UPDATE cargo_capacity SET booked_weight_kg = booked_weight_kg + $4, booked_volume_m3 = booked_volume_m3 + $5, updated_at = now()
      WHERE carrier = $1 AND flight_number = $2 AND flight_date = $3`,
    [key.carrier, key.number, key.date, weightKg, volumeM3],
  );
}

export async function nextAwbSerial(db: SqlExecutor): Promise<number> {
  const res = await db.query<{ n: string }>(`SELECT nextval('awb_serial_seq') AS n`);
  return Number(res.rows[0]?.n ?? 0);
}

export interface NewShipment {
  readonly id: string;
  readonly awbNumber: string;
  readonly origin: string;
  readonly destination: string;
  readonly shipper: PartyRef;
  readonly consignee: PartyRef;
  readonly pieces: number;
  readonly weightKg: number;
  readonly volumeM3: number;
  readonly commodity: string;
  readonly specialHandlingCodes: readonly string[];
  readonly charge: { amountMinor: number; currency: string };
  readonly idempotencyKey: string | undefined;
  readonly createdBy: string;
}

/** Inserts the shipment; false when its AWB number or idempotency key already exists. */
export async function insertShipment(db: SqlExecutor, s: NewShipment): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO shipments (id, awb_number, origin, destination, shipper, consignee, pieces, weight_kg, volume_m3, commodity, shc,
        status_code, charge_minor, charge_currency, idempotency_key, created_by)
     VALUES ($1,$2,$3,$4,$5::jsonb,$6::jsonb,$7,$8,$9,$10,$11::text[],'BKD',$12,$13,$14,$15) ON CONFLICT DO NOTHING`,
    [
      s.id,
      s.awbNumber,
      s.origin,
      s.destination,
      JSON.stringify(s.shipper),
      JSON.stringify(s.consignee),
      s.pieces,
      s.weightKg,
      s.volumeM3,
      s.commodity,
      [...s.specialHandlingCodes],
      s.charge.amountMinor,
      s.charge.currency,
      s.idempotencyKey ?? null,
      s.createdBy,
    ],
  );
  return res.rowCount > 0;
}

export async function insertBooking(db: SqlExecutor, shipmentId: string, leg: number, b: CargoBooking): Promise<void> {
  await db.query(
    `INSERT INTO cargo_bookings (shipment_id, leg, carrier, flight_number, flight_date, origin, destination, pieces, weight_kg, volume_m3, status)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [shipmentId, leg, b.flight.carrier, b.flight.number, b.flight.date, b.origin, b.destination, b.pieces, b.weightKg, b.volumeM3, b.status],
  );
}

/** Records a tracking event; false when its source id was recorded before (a duplicate). */
export async function insertTrackingEvent(db: SqlExecutor, shipmentId: string, e: TrackingEvent): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO cargo_tracking_events (shipment_id, source_event_id, status_code, airport, flight, pieces, weight_kg, event_time, discrepancy_code, remarks)
     VALUES ($1,$2,$3,$4,$5::jsonb,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING`,
    [shipmentId, e.sourceEventId, e.statusCode, e.airport, e.flight ? JSON.stringify(e.flight) : null, e.pieces, e.weightKg, e.eventTime, e.discrepancyCode, e.remarks],
  );
  return res.rowCount > 0;
}

export async function updateShipmentStatus(db: SqlExecutor, id: string, statusCode: string): Promise<void> {
  await db.query(`UPDATE shipments SET status_code = $2, updated_at = now(), version = version + 1 WHERE id = $1`, [id, statusCode]);
}

interface ShipmentRow {
  id: string;
  awb_number: string;
  origin: string;
  destination: string;
  shipper: PartyRef;
  consignee: PartyRef;
  pieces: number;
  weight_kg: string;
  volume_m3: string;
  commodity: string;
  shc: string[];
  status_code: string;
  charge_minor: string | null;
  charge_currency: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export async function findShipment(
  db: SqlExecutor,
  by: { id?: string; awb?: string; idempotencyKey?: string },
  opts: { forUpdate?: boolean } = {},
): Promise<Shipment | undefined> {
  const [col, val] = by.id !== undefined ? ['id', by.id] : by.awb !== undefined ? ['awb_number', by.awb] : ['idempotency_key', by.idempotencyKey];
  const res = await db.query<ShipmentRow>(`SELECT * FROM shipments WHERE ${col} = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [val]);
  const r = res.rows[0];
  if (!r) return undefined;
  const bookings = await db.query<{
    carrier: string;
    flight_number: string;
    flight_date: string;
    origin: string;
    destination: string;
    pieces: number;
    weight_kg: string;
    volume_m3: string;
    status: BookingStatus;
  }>(`SELECT * FROM cargo_bookings WHERE shipment_id = $1 ORDER BY leg`, [r.id]);
  const events = await db.query<{
    source_event_id: string;
    status_code: string;
    airport: string;
    flight: { carrier: string; number: string; date: string } | null;
    pieces: number;
    weight_kg: string;
    event_time: Date;
    discrepancy_code: string;
    remarks: string;
  }>(`SELECT * FROM cargo_tracking_events WHERE shipment_id = $1 ORDER BY event_time, received_at, source_event_id`, [r.id]);
  return {
    id: r.id,
    awbNumber: r.awb_number,
    origin: r.origin,
    destination: r.destination,
    shipper: r.shipper,
    consignee: r.consignee,
    pieces: r.pieces,
    weightKg: Number(r.weight_kg),
    volumeM3: Number(r.volume_m3),
    commodity: r.commodity,
    specialHandlingCodes: r.shc,
    statusCode: r.status_code,
    charge: r.charge_minor === null ? undefined : { amountMinor: Number(r.charge_minor), currency: r.charge_currency ?? '' },
    bookings: bookings.rows.map((b) => ({
      flight: { carrier: b.carrier, number: b.flight_number, date: b.flight_date },
      origin: b.origin,
      destination: b.destination,
      pieces: b.pieces,
      weightKg: Number(b.weight_kg),
      volumeM3: Number(b.volume_m3),
      status: b.status,
    })),
    events: events.rows.map((e) => ({
      sourceEventId: e.source_event_id,
      statusCode: e.status_code,
      airport: e.airport,
      flight: e.flight ?? undefined,
      pieces: e.pieces,
      weightKg: Number(e.weight_kg),
      eventTime: e.event_time,
      discrepancyCode: e.discrepancy_code,
      remarks: e.remarks,
    })),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/**
 * Shipments whose last leg has arrived at the destination (the flight's actual arrival, or an ARR message there)
 * more than `timeoutMinutes` before `now`, with no RCF at the destination and no overdue exception raised yet.
 */
export async function findRcfOverdue(db: SqlExecutor, now: Date, timeoutMinutes: number, limit: number): Promise<{ id: string; arrivedAt: Date; flight: { carrier: string; number: string; date: string } }[]> {
  const res = await db.query<{ id: string; arrived_at: Date; carrier: string; flight_number: string; flight_date: string }>(
    `WITH last_leg AS (
       SELECT DISTINCT ON (b.shipment_id) b.shipment_id, b.carrier, b.flight_number, b.flight_date
         FROM cargo_bookings b JOIN shipments s ON s.id = b.shipment_id
        WHERE s.rcf_overdue_raised = false AND s.status_code NOT IN ('RCF','NFD','AWD','DLV','DDL') AND b.status = 'CONFIRMED'
        ORDER BY b.shipment_id, b.leg DESC)
     SELECT l.shipment_id AS id, l.carrier, l.flight_number, l.flight_date,
            COALESCE(f.act_arr_utc,
                     (SELECT min(e.event_time) FROM cargo_tracking_events e JOIN shipments s2 ON s2.id = e.shipment_id
                       WHERE e.shipment_id = l.shipment_id AND e.status_code = 'ARR' AND e.airport = s2.destination)) AS arrived_at
       FROM last_leg l
       LEFT JOIN flights f ON f.carrier = l.carrier AND f.flight_number = l.flight_number AND f.flight_date = l.flight_date
      WHERE NOT EXISTS (SELECT 1 FROM cargo_tracking_events r JOIN shipments s3 ON s3.id = r.shipment_id
                         WHERE r.shipment_id = l.shipment_id AND r.status_code = 'RCF' AND r.airport = s3.destination)
        AND COALESCE(f.act_arr_utc,
                     (SELECT min(e.event_time) FROM cargo_tracking_events e JOIN shipments s2 ON s2.id = e.shipment_id
                       WHERE e.shipment_id = l.shipment_id AND e.status_code = 'ARR' AND e.airport = s2.destination))
            < $1::timestamptz - ($2::integer * interval '1 minute')
      LIMIT $3`,
    [now, timeoutMinutes, limit],
  );
  return res.rows.map((r) => ({ id: r.id, arrivedAt: r.arrived_at, flight: { carrier: r.carrier, number: r.flight_number, date: r.flight_date } }));
}

/** Marks the overdue exception raised; false when another scanner got there first. */
export async function markRcfOverdueRaised(db: SqlExecutor, id: string): Promise<boolean> {
  const res = await db.query(`UPDATE shipments SET rcf_overdue_raised = true, updated_at = now() WHERE id = $1 AND rcf_overdue_raised = false`, [id]);
  return res.rowCount > 0;
}

export interface OutletRow {
  id: string;
  name: string;
  airport: string;
  city_name: string;
  address: string;
  phone: string;
  opening_hours: string;
  services: string[];
  latitude: number;
  longitude: number;
}

export async function listOutlets(db: SqlExecutor, airports: readonly string[] | undefined, afterId: string, limit: number): Promise<OutletRow[]> {
  const res = await db.query<OutletRow>(
    `SELECT * FROM service_outlets WHERE ($1::text[] IS NULL OR airport = ANY($1::text[])) AND id > $2 ORDER BY id LIMIT $3`,
    [airports ? [...airports] : null, afterId, limit],
  );
  return res.rows;
}
