import { ServerInterceptingCall, status as GrpcCode, type ServerInterceptor } from '@grpc/grpc-js';

/** Refuses calls whose deadline has already passed on arrival, before any handler work is done. */
export function deadlineInterceptor(): ServerInterceptor {
  return (_definition, call) => {
    const intercepted: ServerInterceptingCall = new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const deadline = call.getDeadline();
            if (deadline !== Infinity && new Date(deadline).getTime() <= Date.now()) {
              intercepted.sendStatus({ code: GrpcCode.DEADLINE_EXCEEDED, details: 'deadline already expired on arrival' });
              return;
            }
            nextMetadata(metadata);
          },
        }),
    });
    return intercepted;
  };
}
