import { Metadata, status as GrpcCode, type StatusObject } from '@grpc/grpc-js';
// Deep imports: only google.rpc (+ Any/Duration) is loaded, not every domain's generated code.
import type { Any } from '@csm/contracts/gen/google/protobuf/any';
import * as rpc from '@csm/contracts/gen/index.google.rpc';
import {
  AlreadyExistsError,
  CancelledError,
  ConflictError,
  DeadlineExceededError,
  DomainError,
  FailedPreconditionError,
  IllegalStateTransitionError,
  InternalError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  UnimplementedError,
  ValidationError,
  VersionConflictError,
  type FieldViolation,
} from './domain-errors';

/** The trailer that carries a binary google.rpc.Status (the "richer error model"). */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
/** What a caller sees for INTERNAL/unknown failures: the real cause is logged, never sent. */
export const GENERIC_INTERNAL_MESSAGE = 'internal error';

const TYPE_PREFIX = 'type.googleapis.com/';
const ERROR_INFO = 'google.rpc.ErrorInfo';
const BAD_REQUEST = 'google.rpc.BadRequest';
const RETRY_INFO = 'google.rpc.RetryInfo';

export interface ToGrpcStatusOptions {
  /** ErrorInfo.domain used when the error carries none (the gRPC server passes its service name). */
  readonly domain?: string;
}

/**
 * Maps any thrown value to the status a handler should send. Domain errors keep their code and message and gain a
 * `grpc-status-details-bin` trailer (google.rpc.Status with ErrorInfo, BadRequest, RetryInfo as applicable); anything
 * else becomes INTERNAL with a generic message, so internals never leak (callers log the original).
 */
export function toGrpcStatus(err: unknown, options: ToGrpcStatusOptions = {}): StatusObject {
  const domainError = isServiceErrorLike(err) && !(err instanceof DomainError) ? fromGrpcError(err) : err;
  if (!(domainError instanceof DomainError) || domainError.grpcCode === GrpcCode.INTERNAL) {
    return statusWithDetails(GrpcCode.INTERNAL, GENERIC_INTERNAL_MESSAGE, [
      anyOf(ERROR_INFO, rpc.ErrorInfo.encode({ reason: 'INTERNAL', domain: options.domain ?? '', metadata: {} }).finish()),
    ]);
  }
  const details: Any[] = [
    anyOf(
      ERROR_INFO,
      rpc.ErrorInfo.encode({
        reason: domainError.reason,
        domain: domainError.domain ?? options.domain ?? '',
        metadata: { ...domainError.metadata },
      }).finish(),
    ),
  ];
  if (domainError.violations.length > 0) {
    details.push(
      anyOf(
        BAD_REQUEST,
        rpc.BadRequest.encode({
          fieldViolations: domainError.violations.map((v) => ({ field: v.field, description: v.description, reason: v.rule ?? '' })),
        }).finish(),
      ),
    );
  }
  const retryAfterMs = retryAfterOf(domainError);
  if (retryAfterMs !== undefined) {
    details.push(
      anyOf(
        RETRY_INFO,
        rpc.RetryInfo.encode({
          retryDelay: { seconds: Math.floor(retryAfterMs / 1000), nanos: (retryAfterMs % 1000) * 1_000_000 },
        }).finish(),
      ),
    );
  }
  return statusWithDetails(domainError.grpcCode, domainError.message, details);
}

function statusWithDetails(code: GrpcCode, message: string, details: Any[]): StatusObject {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(rpc.Status.encode({ code, message, details }).finish()));
  return { code, details: message, metadata };
}

function anyOf(typeName: string, value: Uint8Array): Any {
  return { typeUrl: TYPE_PREFIX + typeName, value: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
}

function retryAfterOf(err: DomainError): number | undefined {
  if (err instanceof ResourceExhaustedError || err instanceof UnavailableError) return err.retryAfterMs;
  return undefined;
}

/** The shape of a grpc-js client error (ServiceError) or a received status. */
export interface ServiceErrorLike {
  readonly code: number;
  readonly details?: string;
  readonly message?: string;
  readonly metadata?: Metadata;
}

export function isServiceErrorLike(err: unknown): err is ServiceErrorLike {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'number' &&
    (err as { metadata?: unknown }).metadata instanceof Metadata
  );
}

interface DecodedDetails {
  message: string | undefined;
  info: rpc.ErrorInfo | undefined;
  violations: FieldViolation[];
  retryAfterMs: number | undefined;
}

