import { flightinfo, loyalty } from '@csm/contracts';
import { callUnary, createGrpcClient } from '@csm/platform/grpc';
import type { LoyaltyPort, ManifestPassenger, ManifestPort } from './ports';

export interface UpstreamOptions {
  readonly deadlineMs: number;
  /** This service's own token, for calls it makes on its own behalf (event consumers); undefined: it has none. */
  readonly serviceToken?: (() => Promise<string>) | undefined;
}

/** Loyalty over gRPC (`csm.loyalty.v1.LoyaltyService/Compensate`), forwarding the caller's authorization. */
export function grpcLoyalty(address: string, options: UpstreamOptions): LoyaltyPort & { close(): void } {
  const client = createGrpcClient(loyalty.LoyaltyServiceClient, address, {
    deadlineMs: options.deadlineMs,
    ...(options.serviceToken ? { tokenProvider: options.serviceToken } : {}),
  });
  return {
    async compensate(input, authorization) {
      // This service approved the grant within the agent's own level limit (the case is the record of who granted
      // it), so loyalty is asked as this service when it has an identity — loyalty's direct-compensation roles are
      // for staff crediting outside a case. Without one, the caller's own token is forwarded.
      const auth = options.serviceToken ? await options.serviceToken() : authorization;
      const res = await callUnary(
        client,
        'compensate',
        loyalty.CompensateRequest.fromPartial({ passengerId: input.passengerId, miles: input.miles, caseId: input.caseId, reason: input.reason, idempotencyKey: input.idempotencyKey }),
        auth !== undefined ? { authorization: auth } : {},
      );
      return { transactionId: res.entry?.id ?? '' };
    },
    close: () => client.close(),
  };
}

/** Flight-info's manifest over gRPC (`ListManifest`, all pages). */
export function grpcManifest(address: string, options: UpstreamOptions): ManifestPort & { close(): void } {
  const client = createGrpcClient(flightinfo.FlightInfoServiceClient, address, {
    deadlineMs: options.deadlineMs,
    ...(options.serviceToken ? { tokenProvider: options.serviceToken } : {}),
  });
  return {
    async passengers(flight) {
      const out: ManifestPassenger[] = [];
      let pageToken = '';
      for (let i = 0; i < 1000; i++) {
        const res = await callUnary(client, 'listManifest', flightinfo.ListManifestRequest.fromPartial({ flight, page: { pageSize: 500, pageToken } }));
        for (const e of res.entries) if (e.passengerId !== '') out.push({ passengerId: e.passengerId, bookingRef: e.bookingRef, ticketNumber: e.ticketNumber });
        pageToken = res.page?.nextPageToken ?? '';
        if (pageToken === '') break;
      }
      return out;
    },
    close: () => client.close(),
  };
}
