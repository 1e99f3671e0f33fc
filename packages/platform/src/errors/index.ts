// Domain errors and their mapping to gRPC statuses (with google.rpc details) and RFC 9457 problems.
// Note: this module loads @grpc/grpc-js; entry files import it only after startTelemetry().
export * from './domain-errors';
export * from './grpc-status';
export * from './problem-details';
export * from './text-safety';
