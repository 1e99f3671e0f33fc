import { status as GrpcCode } from '@grpc/grpc-js';
import { DomainError } from './domain-errors';
import { fromGrpcError, GENERIC_INTERNAL_MESSAGE, isServiceErrorLike } from './grpc-status';

/** RFC 9457 problem object as the gateway sends it (`application/problem+json`). */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  /** Field-level violations (empty unless the request was invalid). */
  readonly errors: readonly ProblemFieldError[];
  /** Extension member: the machine-readable cause (google.rpc.ErrorInfo.reason). */
  readonly reason: string;
}

export interface ProblemFieldError {
  readonly field: string;
  readonly message: string;
  readonly rule?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const DEFAULT_PROBLEM_TYPE_BASE = 'urn:csm:problem:';

/** gRPC code → HTTP status. FAILED_PRECONDITION is 409: the resource's state, not the request, is the problem. */
const HTTP_STATUS: Readonly<Record<number, number>> = {
  [GrpcCode.OK]: 200,
  [GrpcCode.CANCELLED]: 499,
  [GrpcCode.UNKNOWN]: 500,
  [GrpcCode.INVALID_ARGUMENT]: 400,
  [GrpcCode.DEADLINE_EXCEEDED]: 504,
  [GrpcCode.NOT_FOUND]: 404,
  [GrpcCode.ALREADY_EXISTS]: 409,
  [GrpcCode.PERMISSION_DENIED]: 403,
  [GrpcCode.RESOURCE_EXHAUSTED]: 429,
  [GrpcCode.FAILED_PRECONDITION]: 409,
  [GrpcCode.ABORTED]: 409,
  [GrpcCode.OUT_OF_RANGE]: 400,
  [GrpcCode.UNIMPLEMENTED]: 501,
  [GrpcCode.INTERNAL]: 500,
  [GrpcCode.UNAVAILABLE]: 503,
  [GrpcCode.DATA_LOSS]: 500,
  [GrpcCode.UNAUTHENTICATED]: 401,
};

const TITLES: Readonly<Record<number, string>> = {
  [GrpcCode.CANCELLED]: 'Request cancelled',
  [GrpcCode.INVALID_ARGUMENT]: 'Invalid request',
  [GrpcCode.OUT_OF_RANGE]: 'Invalid request',
  [GrpcCode.DEADLINE_EXCEEDED]: 'Request timed out',
  [GrpcCode.NOT_FOUND]: 'Resource not found',
  [GrpcCode.ALREADY_EXISTS]: 'Resource already exists',
  [GrpcCode.PERMISSION_DENIED]: 'Permission denied',
  [GrpcCode.RESOURCE_EXHAUSTED]: 'Too many requests',
  [GrpcCode.FAILED_PRECONDITION]: 'Operation not allowed in the current state',
  [GrpcCode.ABORTED]: 'Concurrent modification',
  [GrpcCode.UNIMPLEMENTED]: 'Not implemented',
  [GrpcCode.UNAVAILABLE]: 'Service unavailable',
  [GrpcCode.UNAUTHENTICATED]: 'Authentication required',
};

export function httpStatusForGrpcCode(code: number): number {
  return HTTP_STATUS[code] ?? 500;
}

export interface ProblemDetailsOptions {
  /** Prefix of the `type` URI; the kebab-cased reason is appended. */
  readonly typeBase?: string;
}

/**
 * Maps a DomainError (or a grpc-js client error, decoded first) to an RFC 9457 problem. Unknown errors and
 * INTERNAL become a generic 500 without the original message.
 */
export function toProblemDetails(err: unknown, instance?: string, options: ProblemDetailsOptions = {}): ProblemDetails {
  const typeBase = options.typeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
  const domainError = err instanceof DomainError ? err : isServiceErrorLike(err) ? fromGrpcError(err) : undefined;
  const base = instance === undefined ? {} : { instance };
  if (domainError === undefined || domainError.grpcCode === GrpcCode.INTERNAL) {
    return {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: `${GENERIC_INTERNAL_MESSAGE}`,
      ...base,
      errors: [],
      reason: 'INTERNAL',
    };
  }
  return {
    type: typeBase + domainError.reason.toLowerCase().replace(/_/g, '-'),
    title: TITLES[domainError.grpcCode] ?? 'Error',
    status: httpStatusForGrpcCode(domainError.grpcCode),
    detail: domainError.message,
    ...base,
    errors: domainError.violations.map((v) => ({ field: v.field, message: v.description, ...(v.rule ? { rule: v.rule } : {}) })),
    reason: domainError.reason,
  };
}
