import type { CloudEvent } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';
import { projectCaseEvent } from './project-cases';
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
