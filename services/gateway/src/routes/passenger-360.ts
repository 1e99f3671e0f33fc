import { z } from 'zod';
import { passenger360 } from '../app/passenger-360';
import { route, type AnyRoute } from '../http/route';
import { ids } from './schemas';

export interface Passenger360Options {
  /** Each section's own deadline; a slower dependency is reported unavailable. */
  readonly sectionDeadlineMs: number;
}

/**
 * Who may see the whole person: the roles that may read a profile in the profile service (agents, supervisors,
 * admins — not analysts or ops, whom the profile service refuses), and the passenger for themself.
 */
const PROFILE_READERS = ['agent_l1', 'agent_l2', 'agent_l3', 'supervisor', 'admin'] as const;

export function passenger360Routes(options: Passenger360Options): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/passengers/{passengerId}/360',
      operationId: 'getPassenger360',
      summary:
        'Profile + loyalty summary (member, balance, tier status) + open cases + recent flights in one call. Sections are fetched in parallel, each under its own deadline; a failed or slow one is {"status":"unavailable","reason":…} (not enrolled: {"status":"none"}). Unknown passenger: 404; profile service down or late: 503.',
      tag: 'passengers',
      access: { roles: [...PROFILE_READERS], passengerSelf: { param: 'passengerId' } },
      params: z.strictObject({ passengerId: ids.passenger }),
      responseDescription: 'Passenger360 { passenger, loyalty, openCases, recentFlights }',
      handler: async ({ params, backends, call }) => ({ body: await passenger360({ backends, sectionDeadlineMs: options.sectionDeadlineMs }, params.passengerId, call) }),
    }),
  ];
}
