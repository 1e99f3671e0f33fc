import fc from 'fast-check';
import { airportDirectory } from '../src/domain/airports';
import { awbCheckDigit, awbFromSequence, parseAwb } from '../src/domain/awb';
import { fits, progressStatus } from '../src/domain/cargo';
import type { Schedule } from '../src/domain/flight';
import { greatCircleKm } from '../src/domain/geo';
import { resolveLocal, type LocalTime } from '../src/domain/local-time';
import { chargeableWeightKg, DEFAULT_RATE_TABLE, quote } from '../src/domain/rates';
import { parseSsim } from '../src/domain/ssim';
import { newlyCrossedThresholds, replayUpdates, type StatusUpdate } from '../src/domain/status-replay';

const airports = airportDirectory();

function at(local: string, zone: string): LocalTime {
  const r = resolveLocal(local, zone);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

describe('local times and zones', () => {
  it('resolves PEK 23:30 and LHR arrival on the night UK clocks go back (25 Oct 2026)', () => {
    const dep = at('2026-10-24T23:30', 'Asia/Shanghai');
    expect(dep.utc.toISOString()).toBe('2026-10-24T15:30:00.000Z');
    // 04:25 on 25 Oct is GMT (+00:00): clocks went back at 02:00 BST.
    expect(at('2026-10-25T04:25', 'Europe/London').utc.toISOString()).toBe('2026-10-25T04:25:00.000Z');
    // The evening before is still BST (+01:00).
    expect(at('2026-10-24T23:30', 'Europe/London').utc.toISOString()).toBe('2026-10-24T22:30:00.000Z');
  });

  it('resolves a repeated (fall-back) wall time to its earlier occurrence unless that precedes notBefore', () => {
    const first = resolveLocal('2026-10-25T01:30', 'Europe/London');
    expect(typeof first !== 'string' && first.utc.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const later = resolveLocal('2026-10-25T01:30', 'Europe/London', new Date('2026-10-25T00:45:00Z'));
    expect(typeof later !== 'string' && later.utc.toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('refuses a wall time skipped by spring-forward, a bad zone and a bad format', () => {
    expect(resolveLocal('2026-03-29T01:30', 'Europe/London')).toBe('NONEXISTENT');
    expect(resolveLocal('2026-03-29T01:30', 'Mars/Olympus')).toBe('ZONE');
    expect(resolveLocal('29/03/2026 01:30', 'Europe/London')).toBe('FORMAT');
  });
});

describe('airports', () => {
  it('comes from the maintained dataset with zone, coordinates, country, and our PRC area codes', () => {
    const pek = airports.get('PEK');
    expect(pek).toMatchObject({ iata: 'PEK', cityName: 'Beijing', countryCode: 'CN', timeZone: 'Asia/Shanghai', cityCode: 'BJS', cnAreaCodes: ['010'] });
    expect(airports.get('LHR')).toMatchObject({ timeZone: 'Europe/London', countryCode: 'GB', cityCode: 'LON' });
    expect(airports.resolve('010').map((a) => a.iata)).toEqual(['PEK', 'PKX']);
    expect(airports.resolve('021').map((a) => a.iata)).toEqual(['PVG', 'SHA']);
    expect(airports.resolve('020').map((a) => a.iata)).toEqual(['CAN']);
    expect(airports.resolve('0755').map((a) => a.iata)).toEqual(['SZX']);
    expect(airports.resolve('028').map((a) => a.iata)).toEqual(['CTU', 'TFU']);
    expect(airports.resolve('BJS').map((a) => a.iata)).toEqual(['PEK', 'PKX', 'NAY']);
    expect(airports.list({ cnAreaCode: '010' }).map((a) => a.iata)).toEqual(['PEK', 'PKX']);
  });

  it('computes great-circle distances for the EU 261 bands', () => {
    const km = greatCircleKm(airports.get('PEK')!, airports.get('LHR')!);
    expect(km).toBeGreaterThan(8100);
    expect(km).toBeLessThan(8200);
    const short = greatCircleKm(airports.get('PEK')!, airports.get('PVG')!);
    expect(short).toBeGreaterThan(1000);
    expect(short).toBeLessThanOrEqual(1500);
  });
});

describe('air waybill check digit', () => {
  it('accepts every serial whose last digit is the first seven mod 7 and rejects any other last digit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 9 }), (n, p, d) => {
        const serial7 = String(n).padStart(7, '0');
        const prefix = String(p).padStart(3, '0');
        const good = awbCheckDigit(serial7);
        expect(good).toBe(n % 7);
        const parsed = parseAwb(`${prefix}-${serial7}${d}`);
        if (d === good) expect(parsed).toEqual({ prefix, serial: `${serial7}${d}`, number: `${prefix}-${serial7}${d}` });
        else expect(parsed).toBe('CHECK_DIGIT');
      }),
    );
  });

  it('knows a published example, other notations and bad formats', () => {
    expect(parseAwb('999-12345675')).toMatchObject({ number: '999-12345675' }); // 1234567 mod 7 = 5
    expect(parseAwb('999 12345675')).toMatchObject({ number: '999-12345675' });
    expect(parseAwb('99912345675')).toMatchObject({ number: '999-12345675' });
    expect(parseAwb('999-12345674')).toBe('CHECK_DIGIT');
    expect(parseAwb('99-12345675')).toBe('FORMAT');
    expect(parseAwb(awbFromSequence('999', 1_000_001).number)).toMatchObject({ prefix: '999' });
  });
});

describe('rates', () => {
  it('charges the greater of actual and volumetric weight (6000 cm³/kg), rounded up to half a kilo', () => {
    expect(chargeableWeightKg(100, 0.3, 6000)).toBe(100); // volumetric 50
    expect(chargeableWeightKg(100, 1.2, 6000)).toBe(200); // volumetric 200
    expect(chargeableWeightKg(10.2, 0, 6000)).toBe(10.5);
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 10_000, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (w, v) => {
        const cw = chargeableWeightKg(w, v, 6000);
        expect(cw).toBeGreaterThanOrEqual(Math.max(w, (v * 1e6) / 6000) - 1e-6);
        expect(cw - Math.max(w, (v * 1e6) / 6000)).toBeLessThan(0.5 + 1e-6);
      }),
    );
  });

  it('prices by weight break with the minimum charge and DGR fee', () => {
    const entry = DEFAULT_RATE_TABLE[0]!;
    const small = quote(entry, { origin: 'PEK', destination: 'LHR', weightKg: 2, volumeM3: 0, specialHandlingCodes: [] }, 6000);
    expect(small.components.find((c) => c.code === 'FREIGHT')?.amountMinor).toBe(entry.minimumMinor);
    const big = quote(entry, { origin: 'PEK', destination: 'LHR', weightKg: 120, volumeM3: 0.1, specialHandlingCodes: ['DGR'] }, 6000);
    expect(big.chargeableWeightKg).toBe(120);
    expect(big.components.map((c) => c.code)).toEqual(['FREIGHT', 'FUEL_SURCHARGE', 'SECURITY', 'DGR_FEE']);
    expect(big.components[0]?.amountMinor).toBe(120 * 2_100);
    expect(big.totalMinor).toBe(120 * 2_100 + 120 * 400 + 120 * 100 + 50_000);
  });
});

