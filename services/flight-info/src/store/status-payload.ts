import type { LocalTime } from '../domain/local-time';
import type { StatusUpdate } from '../domain/status-replay';

/** How a validated status update is kept in flight_status_updates.payload (replayed on every new update). */
type Json = Record<string, unknown>;
const TIME_FIELDS = ['estimatedDeparture', 'actualDeparture', 'estimatedArrival', 'actualArrival'] as const;

export function updateToJson(u: StatusUpdate): Json {
  const out: Json = { ...u, observeTime: u.observeTime.toISOString() };
  for (const f of TIME_FIELDS) {
    const t = u[f];
    out[f] = t ? { local: t.local, zone: t.zone, utc: t.utc.toISOString() } : undefined;
  }
  return JSON.parse(JSON.stringify(out)) as Json;
}

function timeFrom(v: unknown): LocalTime | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const t = v as { local: string; zone: string; utc: string };
  return { local: t.local, zone: t.zone, utc: new Date(t.utc) };
}

export function updateFromJson(j: unknown): StatusUpdate {
  const o = j as Json & StatusUpdate;
  return {
    ...o,
    observeTime: new Date(o.observeTime as unknown as string),
    estimatedDeparture: timeFrom(o.estimatedDeparture),
    actualDeparture: timeFrom(o.actualDeparture),
    estimatedArrival: timeFrom(o.estimatedArrival),
    actualArrival: timeFrom(o.actualArrival),
  };
}