function decodeDetails(metadata: Metadata | undefined): DecodedDetails {
  const decoded: DecodedDetails = { message: undefined, info: undefined, violations: [], retryAfterMs: undefined };
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) return decoded;
  let statusMessage: rpc.Status;
  try {
    statusMessage = rpc.Status.decode(raw);
  } catch {
    return decoded; // undecodable details: fall back to code + text, which is all a plain gRPC peer sends anyway
  }
  decoded.message = statusMessage.message;
  for (const any of statusMessage.details) {
    const typeName = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
    if (typeName === ERROR_INFO) decoded.info = rpc.ErrorInfo.decode(any.value);
    else if (typeName === BAD_REQUEST) {
      decoded.violations = rpc.BadRequest.decode(any.value).fieldViolations.map((v) => ({
        field: v.field,
        description: v.description,
        ...(v.reason ? { rule: v.reason } : {}),
      }));
    } else if (typeName === RETRY_INFO) {
      const delay = rpc.RetryInfo.decode(any.value).retryDelay;
      if (delay) decoded.retryAfterMs = delay.seconds * 1000 + Math.round(delay.nanos / 1_000_000);
    }
  }
  return decoded;
}

/**
 * Client side: turns a grpc-js error (code + details + `grpc-status-details-bin`) back into the matching DomainError,
 * so a service or the gateway can handle or re-map it. The original error is kept as `cause`. Values that are
 * already DomainErrors are returned as they are; anything else becomes InternalError.
 */
export function fromGrpcError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (!isServiceErrorLike(err)) return new InternalError(GENERIC_INTERNAL_MESSAGE, { cause: err });
  const d = decodeDetails(err.metadata);
  const message = d.message ?? err.details ?? err.message ?? 'error';
  const meta = d.info?.metadata ?? {};
  const options = {
    cause: err,
    metadata: meta,
    ...(d.info?.reason ? { reason: d.info.reason } : {}),
    ...(d.info?.domain ? { domain: d.info.domain } : {}),
  };
  switch (err.code) {
    case GrpcCode.INVALID_ARGUMENT:
    case GrpcCode.OUT_OF_RANGE:
      return new ValidationError(d.violations, message, options);
    case GrpcCode.NOT_FOUND:
      return new NotFoundError(meta.resourceType ?? 'resource', meta.resourceName ?? '', message, options);
    case GrpcCode.ALREADY_EXISTS:
      return new AlreadyExistsError(meta.resourceType ?? 'resource', meta.resourceName ?? '', message, options);
    case GrpcCode.ABORTED:
      if (d.info?.reason === 'VERSION_CONFLICT' && meta.expectedVersion !== undefined) {
        return new VersionConflictError(meta.resourceType ?? 'resource', meta.resourceName ?? '', meta.expectedVersion, meta.actualVersion, options);
      }
      return new ConflictError(message, options);
    case GrpcCode.FAILED_PRECONDITION:
      if (d.info?.reason === 'ILLEGAL_STATE_TRANSITION' && meta.from !== undefined && meta.to !== undefined) {
        const allowed = meta.allowed ? meta.allowed.split(',') : [];
        return new IllegalStateTransitionError(meta.entity ?? 'resource', meta.from, meta.to, allowed, options);
      }
      return new FailedPreconditionError(message, options);
    case GrpcCode.PERMISSION_DENIED:
      return new PermissionDeniedError(message, options);
    case GrpcCode.UNAUTHENTICATED:
      return new UnauthenticatedError(message, options);
    case GrpcCode.RESOURCE_EXHAUSTED:
      return new ResourceExhaustedError(message, { ...options, ...(d.retryAfterMs === undefined ? {} : { retryAfterMs: d.retryAfterMs }) });
    case GrpcCode.UNAVAILABLE:
      return new UnavailableError(message, { ...options, ...(d.retryAfterMs === undefined ? {} : { retryAfterMs: d.retryAfterMs }) });
    case GrpcCode.DEADLINE_EXCEEDED:
      return new DeadlineExceededError(message, options);
    case GrpcCode.UNIMPLEMENTED:
      return new UnimplementedError(message, options);
    case GrpcCode.CANCELLED:
      return new CancelledError(message, options);
    default:
      // INTERNAL, UNKNOWN, DATA_LOSS: keep the remote text for our logs; toGrpcStatus never forwards it.
      return new InternalError(message, options);
  }
}
