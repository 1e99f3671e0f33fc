import { analytics, cases, flightinfo, loyalty, profile } from '@csm/contracts';
import { createGrpcClient, type GrpcClientOptions } from '@csm/platform/grpc';

/** The gRPC clients the gateway calls; one channel per backend service, shared by every request. */
export interface Backends {
  readonly profile: profile.ProfileServiceClient;
  readonly cases: cases.CaseServiceClient;
  readonly loyalty: loyalty.LoyaltyServiceClient;
  readonly partners: loyalty.PartnerServiceClient;
  readonly flights: flightinfo.FlightInfoServiceClient;
  readonly cargo: flightinfo.CargoServiceClient;
  readonly analytics: analytics.AnalyticsServiceClient;
  close(): void;
}

export interface BackendAddresses {
  readonly profile: string;
  readonly cases: string;
  readonly loyalty: string;
  readonly 'flight-info': string;
  readonly analytics: string;
}

/**
 * Clients with the kit's policy (default deadline, retry of UNAVAILABLE only). No token provider: every call carries
 * the end user's own bearer token, so each service re-checks the caller's rights itself.
 */
export function createBackends(addresses: BackendAddresses, options: GrpcClientOptions = {}): Backends {
  const clients = {
    profile: createGrpcClient(profile.ProfileServiceClient, addresses.profile, options),
    cases: createGrpcClient(cases.CaseServiceClient, addresses.cases, options),
    loyalty: createGrpcClient(loyalty.LoyaltyServiceClient, addresses.loyalty, options),
    partners: createGrpcClient(loyalty.PartnerServiceClient, addresses.loyalty, options),
    flights: createGrpcClient(flightinfo.FlightInfoServiceClient, addresses['flight-info'], options),
    cargo: createGrpcClient(flightinfo.CargoServiceClient, addresses['flight-info'], options),
    analytics: createGrpcClient(analytics.AnalyticsServiceClient, addresses.analytics, options),
  };
  return {
    ...clients,
    close: () => Object.values(clients).forEach((c) => c.close()),
  };
}
