import { profile } from '@csm/contracts';
import type { DemoClients } from './clients';
import { PASSENGERS } from './data-passengers';

/** Profiles created by a call-centre agent; the idempotency key makes a re-run return the same profile. */
export async function seedPassengers(c: DemoClients): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const p of PASSENGERS) {
    const res = await c.call(c.profile, 'createPassenger', profile.CreatePassengerRequest.fromPartial({ passenger: p.passenger, idempotencyKey: `demo-passenger-${p.key}` }), 'agentL1');
    const id = res.passenger?.id;
    if (!id) throw new Error(`demo seed: CreatePassenger returned no id for ${p.key}`);
    ids.set(p.key, id);
  }
  return ids;
}
