// Public surface of @csm/contracts. Generated code is exposed as one namespace per proto package, so equal names in
// different domains never clash (cases.Channel vs ...): import { cases, profile } from '@csm/contracts'.
// Deep imports also work: '@csm/contracts/gen/csm/cases/v1/case_service'.

/** google.protobuf (well-known types used by the contracts) and google.rpc. */
export * as google from './gen/index.google';
/** google.rpc: Status, Code, ErrorInfo, BadRequest, PreconditionFailure, ResourceInfo, RetryInfo, ... */
export * as rpc from './gen/index.google.rpc';
/** csm.common.v1: Money, PageRequest/PageResponse, FlightRef, LocalDateTime, TimeRange, Actor, AuditMetadata... */
export * as common from './gen/index.csm.common.v1';
/** csm.profile.v1: ProfileService and passenger types and events. */
export * as profile from './gen/index.csm.profile.v1';
/** csm.cases.v1: CaseService, case types and events. */
export * as cases from './gen/index.csm.cases.v1';
/** csm.loyalty.v1: LoyaltyService, PartnerService, ledger types and events. */
export * as loyalty from './gen/index.csm.loyalty.v1';
/** csm.flightinfo.v1: FlightInfoService, CargoService, flight/cargo types and events. */
export * as flightinfo from './gen/index.csm.flightinfo.v1';
/** csm.analytics.v1: AnalyticsService, KPI/alert types and events. */
export * as analytics from './gen/index.csm.analytics.v1';

export * from './events';
export { descriptorSetPath } from './descriptor';
