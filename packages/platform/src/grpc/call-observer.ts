import { ServerInterceptingCall, status as GrpcCode, type ServerInterceptingCallInterface } from '@grpc/grpc-js';

export interface CallOutcome {
  readonly code: GrpcCode;
  /** Status message (client-safe by construction; never a payload). */
  readonly details: string;
  readonly durationSeconds: number;
}

/**
 * Wraps a server call so `onEnd` fires exactly once with its final code: from the status the handler side sends,
 * or, when grpc-js ends the call itself (deadline timer, client cancel), from the cancellation.
 */
export function observeCall(call: ServerInterceptingCallInterface, onEnd: (outcome: CallOutcome) => void): ServerInterceptingCall {
  const started = process.hrtime.bigint();
  let ended = false;
  const end = (code: GrpcCode, details: string) => {
    if (ended) return;
    ended = true;
    onEnd({ code, details, durationSeconds: Number(process.hrtime.bigint() - started) / 1e9 });
  };
  return new ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onCancel: () => {
          const deadline = call.getDeadline();
          const expired = deadline !== Infinity && new Date(deadline).getTime() <= Date.now();
          end(expired ? GrpcCode.DEADLINE_EXCEEDED : GrpcCode.CANCELLED, expired ? 'Deadline exceeded' : 'Cancelled');
        },
      }),
    sendStatus: (status, next) => {
      end(status.code, status.details ?? '');
      next(status);
    },
  });
}