describe('cargo', () => {
  it('fits exactly up to capacity and never beyond', () => {
    const cap = { flight: { carrier: 'CA', number: '1', date: '2026-01-01' }, totalWeightKg: 1000, totalVolumeM3: 10, bookedWeightKg: 999.9, bookedVolumeM3: 9.9 };
    expect(fits(cap, 0.1, 0.1)).toBe(true);
    expect(fits(cap, 0.101, 0)).toBe(false);
    expect(fits(cap, 0, 0.2)).toBe(false);
  });

  it('takes the latest non-discrepancy event as the status, whatever order events arrive in', () => {
    const ev = (code: string, t: number) => ({ sourceEventId: code + t, statusCode: code, airport: 'PEK', flight: undefined, pieces: 1, weightKg: 1, eventTime: new Date(t), discrepancyCode: '', remarks: '' });
    expect(progressStatus([ev('BKD', 1), ev('DEP', 3), ev('RCS', 2), ev('DIS', 4)], 'BKD')).toBe('DEP');
    expect(progressStatus([ev('BKD', 9), ev('RCS', 2)], 'BKD')).toBe('RCS'); // booking keyed in after acceptance
    expect(progressStatus([ev('BKD', 9), ev('DIS', 10)], 'BKD')).toBe('BKD');
  });
});

