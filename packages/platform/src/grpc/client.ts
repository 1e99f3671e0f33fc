import {
  credentials as channelCredentials,
  InterceptingCall,
  Metadata,
  status as GrpcCode,
  type CallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ClientOptions,
  type ClientUnaryCall,
  type Interceptor,
  type ServiceError,
} from '@grpc/grpc-js';
import { DomainError } from '../errors/domain-errors';
import { fromGrpcError } from '../errors/grpc-status';

/** Returns the token to send as `authorization: Bearer …` (e.g. this service's own token); undefined sends none. */
export type TokenProvider = () => string | undefined | Promise<string | undefined>;

export interface GrpcClientOptions {
  /** Deadline applied to every call that does not set one; default 5000 ms. */
  readonly deadlineMs?: number;
  /** Extra attempts after an UNAVAILABLE status (never for any other code); default 2. */
  readonly retries?: number;
  /** Exponential backoff between attempts (grpc-js applies ±20 % jitter); defaults 100 ms → ×2 → max 2 s. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number; readonly multiplier?: number };
  /** Used when a call carries no `authorization` metadata of its own. */
  readonly tokenProvider?: TokenProvider;
  /** Default: insecure (in-cluster plaintext / mesh mTLS). */
  readonly credentials?: ChannelCredentials;
  readonly channelOptions?: ChannelOptions;
}

/** The constructor ts-proto generates for `XServiceClient`. */
export type ClientConstructor<C extends Client> = new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>) => C;

/**
 * A ts-proto client with the kit's policy: a default deadline per call, bounded retries of UNAVAILABLE only
 * (grpc-js's built-in retry: exponential backoff with jitter, the overall deadline still applies), and a bearer
 * token from `tokenProvider`. Trace context is propagated by the OpenTelemetry gRPC instrumentation.
 */
export function createGrpcClient<C extends Client>(Ctor: ClientConstructor<C>, address: string, options: GrpcClientOptions = {}): C {
  const retries = Math.max(0, Math.floor(options.retries ?? 2));
  const serviceConfig =
    retries === 0
      ? undefined
      : {
          methodConfig: [
            {
              name: [{}], // every method
              retryPolicy: {
                maxAttempts: retries + 1,
                initialBackoff: seconds(options.backoff?.initialMs ?? 100),
                maxBackoff: seconds(options.backoff?.maxMs ?? 2_000),
                backoffMultiplier: options.backoff?.multiplier ?? 2,
                retryableStatusCodes: ['UNAVAILABLE'],
              },
            },
          ],
        };
  return new Ctor(address, options.credentials ?? channelCredentials.createInsecure(), {
    ...options.channelOptions,
    ...(serviceConfig === undefined
      ? { 'grpc.enable_retries': 0 }
      : { 'grpc.service_config': JSON.stringify(serviceConfig), 'grpc-node.retry_max_attempts_limit': Math.max(5, retries + 1) }),
    interceptors: [clientPolicyInterceptor(options.deadlineMs ?? 5_000, options.tokenProvider)],
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

function clientPolicyInterceptor(deadlineMs: number, tokenProvider: TokenProvider | undefined): Interceptor {
  return (callOptions, nextCall) => {
    const withDeadline = callOptions.deadline === undefined ? { ...callOptions, deadline: Date.now() + deadlineMs } : callOptions;
    const intercepted: InterceptingCall = new InterceptingCall(nextCall(withDeadline), {
      start: (metadata, listener, next) => {
        if (tokenProvider === undefined || metadata.get('authorization').length > 0) {
          next(metadata, listener);
          return;
        }
        Promise.resolve()
          .then(tokenProvider)
          .then(
            (token) => {
              if (token) metadata.set('authorization', `Bearer ${token}`);
              next(metadata, listener);
            },
            (err: unknown) => {
              // Start, then cancel at once: the caller gets this status and the channel's timers are released. A
              // provider that says its identity provider is unavailable makes the call UNAVAILABLE (retryable), not
              // UNAUTHENTICATED.
              next(metadata, listener);
              const unavailable = err instanceof DomainError && err.grpcCode === GrpcCode.UNAVAILABLE;
              intercepted.cancelWithStatus(
                unavailable ? GrpcCode.UNAVAILABLE : GrpcCode.UNAUTHENTICATED,
                unavailable ? 'the access token for the call is unavailable for now' : 'could not obtain an access token for the call',
              );
            },
          );
      },
    });
    return intercepted;
  };
}

type UnaryCallback<Res> = (error: ServiceError | null, response: Res) => void;

/** The 4-argument callback overload ts-proto generates for a unary method (the last one, which `infer` sees). */
type UnarySignature<M> = M extends (request: infer Req, metadata: Metadata, options: Partial<CallOptions>, callback: infer Cb) => infer Call
  ? Call extends ClientUnaryCall
    ? Cb extends (error: ServiceError | null, response: infer Res) => void
      ? { request: Req; response: Res }
      : never
    : never
  : never;

/** Names of the unary methods of a ts-proto client. */
export type UnaryMethodName<C> = { [K in keyof C]: [UnarySignature<C[K]>] extends [never] ? never : K }[keyof C] & string;
export type RequestOf<M> = UnarySignature<M>['request'];
export type ResponseOf<M> = UnarySignature<M>['response'];

export interface UnaryCallOptions {
  readonly metadata?: Metadata;
  /** Overrides the client's default deadline; pass `ctx.deadline` to propagate the caller's. */
  readonly deadline?: Date | number;
  /** `authorization` to send (a raw token gets the `Bearer ` prefix); e.g. `ctx.authorization` to act for the caller. */
  readonly authorization?: string;
  /** Cancels the call when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * Promise form of a unary call: `await callUnary(client, 'getProfile', request, { deadline: ctx.deadline })`.
 * Rejects with the DomainError decoded from the status (fromGrpcError), the grpc-js error as its `cause`.
 */
export function callUnary<C extends Client, K extends UnaryMethodName<C>>(
  client: C,
  method: K,
  request: RequestOf<C[K]>,
  options: UnaryCallOptions = {},
): Promise<ResponseOf<C[K]>> {
  const metadata = options.metadata?.clone() ?? new Metadata();
  if (options.authorization !== undefined) {
    metadata.set('authorization', /^bearer\s/i.test(options.authorization) ? options.authorization : `Bearer ${options.authorization}`);
  }
  const callOptions: Partial<CallOptions> = options.deadline === undefined ? {} : { deadline: options.deadline };
  const fn = client[method] as unknown as (
    request: RequestOf<C[K]>,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: UnaryCallback<ResponseOf<C[K]>>,
  ) => ClientUnaryCall;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(fromGrpcError({ code: GrpcCode.CANCELLED, details: 'cancelled before start', metadata: new Metadata() }));
      return;
    }
    const call = fn.call(client, request, metadata, callOptions, (err, response) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (err) reject(fromGrpcError(err));
      else resolve(response);
    });
    const onAbort = () => call.cancel();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
