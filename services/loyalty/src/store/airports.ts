// Great-circle distance between IATA airports from a maintained airport dataset (airport-data-js: IATA/ICAO codes and
// coordinates, haversine on a 6371 km sphere). Loaded lazily: the dataset is several MB.
import type { DistanceLookup } from '../app/deps';

type AirportData = typeof import('airport-data-js');
let data: AirportData | undefined;

export const airportDistanceKm: DistanceLookup = async (origin, destination) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load of a large dataset on first use
  data ??= require('airport-data-js') as AirportData;
  const km = await data.calculateDistance(origin, destination);
  return km === null || !Number.isFinite(km) ? undefined : km;
};
