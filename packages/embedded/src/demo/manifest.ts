import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the demo seed created, as ids a test or a newcomer can use (no personal data besides ids). */
export interface DemoManifest {
  /** Bumped when the data set changes shape; an older marker is still honoured (no reseed over existing data). */
  readonly version: number;
  /** UTC instant the seed completed. */
  readonly seededAt: string;
  /** The clock the seed ran with (a retried seed passes it again to make the very same calls). */
  readonly seedClock: string;
  /** The UTC date the flight week is centred on (flights from −3 to +3 days). */
  readonly anchorDate: string;
  readonly hubs: readonly string[];
  readonly passengers: readonly DemoPassenger[];
  readonly members: readonly DemoMember[];
  readonly partners: readonly DemoPartner[];
  readonly flights: {
    readonly count: number;
    readonly firstDate: string;
    readonly lastDate: string;
    /** Departures per hub over the whole week. */
    readonly departuresByHub: Readonly<Record<string, number>>;
    readonly delayed: readonly string[];
    readonly cancelled: readonly string[];
    /** Flights with a passenger manifest ("CA1501/2026-03-01"). */
    readonly withManifest: readonly string[];
  };
  readonly cases: readonly DemoCase[];
  readonly knowledgeArticles: readonly { readonly id: string; readonly language: string; readonly title: string }[];
  readonly agents: readonly string[];
  /** The passenger the demo passenger token is for. */
  readonly demoPassengerId: string;
  /** The partner the demo partner token is for. */
  readonly demoPartnerCode: string;
}

export interface DemoPassenger {
  readonly key: string;
  readonly id: string;
  /** The classification the data is meant to show (the service computes the real one from profile + events). */
  readonly intent: string;
}

export interface DemoMember {
  readonly passengerKey: string;
  readonly memberId: string;
  readonly memberNumber: string;
  /** Tier name the service computed after the seeded activity ("TIER_GOLD"). */
  readonly tier: string;
}

export interface DemoPartner {
  readonly code: string;
  readonly name: string;
  readonly category: string;
  readonly accruals: number;
}

export interface DemoCase {
  readonly key: string;
  readonly id: string;
  readonly caseNumber: string;
  readonly kind: string;
  readonly state: string;
  readonly compensated: boolean;
  readonly surveyed: boolean;
}

export const MARKER_FILE = 'demo-seed.json';
export const PARTNER_SECRETS_FILE = 'demo-partner-credentials.json';
export const DEMO_DATA_VERSION = 1;

/** The manifest of a completed seed, or undefined when the data dir was never (completely) seeded. */
export function readMarker(dataDir: string): DemoManifest | undefined {
  const file = path.join(dataDir, MARKER_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DemoManifest;
}

/** Written only after the whole seed succeeded, atomically (write + rename), so a crash never leaves half a marker. */
export function writeMarker(dataDir: string, manifest: DemoManifest): void {
  const file = path.join(dataDir, MARKER_FILE);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The demo partners' API secrets (shown once by the service): kept 0600 in the data dir, never logged. */
export function writePartnerSecrets(dataDir: string, secrets: Readonly<Record<string, string>>): void {
  const file = path.join(dataDir, PARTNER_SECRETS_FILE);
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  writeFileSync(file, `${JSON.stringify({ ...current, ...secrets }, null, 2)}\n`, { mode: 0o600 });
}

export function readPartnerSecrets(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, PARTNER_SECRETS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}
