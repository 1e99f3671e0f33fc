import { profile } from '@csm/contracts';
import { unary } from '@csm/platform/grpc';
import type { ProfileApp } from '../app/profile-app';
import { auditEntryOf, lookupKeyOf, maskPaths, requestInfo } from './mapping';

/** The ProfileService gRPC implementation: maps requests to use cases and results back. */
export function profileHandlers(app: ProfileApp): profile.ProfileServiceServer {
  return {
    createPassenger: unary(async (req: profile.CreatePassengerRequest, ctx) => ({
      passenger: await app.create(requestInfo(ctx), req.passenger, req.idempotencyKey, ctx.metadata.get('x-channel')[0]?.toString() ?? ''),
    })),
    updatePassenger: unary(async (req: profile.UpdatePassengerRequest, ctx) => ({
      passenger: await app.update(requestInfo(ctx), req.passengerId, req.passenger, maskPaths(req.updateMask), req.expectedVersion),
    })),
    getPassenger: unary(async (req: profile.GetPassengerRequest, ctx) => ({ passenger: await app.get(requestInfo(ctx), req.passengerId, req.purpose) })),
    lookupPassenger: unary(async (req: profile.LookupPassengerRequest, ctx) => ({
      passenger: await app.lookup(requestInfo(ctx), lookupKeyOf(req), req.purpose),
    })),
    searchPassengersByName: unary(async (req: profile.SearchPassengersByNameRequest, ctx) => {
      const r = await app.search(requestInfo(ctx), req.namePrefix, req.page?.pageSize ?? 0, req.page?.pageToken ?? '');
      return { passengers: r.passengers, page: { nextPageToken: r.nextPageToken } };
    }),
    getClassification: unary(async (req: profile.GetClassificationRequest, ctx) => ({
      classification: await app.getClassification(requestInfo(ctx), req.passengerId),
    })),
    overrideClassification: unary(async (req: profile.OverrideClassificationRequest, ctx) => ({
      classification: await app.overrideClassification(requestInfo(ctx), {
        passengerId: req.passengerId,
        type: req.type,
        grade: req.grade,
        vipLevel: req.vipLevel,
        reason: req.reason,
        expireTime: req.expireTime,
        expectedVersion: req.expectedVersion,
      }),
    })),
    findDuplicates: unary(async (req: profile.FindDuplicatesRequest, ctx) => ({
      candidates: await app.findDuplicates(requestInfo(ctx), req.passengerId, req.maxResults),
    })),
    mergePassengers: unary(async (req: profile.MergePassengersRequest, ctx) => ({
      passenger: await app.merge(requestInfo(ctx), req.survivorId, req.duplicateIds, req.reason, req.expectedSurvivorVersion),
    })),
    listAuditEntries: unary(async (req: profile.ListAuditEntriesRequest, ctx) => {
      const r = await app.listAudit(
        requestInfo(ctx),
        req.passengerId,
        {
          ...(req.timeRange?.startTime ? { from: req.timeRange.startTime.toISOString() } : {}),
          ...(req.timeRange?.endTime ? { to: req.timeRange.endTime.toISOString() } : {}),
          actions: req.actions,
        },
        req.page?.pageSize ?? 0,
        req.page?.pageToken ?? '',
      );
      return { entries: r.entries.map(auditEntryOf), page: { nextPageToken: r.nextPageToken } };
    }),
    exportPassenger: unary(async (req: profile.ExportPassengerRequest, ctx) => {
      const r = await app.export(requestInfo(ctx), req.passengerId, req.requestReference);
      return { passenger: r.passenger, auditEntries: r.audit.map(auditEntryOf), exportTime: r.exportTime };
    }),
    erasePassenger: unary(async (req: profile.ErasePassengerRequest, ctx) => ({
      passengerId: req.passengerId,
      eraseTime: await app.erase(requestInfo(ctx), req.passengerId, req.reason, req.requestReference, req.expectedVersion),
    })),
    recordBehaviour: unary(async (req: profile.RecordBehaviourRequest, ctx) => ({
      dynamicData: await app.recordBehaviour(requestInfo(ctx), req.passengerId, req.observations, req.idempotencyKey),
    })),
  };
}
