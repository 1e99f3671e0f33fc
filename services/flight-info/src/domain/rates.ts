/**
 * Rate quotes: chargeable weight is the greater of actual and volumetric weight (volume in cm³ / divisor, IATA
 * 6000 cm³/kg by default), rounded UP to the next half kilogram as IATA rating does; freight comes from the
 * weight-break table of the route (or the default), never below the minimum charge.
 */
export interface WeightBreak {
  /** Applies from this chargeable weight (kg) up. */
  readonly fromKg: number;
  /** Minor units per kg. */
  readonly perKgMinor: number;
}

export interface RateTableEntry {
  /** "PEK-LHR", or "*" for every route without its own entry. */
  readonly route: string;
  readonly currency: string;
  readonly minimumMinor: number;
  readonly breaks: readonly WeightBreak[];
  readonly fuelPerKgMinor: number;
  readonly securityPerKgMinor: number;
  /** Flat fee for shipments with DGR (dangerous goods) handling. */
  readonly dgrFeeMinor: number;
}

export interface QuoteInput {
  readonly origin: string;
  readonly destination: string;
  readonly weightKg: number;
  readonly volumeM3: number;
  readonly specialHandlingCodes: readonly string[];
}

export interface QuoteComponent {
  readonly code: string;
  readonly description: string;
  readonly amountMinor: number;
}

export interface Quote {
  readonly chargeableWeightKg: number;
  readonly currency: string;
  readonly components: readonly QuoteComponent[];
  readonly totalMinor: number;
}

export function chargeableWeightKg(weightKg: number, volumeM3: number, divisorCm3PerKg: number): number {
  const volumetric = (volumeM3 * 1_000_000) / divisorCm3PerKg;
  const raw = Math.max(weightKg, volumetric);
  return Math.ceil(raw * 2 - 1e-9) / 2;
}

export function rateFor(table: readonly RateTableEntry[], origin: string, destination: string): RateTableEntry | undefined {
  return table.find((e) => e.route === `${origin}-${destination}`) ?? table.find((e) => e.route === '*');
}

export function quote(entry: RateTableEntry, input: QuoteInput, divisorCm3PerKg: number): Quote {
  const cw = chargeableWeightKg(input.weightKg, input.volumeM3, divisorCm3PerKg);
  const applicable = [...entry.breaks].sort((a, b) => a.fromKg - b.fromKg).filter((b) => cw >= b.fromKg);
  const rate = applicable[applicable.length - 1] ?? entry.breaks[0];
  const freight = Math.max(entry.minimumMinor, Math.round(cw * (rate?.perKgMinor ?? 0)));
  const components: QuoteComponent[] = [
    { code: 'FREIGHT', description: `freight ${cw} kg chargeable`, amountMinor: freight },
    { code: 'FUEL_SURCHARGE', description: 'fuel surcharge per chargeable kg', amountMinor: Math.round(cw * entry.fuelPerKgMinor) },
    { code: 'SECURITY', description: 'security surcharge per chargeable kg', amountMinor: Math.round(cw * entry.securityPerKgMinor) },
  ];
  if (input.specialHandlingCodes.includes('DGR')) {
    components.push({ code: 'DGR_FEE', description: 'dangerous goods handling', amountMinor: entry.dgrFeeMinor });
  }
  return { chargeableWeightKg: cw, currency: entry.currency, components, totalMinor: components.reduce((s, c) => s + c.amountMinor, 0) };
}

/** Default table (CNY): general cargo weight breaks N / Q45 / Q100 / Q300 / Q500 / Q1000. */
export const DEFAULT_RATE_TABLE: readonly RateTableEntry[] = [
  {
    route: '*',
    currency: 'CNY',
    minimumMinor: 20_000,
    breaks: [
      { fromKg: 0, perKgMinor: 3_000 },
      { fromKg: 45, perKgMinor: 2_400 },
      { fromKg: 100, perKgMinor: 2_100 },
      { fromKg: 300, perKgMinor: 1_900 },
      { fromKg: 500, perKgMinor: 1_700 },
      { fromKg: 1000, perKgMinor: 1_500 },
    ],
    fuelPerKgMinor: 400,
    securityPerKgMinor: 100,
    dgrFeeMinor: 50_000,
  },
];
