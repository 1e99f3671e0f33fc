import { DateTime } from 'luxon';

/**
 * The SSIM-like schedule file: one line per flight leg and period, whitespace-separated, `#` starts a comment:
 *
 *   CA 937 2026-10-01 2026-10-31 1234567 PEK 2330 LHR 0425+1 333 [BA1234,VS8001] [P|C|M]
 *
 * carrier, flight number, first and last operating date (local at the origin), days of operation (SSIM: 1 = Monday …
 * 7 = Sunday, any other character means "not that day"), origin and its local departure time, destination and its
 * local arrival time with an optional "+N" / "-N" date variation, aircraft type, optional codeshare designators and
 * service type (P passenger, C cargo, M combi). Times are airport-local; the zone comes from the airport.
 */
export interface SsimLeg {
  readonly line: number;
  readonly carrier: string;
  readonly number: string;
  readonly date: string;
  readonly origin: string;
  readonly departureLocal: string;
  readonly destination: string;
  readonly arrivalLocal: string;
  readonly aircraftType: string;
  readonly codeshares: readonly { carrier: string; number: string }[];
  readonly serviceType: 'PASSENGER' | 'CARGO' | 'COMBI';
}

export interface SsimError {
  readonly line: number;
  readonly description: string;
}

const LINE = /^([A-Z0-9]{2,3})\s+(\d{1,4}[A-Z]?)\s+(\d{4}-\d{2}-\d{2})\s+(\d{4}-\d{2}-\d{2})\s+(\S{7})\s+([A-Z]{3})\s+(\d{4})\s+([A-Z]{3})\s+(\d{4})([+-]\d)?\s+([A-Z0-9]{3})(?:\s+([A-Z0-9]{2,3}\d{1,4}[A-Z]?(?:,[A-Z0-9]{2,3}\d{1,4}[A-Z]?)*|-))?(?:\s+([PCM]))?$/;
const MAX_DAYS = 400;

export function parseSsim(content: string): { legs: SsimLeg[]; errors: SsimError[] } {
  const legs: SsimLeg[] = [];
  const errors: SsimError[] = [];
  content.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const text = raw.replace(/#.*$/, '').trim();
    if (text === '') return;
    const m = LINE.exec(text);
    if (!m) {
      errors.push({ line, description: 'does not match "CC NNNN FROM TO DAYS ORG HHMM DST HHMM[+N] EQT [CODESHARES] [P|C|M]"' });
      return;
    }
    const [, carrier = '', number = '', from = '', to = '', days = '', origin = '', dep = '', destination = '', arr = '', variation, equipment = '', shares, svc] = m;
    const first = DateTime.fromISO(from, { zone: 'UTC' });
    const last = DateTime.fromISO(to, { zone: 'UTC' });
    if (!first.isValid || !last.isValid || last < first) {
      errors.push({ line, description: 'period of operation must be two valid dates, the first not after the last' });
      return;
    }
    if (last.diff(first, 'days').days > MAX_DAYS) {
      errors.push({ line, description: `period of operation longer than ${MAX_DAYS} days` });
      return;
    }
    if (!validHhmm(dep) || !validHhmm(arr)) {
      errors.push({ line, description: 'times must be HHMM, 0000-2359' });
      return;
    }
    const codeshares =
      shares === undefined || shares === '-'
        ? []
        : shares.split(',').map((d) => {
            const cm = /^([A-Z0-9]{2})(\d{1,4}[A-Z]?)$/.exec(d) ?? /^([A-Z]{3})(\d{1,4}[A-Z]?)$/.exec(d);
            return { carrier: cm?.[1] ?? '', number: cm?.[2] ?? '' };
          });
    const serviceType = svc === 'C' ? 'CARGO' : svc === 'M' ? 'COMBI' : 'PASSENGER';
    for (let d = first; d <= last; d = d.plus({ days: 1 })) {
      if (days[d.weekday - 1] !== String(d.weekday)) continue;
      const date = d.toISODate() ?? '';
      const arrDate = d.plus({ days: Number(variation ?? '0') }).toISODate() ?? '';
      legs.push({
        line,
        carrier,
        number: String(Number(number.replace(/[A-Z]$/, ''))) + (/[A-Z]$/.exec(number)?.[0] ?? ''),
        date,
        origin,
        departureLocal: `${date}T${dep.slice(0, 2)}:${dep.slice(2)}`,
        destination,
        arrivalLocal: `${arrDate}T${arr.slice(0, 2)}:${arr.slice(2)}`,
        aircraftType: equipment,
        codeshares,
        serviceType,
      });
    }
  });
  return { legs, errors };
}

function validHhmm(v: string): boolean {
  return Number(v.slice(0, 2)) < 24 && Number(v.slice(2)) < 60;
}
