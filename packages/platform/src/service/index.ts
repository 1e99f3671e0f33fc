// Building blocks a service's `service.ts` assembles (loaded after telemetry started: this pulls in grpc-js and pg).
export { migrateServiceDb, openServiceDb, type ServiceDbOptions } from './sql-store';
export { serveGrpc, type ServeGrpcOptions } from './grpc-service';
export { startService, type Closable, type StartServiceOptions } from './start-service';
export { openServiceEventBus, type ServiceEventBusOptions } from './event-bus';
export { serviceTokenVerifier, type ServiceTokenVerifierOptions } from './token-verifier';
export { once } from './once';
