// @csm/embedded: the whole platform in one Node process (what `npm start` runs) and its demo data set.
// Require it only after starting telemetry: it loads the services (grpc-js, pg, express).
export { startEmbeddedPlatform, type EmbeddedPlatform, type EmbeddedPlatformOptions } from './platform';
export { DEMO_ROLES, TOKENS_FILE, demoTokenRequests, type DemoRole, type DemoTokens } from './demo-tokens';
export { FIXED_GRPC_PORTS, FIXED_HTTP_PORT, grpcPortVar, demoDataEnabled, type PortMode } from './environment';
export { BACKENDS, type BackendName } from './service-loader';
export { MARKER_FILE, PARTNER_SECRETS_FILE, readMarker, type DemoManifest, type DemoCase, type DemoMember, type DemoPartner, type DemoPassenger } from './demo/manifest';
export { seedDemoData, type SeedOptions } from './demo/seed';
export { openDevIssuer, DEV_ISSUER, DEV_AUDIENCE } from './dev-issuer';
