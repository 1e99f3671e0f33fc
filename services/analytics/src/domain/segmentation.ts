import { kmeans } from 'ml-kmeans';

/** RFM features of one passenger over the feature window. */
export interface RfmFeatures {
  readonly passengerId: string;
  /** Days since the last activity (flight, case, survey). */
  readonly recencyDays: number;
  /** Flights in the window. */
  readonly frequency: number;
  /** Miles earned in the window. */
  readonly monetaryMiles: number;
}

export interface SegmentProfile {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly definition: string;
  readonly size: number;
  readonly meanRecencyDays: number;
  readonly meanFrequency: number;
  readonly meanMonetaryMiles: number;
}

export interface SegmentationResult {
  readonly segments: readonly SegmentProfile[];
  readonly assignments: ReadonlyMap<string, string>;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * k-means (ml-kmeans, k-means++ initialisation with a fixed seed) over z-scored RFM features with log-scaled
 * frequency and miles. Input is sorted by passenger id, so the same data always yields the same clusters. Segments
 * are numbered by descending mean miles (seg_1 = most valuable) and named from their profile.
 */
export function segmentPassengers(rows: readonly RfmFeatures[], k: number, seed: number): SegmentationResult {
  const data = [...rows].sort((a, b) => a.passengerId.localeCompare(b.passengerId));
  if (data.length === 0) return { segments: [], assignments: new Map() };
  const kk = Math.min(k, data.length);
  const raw = data.map((r) => [r.recencyDays, Math.log1p(r.frequency), Math.log1p(r.monetaryMiles)]);
  const cols = [0, 1, 2].map((j) => raw.map((v) => v[j] ?? 0));
  const mu = cols.map(mean);
  const sd = cols.map((c, j) => Math.sqrt(mean(c.map((x) => (x - (mu[j] ?? 0)) ** 2))) || 1);
  const z = raw.map((v) => v.map((x, j) => (x - (mu[j] ?? 0)) / (sd[j] ?? 1)));
  const clusters = kk === 1 ? z.map(() => 0) : kmeans(z, kk, { seed, initialization: 'kmeans++', maxIterations: 100 }).clusters;
  const members = new Map<number, RfmFeatures[]>();
  clusters.forEach((c, i) => {
    const row = data[i];
    if (row !== undefined) members.set(c, [...(members.get(c) ?? []), row]);
  });
  const profiles = [...members.values()].map((m) => ({
    rows: m,
    r: mean(m.map((x) => x.recencyDays)),
    f: mean(m.map((x) => x.frequency)),
    m: mean(m.map((x) => x.monetaryMiles)),
  }));
  profiles.sort((a, b) => b.m - a.m || b.f - a.f || a.r - b.r);
  const overall = { r: mean(data.map((x) => x.recencyDays)), f: mean(data.map((x) => x.frequency)), m: mean(data.map((x) => x.monetaryMiles)) };
  const assignments = new Map<string, string>();
  const segments = profiles.map((p, i) => {
    const id = `seg_${i + 1}`;
    for (const row of p.rows) assignments.set(row.passengerId, id);
    const value = p.m >= overall.m ? 'high-value' : 'low-value';
    const freq = p.f >= overall.f ? 'frequent' : 'occasional';
    const recent = p.r <= overall.r ? 'recently active' : 'lapsing';
    return {
      id,
      name: `${value} ${freq} ${recent}`.replace(/^\w/, (ch) => ch.toUpperCase()),
      description: `${p.rows.length} passenger(s): ${value}, ${freq}, ${recent} compared with the average passenger`,
      definition: `mean recency ${p.r.toFixed(1)} d, ${p.f.toFixed(2)} flights, ${Math.round(p.m)} miles earned in the window`,
      size: p.rows.length,
      meanRecencyDays: p.r,
      meanFrequency: p.f,
      meanMonetaryMiles: p.m,
    };
  });
  return { segments, assignments };
}
