import {
  status as GrpcCode,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type ServerWritableStream,
  type StatusObject,
} from '@grpc/grpc-js';
import { isDomainError } from '../errors/domain-errors';
import { toGrpcStatus } from '../errors/grpc-status';
import { rejectNulCharacters } from '../errors/text-safety';
import { createCallContext, type CallContext } from './call-context';

/**
 * Adapts a plain async function to grpc-js's unary handler (the type ts-proto's `XServer` interfaces use):
 *   const impl: CasesServiceServer = { openCase: unary(async (req, ctx) => { ...; return response; }) };
 * A DomainError becomes its status with details; anything else is logged and becomes INTERNAL. A request with a NUL
 * character in any string is INVALID_ARGUMENT naming the field before the handler runs (no store can keep it).
 */
export function unary<Req, Res>(handler: (request: Req, ctx: CallContext) => Promise<Res>): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const { ctx, dispose } = createCallContext(call, call.getPath());
    void (async () => {
      rejectNulCharacters(call.request);
      return handler(call.request, ctx);
    })()
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback(statusFor(err, ctx)),
      )
      .finally(dispose);
  };
}

/**
 * Server-streaming counterpart: `send` resolves when the message is buffered (waits for drain under back-pressure);
 * the stream ends when the handler resolves, or with the mapped error status when it throws.
 */
export function serverStream<Req, Res>(
  handler: (request: Req, send: (message: Res) => Promise<void>, ctx: CallContext) => Promise<void>,
): handleServerStreamingCall<Req, Res> {
  return (call: ServerWritableStream<Req, Res>) => {
    const { ctx, dispose } = createCallContext(call, call.getPath());
    const send = (message: Res): Promise<void> => {
      if (ctx.signal.aborted) return Promise.reject(ctx.signal.reason);
      return call.write(message) ? Promise.resolve() : new Promise((resolve) => call.once('drain', () => resolve()));
    };
    void (async () => {
      rejectNulCharacters(call.request);
      return handler(call.request, send, ctx);
    })()
      .then(
        () => call.end(),
        (err: unknown) => {
          const status = statusFor(err, ctx);
          // grpc-js sends an 'error' event's code/details/metadata as the call's status.
          call.emit('error', Object.assign(new Error(status.details), status));
        },
      )
      .finally(dispose);
  };
}

function statusFor(err: unknown, ctx: CallContext): StatusObject {
  if (!isDomainError(err) || err.grpcCode === GrpcCode.INTERNAL) {
    ctx.logger.error({ err }, 'handler failed');
  }
  return toGrpcStatus(err, { domain: ctx.domain });
}
