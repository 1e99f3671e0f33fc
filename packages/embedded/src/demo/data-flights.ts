/**
 * The demo airline's network: two hubs (Beijing Capital PEK and Shanghai Pudong PVG), domestic trunk routes and
 * long-haul services, each operated once a day in both directions. 22 flights a day, 154 over the demo week.
 */
export interface RouteSeed {
  readonly number: string;
  readonly origin: string;
  readonly destination: string;
  /** Scheduled departure, local at the origin ("HH:MM"). */
  readonly departs: string;
  readonly blockMinutes: number;
  readonly aircraft: string;
  readonly gate: string;
}

export const CARRIER = 'CA';
export const HUBS = ['PEK', 'PVG'] as const;

const pair = (out: string, back: string, a: string, b: string, outDep: string, backDep: string, block: number, backBlock: number, aircraft: string, gates: [string, string]): RouteSeed[] => [
  { number: out, origin: a, destination: b, departs: outDep, blockMinutes: block, aircraft, gate: gates[0] },
  { number: back, origin: b, destination: a, departs: backDep, blockMinutes: backBlock, aircraft, gate: gates[1] },
];

export const ROUTES: readonly RouteSeed[] = [
  // Beijing hub
  ...pair('1501', '1502', 'PEK', 'PVG', '08:00', '12:30', 135, 140, '32N', ['E12', 'D5']),
  ...pair('1321', '1322', 'PEK', 'CAN', '09:00', '14:10', 200, 195, '333', ['E20', 'A112']),
  ...pair('4101', '4102', 'PEK', 'CTU', '10:05', '15:20', 185, 170, '32N', ['C31', '108']),
  ...pair('101', '102', 'PEK', 'HKG', '08:30', '13:45', 235, 220, '333', ['E27', '41']),
  ...pair('931', '932', 'PEK', 'FRA', '13:30', '19:30', 640, 580, '359', ['E03', 'B44']),
  ...pair('981', '982', 'PEK', 'JFK', '13:00', '16:30', 780, 830, '77W', ['E16', '7']),
  // Shanghai hub
  ...pair('1831', '1832', 'PVG', 'SZX', '09:10', '13:20', 160, 150, '32N', ['D12', '15']),
  ...pair('1211', '1212', 'PVG', 'XIY', '07:50', '12:00', 165, 145, '32N', ['D20', '23']),
  ...pair('929', '930', 'PVG', 'NRT', '09:30', '14:00', 180, 200, '333', ['D70', '58']),
  ...pair('933', '934', 'PVG', 'CDG', '23:55', '19:00', 760, 720, '359', ['D75', 'L35']),
  ...pair('987', '988', 'PVG', 'LAX', '16:00', '11:30', 690, 820, '77W', ['D78', '150']),
];

/** Disruptions ingested as operations-control status updates (day offsets from the anchor date). */
export interface DisruptionSeed {
  readonly number: string;
  readonly dayOffset: number;
  readonly kind: 'delay' | 'cancel';
  readonly minutes?: number;
  readonly reason: { code: string; description: string };
}

export const DISRUPTIONS: readonly DisruptionSeed[] = [
  // The flight of the compensated complaint (and of proactive-care cases for its manifest).
  { number: '1501', dayOffset: -2, kind: 'delay', minutes: 195, reason: { code: '93', description: 'late inbound aircraft' } },
  { number: '1321', dayOffset: -1, kind: 'cancel', reason: { code: '71', description: 'thunderstorms at destination' } },
  { number: '981', dayOffset: -3, kind: 'delay', minutes: 75, reason: { code: '81', description: 'air traffic flow management' } },
  { number: '929', dayOffset: -1, kind: 'delay', minutes: 45, reason: { code: '41', description: 'aircraft defect' } },
  { number: '1212', dayOffset: -2, kind: 'delay', minutes: 30, reason: { code: '89', description: 'restrictions at airport of departure' } },
  { number: '934', dayOffset: -3, kind: 'delay', minutes: 240, reason: { code: '71', description: 'weather at departure station' } },
  { number: '931', dayOffset: 1, kind: 'delay', minutes: 120, reason: { code: '93', description: 'late inbound aircraft' } },
  { number: '1832', dayOffset: 0, kind: 'delay', minutes: 65, reason: { code: '81', description: 'air traffic flow management' } },
];
