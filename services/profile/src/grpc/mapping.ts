import { profile } from '@csm/contracts';
import type { CallContext } from '@csm/platform/grpc';
import { traceFields } from '@csm/platform/logging';
import type { LookupKey, RequestInfo } from '../app/profile-app';
import type { AuditRecord } from '../store/document';

/** proto <-> app mapping only: no rules here. */
export function requestInfo(ctx: CallContext): RequestInfo {
  const header = ctx.metadata.get('x-request-id')[0];
  return { principal: ctx.principal, requestId: traceFields().trace_id ?? (typeof header === 'string' ? header.slice(0, 64) : '') };
}

/** Field-mask paths in proto names (JSON clients may send lowerCamel). */
export function maskPaths(paths: readonly string[] | undefined): string[] {
  return (paths ?? []).flatMap((p) => p.split(',')).map((p) => p.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).filter((p) => p.length > 0);
}

export function lookupKeyOf(req: profile.LookupPassengerRequest): LookupKey | undefined {
  if (req.ffpNumber !== undefined) return { kind: 'ffp', value: req.ffpNumber };
  if (req.phone !== undefined) return { kind: 'phone', value: req.phone };
  if (req.email !== undefined) return { kind: 'email', value: req.email };
  if (req.document !== undefined) return { kind: 'document', type: req.document.type, number: req.document.number, issuingCountry: req.document.issuingCountry };
  return undefined;
}

export function auditEntryOf(r: AuditRecord): profile.AuditEntry {
  return profile.AuditEntry.fromPartial({
    id: r._id,
    time: new Date(r.time),
    actor: r.actor,
    action: r.action,
    fields: r.fields,
    purpose: r.purpose,
    requestId: r.requestId,
  });
}
