import { status as GrpcCode, type ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from '../logging/logger';
import { observeCall } from './call-observer';
import { isInfrastructureMethod, methodInfo } from './method';

const WARN_CODES = new Set<GrpcCode>([
  GrpcCode.DEADLINE_EXCEEDED,
  GrpcCode.PERMISSION_DENIED,
  GrpcCode.RESOURCE_EXHAUSTED,
  GrpcCode.FAILED_PRECONDITION,
  GrpcCode.ABORTED,
  GrpcCode.OUT_OF_RANGE,
  GrpcCode.UNAVAILABLE,
]);
const ERROR_CODES = new Set<GrpcCode>([GrpcCode.UNKNOWN, GrpcCode.UNIMPLEMENTED, GrpcCode.INTERNAL, GrpcCode.DATA_LOSS]);

/** One access-log line per call: method, code, duration (never payloads or metadata values). */
export function loggingInterceptor(logger: Logger): ServerInterceptor {
  return (definition, call) => {
    const info = methodInfo(definition);
    return observeCall(call, ({ code, details, durationSeconds }) => {
      const level = ERROR_CODES.has(code) ? 'error' : WARN_CODES.has(code) ? 'warn' : isInfrastructureMethod(info.path) ? 'debug' : 'info';
      logger[level](
        {
          grpc: { service: info.service, method: info.method, type: info.type, code: GrpcCode[code] },
          durationMs: Math.round(durationSeconds * 1e5) / 100,
          ...(code === GrpcCode.OK ? {} : { statusMessage: details }),
        },
        'grpc call',
      );
    });
  };
}
