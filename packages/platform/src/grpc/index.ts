// gRPC server bootstrap, typed handler wrappers and clients with deadlines/retries.
// Loads @grpc/grpc-js: import it only after startTelemetry() (see docs/platform/grpc-and-observability.md).
export { createGrpcServer, type GrpcServer, type GrpcServerOptions, type ServiceRegistration } from './server';
export { serverStream, unary } from './handlers';
export type { CallContext } from './call-context';
export { principalOf } from './call-scope';
export { bearerToken, type VerifyToken } from './auth-interceptor';
export { HealthStatus } from './health';
export { checkGrpcHealth, type RemoteHealth } from './health-client';
export { addReflection } from './reflection';
export { methodInfo, type CallType, type MethodInfo } from './method';
export {
  callUnary,
  createGrpcClient,
  type ClientConstructor,
  type GrpcClientOptions,
  type RequestOf,
  type ResponseOf,
  type TokenProvider,
  type UnaryCallOptions,
  type UnaryMethodName,
} from './client';