describe('SSIM-like schedule file', () => {
  it('expands periods and days of operation into dated flights with date variation and codeshares', () => {
    const { legs, errors } = parseSsim(['# winter', 'CA 937 2026-10-19 2026-10-25 1.3.5.7 PEK 2330 LHR 0425+1 77W BA1234,VS8001', 'CA 0938 2026-10-20 2026-10-20 1234567 LHR 1100 PEK 0620+1 77W - P'].join('\n'));
    expect(errors).toEqual([]);
    expect(legs.map((l) => `${l.number} ${l.date} ${l.departureLocal}→${l.arrivalLocal}`)).toEqual([
      '937 2026-10-19 2026-10-19T23:30→2026-10-20T04:25',
      '937 2026-10-21 2026-10-21T23:30→2026-10-22T04:25',
      '937 2026-10-23 2026-10-23T23:30→2026-10-24T04:25',
      '937 2026-10-25 2026-10-25T23:30→2026-10-26T04:25',
      '938 2026-10-20 2026-10-20T11:00→2026-10-21T06:20',
    ]);
    expect(legs[0]?.codeshares).toEqual([{ carrier: 'BA', number: '1234' }, { carrier: 'VS', number: '8001' }]);
  });

  it('names each bad line', () => {
    const { errors } = parseSsim('CA 937 2026-10-19 2026-10-25 1234567 PEK 2330 LHR 0425+1 77W\nnonsense\nCA 1 2026-10-25 2026-10-19 1234567 PEK 2330 LHR 0425 77W');
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
  });
});

describe('status replay', () => {
  const schedule: Schedule = {
    key: { carrier: 'CA', number: '937', date: '2026-10-24' },
    operating: undefined,
    codeshares: [],
    serviceType: 'PASSENGER',
    origin: 'PEK',
    destination: 'LHR',
    scheduledDeparture: at('2026-10-24T23:30', 'Asia/Shanghai'),
    scheduledArrival: at('2026-10-25T04:25', 'Europe/London'),
    aircraftType: '77W',
    fares: [],
    distanceKm: 8150,
  };
  const base = (id: string, minute: number): StatusUpdate => ({
    updateId: id,
    observeTime: new Date(Date.UTC(2026, 9, 24, 12, minute)),
    source: 'SOC',
    status: undefined,
    estimatedDeparture: undefined,
    actualDeparture: undefined,
    estimatedArrival: undefined,
    actualArrival: undefined,
    departureTerminal: undefined,
    departureGate: undefined,
    arrivalTerminal: undefined,
    arrivalGate: undefined,
    baggageBelt: undefined,
    aircraftType: undefined,
    aircraftRegistration: undefined,
    delayReasons: undefined,
    divertedTo: undefined,
    cancelReason: undefined,
  });
  const updates: StatusUpdate[] = [
    { ...base('u1', 1), departureGate: 'E12', departureTerminal: '3' },
    { ...base('u2', 2), status: 'DELAYED', estimatedDeparture: at('2026-10-24T23:50', 'Asia/Shanghai') },
    { ...base('u3', 3), estimatedDeparture: at('2026-10-25T00:45', 'Asia/Shanghai'), delayReasons: [{ code: '93', description: 'late inbound', minutes: 75 }] },
    { ...base('u4', 4), departureGate: 'E15' },
    { ...base('u5', 5), estimatedDeparture: at('2026-10-25T02:40', 'Asia/Shanghai') },
    { ...base('u6', 6), status: 'BOARDING', estimatedDeparture: at('2026-10-25T00:10', 'Asia/Shanghai') },
    { ...base('u7', 7), status: 'DEPARTED', actualDeparture: at('2026-10-25T00:20', 'Asia/Shanghai') },
  ];

  it('converges to one final state for any order and any duplicates, and crosses the same thresholds', () => {
    const reference = replayUpdates(schedule, updates);
    expect(reference.live).toMatchObject({ status: 'DEPARTED', departureGate: 'E15', departureTerminal: '3', departureDelayMinutes: 50 });
    expect(reference.maxDelayMinutes).toBe(190);
    expect(newlyCrossedThresholds([15, 60, 180], reference.maxDelayMinutes, [])).toEqual([15, 60, 180]);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...updates), { maxLength: 10 }).chain((dups) => fc.shuffledSubarray([...updates, ...dups], { minLength: updates.length + dups.length })),
        (arrivals) => {
        // Feed one by one as the service does: each arrival replays the set seen so far; thresholds accumulate.
        const seen = new Map<string, StatusUpdate>();
        let notified: number[] = [];
        let maxDelay = 0;
        let final = reference;
        for (const u of arrivals) {
          if (seen.has(u.updateId)) continue;
          seen.set(u.updateId, u);
          final = replayUpdates(schedule, [...seen.values()]);
          maxDelay = Math.max(maxDelay, final.maxDelayMinutes);
          notified = [...notified, ...newlyCrossedThresholds([15, 60, 180], maxDelay, notified)];
        }
        expect(final.live).toEqual(reference.live);
        expect(notified.sort((a, b) => a - b)).toEqual([15, 60, 180]);
        },
      ),
    );
  });

  it('never lets an older update override a newer value', () => {
    const r = replayUpdates(schedule, [updates[3]!, updates[0]!]);
    expect(r.live.departureGate).toBe('E15');
    expect(r.live.departureTerminal).toBe('3');
  });
});
