/**
 * Dated flights. Every time is stored twice: the instant (timestamptz, for ordering and windows) and the wall-clock
 * time at the airport (timestamp) with the airport's IANA zone, so a board shows exactly what was published.
 */
export const FLIGHTS_SQL = `
CREATE TABLE flights (
  id                    text PRIMARY KEY,
  carrier               text NOT NULL,
  flight_number         text NOT NULL,
  flight_date           date NOT NULL,
  operating             jsonb,
  codeshares            jsonb NOT NULL DEFAULT '[]',
  service_type          text NOT NULL,
  origin                text NOT NULL,
  destination           text NOT NULL,
  dep_zone              text NOT NULL,
  arr_zone              text NOT NULL,
  sched_dep_utc         timestamptz NOT NULL,
  sched_dep_local       timestamp NOT NULL,
  sched_arr_utc         timestamptz NOT NULL,
  sched_arr_local       timestamp NOT NULL,
  aircraft_type         text NOT NULL DEFAULT '',
  fares                 jsonb NOT NULL DEFAULT '[]',
  distance_km           integer NOT NULL,
  status                text NOT NULL DEFAULT 'SCHEDULED',
  est_dep_utc           timestamptz,
  est_dep_local         timestamp,
  act_dep_utc           timestamptz,
  act_dep_local         timestamp,
  est_arr_utc           timestamptz,
  est_arr_local         timestamp,
  act_arr_utc           timestamptz,
  act_arr_local         timestamp,
  act_arr_zone          text,
  live                  jsonb NOT NULL DEFAULT '{}',
  dep_delay_min         integer NOT NULL DEFAULT 0,
  arr_delay_min         integer NOT NULL DEFAULT 0,
  max_delay_min         integer NOT NULL DEFAULT 0,
  notified_thresholds   integer[] NOT NULL DEFAULT '{}',
  cancel_notified       boolean NOT NULL DEFAULT false,
  divert_notified       boolean NOT NULL DEFAULT false,
  last_observe_time     timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  version               integer NOT NULL DEFAULT 1,
  UNIQUE (carrier, flight_number, flight_date)
);
-- Boards: departures by origin and scheduled departure instant, arrivals by destination and scheduled arrival.
CREATE INDEX flights_departures_idx ON flights (origin, sched_dep_utc, id);
CREATE INDEX flights_arrivals_idx ON flights (destination, sched_arr_utc, id);
CREATE INDEX flights_route_idx ON flights (origin, flight_date, destination);

-- Marketing designators of codeshare flights, to find the operating flight by any of its numbers.
CREATE TABLE flight_codeshares (
  carrier       text NOT NULL,
  flight_number text NOT NULL,
  flight_date   date NOT NULL,
  flight_id     text NOT NULL REFERENCES flights (id) ON DELETE CASCADE,
  PRIMARY KEY (carrier, flight_number, flight_date)
);

-- Every status update received, applied or not (history; replay source; de-duplication by update id).
CREATE TABLE flight_status_updates (
  flight_id     text NOT NULL REFERENCES flights (id) ON DELETE CASCADE,
  update_id     text NOT NULL,
  observe_time  timestamptz NOT NULL,
  source        text NOT NULL DEFAULT '',
  payload       jsonb NOT NULL,
  applied       boolean NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flight_id, update_id)
);
CREATE INDEX flight_status_updates_order_idx ON flight_status_updates (flight_id, observe_time, update_id);

-- Passenger manifests from reservation / departure control (identifiers only; names stay in the profile service).
CREATE TABLE manifest_entries (
  flight_id      text NOT NULL REFERENCES flights (id) ON DELETE CASCADE,
  booking_ref    text NOT NULL,
  ticket_number  text NOT NULL DEFAULT '',
  passenger_id   text NOT NULL DEFAULT '',
  cabin          text NOT NULL DEFAULT '',
  booking_class  text NOT NULL DEFAULT '',
  seat           text NOT NULL DEFAULT '',
  ssr_codes      text[] NOT NULL DEFAULT '{}',
  checked_bags   integer NOT NULL DEFAULT 0,
  checked_in     boolean NOT NULL DEFAULT false,
  boarded        boolean NOT NULL DEFAULT false,
  ffp_number     text NOT NULL DEFAULT '',
  seq            integer NOT NULL,
  PRIMARY KEY (flight_id, seq)
);
CREATE INDEX manifest_entries_passenger_idx ON manifest_entries (passenger_id) WHERE passenger_id <> '';
CREATE INDEX manifest_entries_booking_idx ON manifest_entries (booking_ref);
`;
