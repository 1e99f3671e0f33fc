import { ServerInterceptingCall, status as GrpcCode, type ServerInterceptor } from '@grpc/grpc-js';
import { toGrpcStatus } from '../errors/grpc-status';
import type { Logger } from '../logging/logger';

/**
 * Safety net for handlers not written with `unary()`/`serverStream()`: grpc-js turns an arbitrary thrown error into
 * UNKNOWN with the error's message as status text, which would leak internals. Such statuses become INTERNAL with a
 * generic message; the original text is logged.
 */
export function errorInterceptor(logger: Logger, domain: string): ServerInterceptor {
  return (definition, call) =>
    new ServerInterceptingCall(call, {
      sendStatus: (status, next) => {
        if (status.code !== GrpcCode.UNKNOWN) {
          next(status);
          return;
        }
        logger.error({ method: definition.path, statusMessage: status.details }, 'unhandled error in grpc handler');
        next(toGrpcStatus(new Error(status.details), { domain }));
      },
    });
}
