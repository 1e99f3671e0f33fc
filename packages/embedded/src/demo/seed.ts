import type { Logger } from '@csm/platform/logging';
import type { DevIssuer } from '@csm/platform/security';
import { DateTime } from 'luxon';
import type { BackendName } from '../service-loader';
import { openDemoClients } from './clients';
import { DEMO_PARTNER } from './data-loyalty';
import { DEMO_PASSENGER_KEY, PASSENGERS } from './data-passengers';
import { HUBS } from './data-flights';
import { addDays, isoDate } from './dates';
import { DEMO_DATA_VERSION, readPartnerSecrets, writeMarker, writePartnerSecrets, type DemoManifest } from './manifest';
import { seedAgents, seedCases } from './seed-cases';
import { departuresByHub, ingestStatuses, planWeek, upsertWeek } from './seed-flights';
import { seedKnowledge } from './seed-knowledge';
import { seedMembers, seedPartners } from './seed-loyalty';
import { seedManifests } from './seed-manifests';
import { seedPassengers } from './seed-passengers';

export interface SeedOptions {
  readonly dataDir: string;
  readonly issuer: DevIssuer;
  readonly addresses: Readonly<Record<BackendName, string>>;
  readonly logger: Logger;
  /** Tests pin the clock; default now. */
  readonly now?: Date;
}

/**
 * Loads the demo data set through the services' gRPC APIs (the cluster code path, with the tokens of who would make
 * each call), then writes the marker with the manifest. Order follows the dependencies: profiles → loyalty members
 * and partners → the flight week, manifests, then status updates (so proactive care finds who was on a disrupted
 * flight) → knowledge → agents and cases. Every step is idempotent (idempotency keys, natural keys, or a lookup
 * first), so a seed interrupted by a crash is simply run again on the next start: the marker is written only at the end.
 */
export async function seedDemoData(options: SeedOptions): Promise<DemoManifest> {
  const { logger } = options;
  const now = DateTime.fromJSDate(options.now ?? new Date()).toUTC();
  const anchor = isoDate(now.toJSDate());
  const c = await openDemoClients(options.issuer, options.addresses);
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const out = await fn();
    logger.debug({ step: what, ms: Date.now() - t0 }, 'demo seed step done');
    return out;
  };
  try {
    const passengers = await timed('passengers', () => seedPassengers(c));
    const members = await timed('members', () => seedMembers(c, passengers, anchor));
    const { partners, secrets } = await timed('partners', () => seedPartners(c, members, anchor, readPartnerSecrets(options.dataDir)));
    writePartnerSecrets(options.dataDir, secrets);
    const week = await timed('schedule', async () => {
      const w = await planWeek(c, anchor);
      await upsertWeek(c, w);
      return w;
    });
    const withManifest = await timed('manifests', () => seedManifests(c, passengers, members, anchor));
    const { delayed, cancelled } = await timed('status updates', () => ingestStatuses(c, week, anchor, now));
    const knowledgeArticles = await timed('knowledge', () => seedKnowledge(c));
    const agents = await timed('agents', () => seedAgents(c));
    const seededCases = await timed('cases', () => seedCases(c, passengers, anchor));

    const manifest: DemoManifest = {
      version: DEMO_DATA_VERSION,
      seededAt: new Date().toISOString(),
      seedClock: now.toISO() ?? '',
      anchorDate: anchor,
      hubs: [...HUBS],
      passengers: PASSENGERS.map((p) => ({ key: p.key, id: passengers.get(p.key) ?? '', intent: p.intent })),
      members: members.map(({ passengerKey, memberId, memberNumber, tier }) => ({ passengerKey, memberId, memberNumber, tier })),
      partners,
      flights: { count: week.length, firstDate: addDays(anchor, -3), lastDate: addDays(anchor, 3), departuresByHub: departuresByHub(week), delayed, cancelled, withManifest },
      cases: seededCases,
      knowledgeArticles,
      agents,
      demoPassengerId: passengers.get(DEMO_PASSENGER_KEY) ?? '',
      demoPartnerCode: DEMO_PARTNER,
    };
    writeMarker(options.dataDir, manifest);
    return manifest;
  } finally {
    c.close();
  }
}
