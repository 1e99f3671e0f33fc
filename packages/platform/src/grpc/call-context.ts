import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { createLogger, type Logger } from '../logging/logger';
import { ANONYMOUS, type Principal } from '../security/principal';
import { scopeOf } from './call-scope';

/** What a handler gets besides its request. */
export interface CallContext {
  /** Full method path, `/csm.cases.v1.CasesService/OpenCase`. */
  readonly method: string;
  /** The verified caller; ANONYMOUS when no bearer token was sent. Authorize with hasRole/hasScope. */
  readonly principal: Principal;
  /** Request metadata (headers). */
  readonly metadata: Metadata;
  /** The caller's deadline, if it set one. Pass it on to downstream calls. */
  readonly deadline: Date | undefined;
  /** Milliseconds left before the deadline (Infinity without one, 0 once passed). */
  remainingMs(): number;
  /** Aborted when the caller cancels or the deadline passes: hand it to work that can stop early. */
  readonly signal: AbortSignal;
  /** The service logger, bound to this method; lines carry trace_id/span_id. */
  readonly logger: Logger;
  /** The caller's `authorization` header, to forward when calling another service on the caller's behalf. */
  readonly authorization: string | undefined;
  /** Error domain (service name) used for errors this call returns. */
  readonly domain: string;
}

let fallbackLogger: Logger | undefined;

export interface ActiveCallContext {
  readonly ctx: CallContext;
  /** Stops timers and listeners once the handler has settled. */
  dispose(): void;
}

/** Builds the context from what the kit's interceptors attached (or safe defaults outside a kit server). */
/** Any server call object (unary or streaming). */
export type ServerCall = Omit<ServerUnaryCall<unknown, unknown>, 'request'>;

export function createCallContext(call: ServerCall, method: string): ActiveCallContext {
  const scope = scopeOf(call);
  const rawDeadline = call.getDeadline();
  const deadline = rawDeadline === Infinity ? undefined : new Date(rawDeadline);
  const controller = new AbortController();
  const onCancelled = () => controller.abort(new Error('call cancelled'));
  call.on('cancelled', onCancelled);
  const timer =
    deadline === undefined
      ? undefined
      : setTimeout(() => controller.abort(new Error('deadline exceeded')), Math.max(0, deadline.getTime() - Date.now()));
  timer?.unref();
  const baseLogger = scope?.logger ?? (fallbackLogger ??= createLogger({ service: 'grpc' }));
  const authorization = call.metadata.get('authorization')[0];
  let logger: Logger | undefined;
  const ctx: CallContext = {
    method,
    principal: scope?.principal ?? ANONYMOUS,
    metadata: call.metadata,
    deadline,
    remainingMs: () => (deadline === undefined ? Infinity : Math.max(0, deadline.getTime() - Date.now())),
    signal: controller.signal,
    // Lazy: a pino child costs ~20 µs, and most calls never log (the interceptor logs with its own).
    get logger() {
      return (logger ??= baseLogger.child({ method }));
    },
    authorization: typeof authorization === 'string' ? authorization : undefined,
    domain: scope?.domain ?? '',
  };
  return {
    ctx,
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      call.removeListener('cancelled', onCancelled);
    },
  };
}
