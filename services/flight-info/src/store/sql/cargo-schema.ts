/** Cargo: capacity per flight, shipments under an air waybill, their bookings, FSU tracking events, outlets. */
export const CARGO_SQL = `
CREATE TABLE cargo_capacity (
  carrier          text NOT NULL,
  flight_number    text NOT NULL,
  flight_date      date NOT NULL,
  total_weight_kg  numeric(12,3) NOT NULL,
  total_volume_m3  numeric(12,3) NOT NULL,
  booked_weight_kg numeric(12,3) NOT NULL DEFAULT 0,
  booked_volume_m3 numeric(12,3) NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (carrier, flight_number, flight_date),
  CHECK (booked_weight_kg <= total_weight_kg AND booked_volume_m3 <= total_volume_m3)
);

CREATE SEQUENCE awb_serial_seq START 1000000;

CREATE TABLE shipments (
  id               text PRIMARY KEY,
  awb_number       text NOT NULL UNIQUE,
  origin           text NOT NULL,
  destination      text NOT NULL,
  shipper          jsonb NOT NULL DEFAULT '{}',
  consignee        jsonb NOT NULL DEFAULT '{}',
  pieces           integer NOT NULL,
  weight_kg        numeric(12,3) NOT NULL,
  volume_m3        numeric(12,3) NOT NULL,
  commodity        text NOT NULL DEFAULT '',
  shc              text[] NOT NULL DEFAULT '{}',
  status_code      text NOT NULL DEFAULT 'BKD',
  charge_minor     bigint,
  charge_currency  text,
  idempotency_key  text UNIQUE,
  rcf_overdue_raised boolean NOT NULL DEFAULT false,
  created_by       text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  version          integer NOT NULL DEFAULT 1
);

CREATE TABLE cargo_bookings (
  shipment_id      text NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  leg              integer NOT NULL,
  carrier          text NOT NULL,
  flight_number    text NOT NULL,
  flight_date      date NOT NULL,
  origin           text NOT NULL,
  destination      text NOT NULL,
  pieces           integer NOT NULL,
  weight_kg        numeric(12,3) NOT NULL,
  volume_m3        numeric(12,3) NOT NULL,
  status           text NOT NULL,
  PRIMARY KEY (shipment_id, leg)
);
CREATE INDEX cargo_bookings_flight_idx ON cargo_bookings (carrier, flight_number, flight_date);

CREATE TABLE cargo_tracking_events (
  shipment_id      text NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  source_event_id  text NOT NULL,
  status_code      text NOT NULL,
  airport          text NOT NULL,
  flight           jsonb,
  pieces           integer NOT NULL DEFAULT 0,
  weight_kg        numeric(12,3) NOT NULL DEFAULT 0,
  event_time       timestamptz NOT NULL,
  discrepancy_code text NOT NULL DEFAULT '',
  remarks          text NOT NULL DEFAULT '',
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shipment_id, source_event_id)
);
CREATE INDEX cargo_tracking_events_time_idx ON cargo_tracking_events (shipment_id, event_time);
CREATE INDEX cargo_tracking_arrivals_idx ON cargo_tracking_events (status_code, event_time) WHERE status_code = 'ARR';

CREATE TABLE service_outlets (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  airport        text NOT NULL,
  city_name      text NOT NULL,
  address        text NOT NULL,
  phone          text NOT NULL,
  opening_hours  text NOT NULL,
  services       text[] NOT NULL,
  latitude       double precision NOT NULL,
  longitude      double precision NOT NULL
);
CREATE INDEX service_outlets_airport_idx ON service_outlets (airport, id);

INSERT INTO service_outlets VALUES
 ('out_pek_t3', 'Beijing Capital Cargo Terminal', 'PEK', 'Beijing', 'Capital Airport Cargo Area, Shunyi District, Beijing', '+861064590000', 'Mon-Sun 00:00-24:00', ARRAY['acceptance','delivery','DGR'], 40.0700, 116.6000),
 ('out_pkx_cargo', 'Beijing Daxing Cargo Terminal', 'PKX', 'Beijing', 'Daxing Airport Cargo Area, Daxing District, Beijing', '+861060610000', 'Mon-Sun 08:00-22:00', ARRAY['acceptance','delivery'], 39.5050, 116.4200),
 ('out_pvg_west', 'Shanghai Pudong West Cargo Area', 'PVG', 'Shanghai', 'West Cargo Area, Pudong Airport, Shanghai', '+862168340000', 'Mon-Sun 00:00-24:00', ARRAY['acceptance','delivery','DGR','live animals'], 31.1500, 121.7800),
 ('out_can_cargo', 'Guangzhou Baiyun Cargo Terminal', 'CAN', 'Guangzhou', 'Baiyun Airport Cargo Area, Guangzhou', '+862036060000', 'Mon-Sun 00:00-24:00', ARRAY['acceptance','delivery','DGR'], 23.3900, 113.3000),
 ('out_szx_cargo', 'Shenzhen Bao''an Cargo Terminal', 'SZX', 'Shenzhen', 'Bao''an Airport Cargo Area, Shenzhen', '+8675523450000', 'Mon-Sun 08:00-22:00', ARRAY['acceptance','delivery'], 22.6400, 113.8100),
 ('out_ctu_cargo', 'Chengdu Shuangliu Cargo Terminal', 'CTU', 'Chengdu', 'Shuangliu Airport Cargo Area, Chengdu', '+862885200000', 'Mon-Sun 08:00-20:00', ARRAY['acceptance','delivery'], 30.5700, 103.9500),
 ('out_lhr_cargo', 'London Heathrow Cargo Centre', 'LHR', 'London', 'Shoreham Road East, Heathrow Airport', '+442087450000', 'Mon-Fri 08:00-18:00', ARRAY['acceptance','delivery'], 51.4600, -0.4700);
`;
