import type { CloudEvent } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';
import { projectCaseEvent, projectCaseEvents } from './project-cases';
import { projectCargoEvent, projectFlightEvent } from './project-flights';
import { projectLoyaltyEvent, projectProfileEvent } from './project-loyalty-profile';

/** The domain topics the warehouse is fed from, each with its own consumer (and lag series). */
export const PROJECTED_DOMAINS = ['profile', 'cases', 'loyalty', 'flight', 'cargo'] as const;
export type ProjectedDomain = (typeof PROJECTED_DOMAINS)[number];

export const topicOf = (domain: ProjectedDomain): string => `csm.${domain}.v1`;

/** Applies one domain event to the star schema inside `tx`. False: a type this projection ignores (still recorded). */
export function projectEvent(domain: ProjectedDomain, event: CloudEvent, tx: SqlTx, timeZone: string): Promise<boolean> {
  switch (domain) {
    case 'cases':
      return projectCaseEvent(event, tx, timeZone);
    case 'flight':
      return projectFlightEvent(event, tx, timeZone);
    case 'cargo':
      return projectCargoEvent(event, tx);
    case 'loyalty':
      return projectLoyaltyEvent(event, tx, timeZone);
    case 'profile':
      return projectProfileEvent(event, tx);
  }
}

/**
 * Applies a batch of one topic's events (consecutive, in partition order) inside `tx`, with the same result as applying
 * them one by one in order. Cases (the busiest topic) are written set-based, one statement per wave of the batch (see
 * projectCaseEvents); the other topics event by event — still one transaction for the whole batch. (Profile merges
 * and erasures rewrite rows of other passengers, so that topic is order-dependent across aggregates.)
 */
export async function projectEvents(domain: ProjectedDomain, events: readonly CloudEvent[], tx: SqlTx, timeZone: string): Promise<void> {
  if (domain === 'cases') return projectCaseEvents(events, tx, timeZone);
  for (const event of events) await projectEvent(domain, event, tx, timeZone);
}
