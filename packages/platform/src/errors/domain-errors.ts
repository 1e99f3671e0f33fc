import { status as GrpcCode } from '@grpc/grpc-js';

/**
 * Domain errors: what use cases and handlers throw. Each maps to one gRPC status code (and through it to one HTTP
 * status at the gateway). Their `message` is shown to callers, so it must never contain secrets or personal data.
 */

/** One bad input field: `field` is a path like `contact.email`, `rule` a short machine name like `REQUIRED`. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
  readonly rule?: string;
}

export interface DomainErrorOptions {
  /** UPPER_SNAKE_CASE cause, carried as google.rpc.ErrorInfo.reason. Defaults per class. */
  readonly reason?: string;
  /** Error domain (ErrorInfo.domain), e.g. the service name; the gRPC server fills it in when unset. */
  readonly domain?: string;
  /** Extra machine-readable facts (ErrorInfo.metadata). Never personal data. */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly grpcCode: GrpcCode;
  readonly reason: string;
  readonly domain: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;

  protected constructor(message: string, defaultReason: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.reason = options.reason ?? defaultReason;
    this.domain = options.domain;
    this.metadata = Object.freeze({ ...(options.metadata ?? {}) });
  }

  /** Field violations (only ValidationError has any). */
  get violations(): readonly FieldViolation[] {
    return [];
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}

/** INVALID_ARGUMENT: the request itself is wrong; names each field and rule. */
export class ValidationError extends DomainError {
  readonly grpcCode = GrpcCode.INVALID_ARGUMENT;
  private readonly fieldViolations: readonly FieldViolation[];

  constructor(violations: FieldViolation | readonly FieldViolation[], message?: string, options?: DomainErrorOptions) {
    const list = Array.isArray(violations) ? [...(violations as readonly FieldViolation[])] : [violations as FieldViolation];
    super(message ?? describeViolations(list), 'VALIDATION_FAILED', options);
    this.fieldViolations = Object.freeze(list.map((v) => Object.freeze({ ...v })));
  }

  override get violations(): readonly FieldViolation[] {
    return this.fieldViolations;
  }
}

function describeViolations(list: readonly FieldViolation[]): string {
  if (list.length === 0) return 'invalid request';
  return `invalid request: ${list.map((v) => `${v.field}: ${v.description}${v.rule ? ` (${v.rule})` : ''}`).join('; ')}`;
}

/** NOT_FOUND: the named resource does not exist (or the caller may not know it does). */
export class NotFoundError extends DomainError {
  readonly grpcCode = GrpcCode.NOT_FOUND;
  constructor(
    readonly resourceType: string,
    readonly resourceName: string,
    message?: string,
    options?: DomainErrorOptions,
  ) {
    super(message ?? `${resourceType} ${resourceName} not found`, 'NOT_FOUND', withResource(options, resourceType, resourceName));
  }
}

/** ALREADY_EXISTS: a create collided with an existing resource (e.g. a duplicate idempotency key). */
export class AlreadyExistsError extends DomainError {
  readonly grpcCode = GrpcCode.ALREADY_EXISTS;
  constructor(
    readonly resourceType: string,
    readonly resourceName: string,
    message?: string,
    options?: DomainErrorOptions,
  ) {
    super(message ?? `${resourceType} ${resourceName} already exists`, 'ALREADY_EXISTS', withResource(options, resourceType, resourceName));
  }
}

function withResource(options: DomainErrorOptions | undefined, resourceType: string, resourceName: string): DomainErrorOptions {
  return { ...options, metadata: { resourceType, resourceName, ...(options?.metadata ?? {}) } };
}

/** ABORTED: a concurrent change won; the caller may re-read and retry the whole read-modify-write. */
export class ConflictError extends DomainError {
  readonly grpcCode: GrpcCode = GrpcCode.ABORTED;
  constructor(message: string, options?: DomainErrorOptions) {
    super(message, 'CONFLICT', options);
  }
}

/** ABORTED with reason VERSION_CONFLICT: optimistic-concurrency check failed. */
export class VersionConflictError extends ConflictError {
  constructor(
    readonly resourceType: string,
    readonly resourceName: string,
    readonly expectedVersion: string,
    readonly actualVersion?: string,
    options?: DomainErrorOptions,
  ) {
    super(
      `${resourceType} ${resourceName} was modified concurrently (expected version ${expectedVersion}${
        actualVersion === undefined ? '' : `, found ${actualVersion}`
      })`,
      {
        reason: 'VERSION_CONFLICT',
        ...options,
        metadata: {
          resourceType,
          resourceName,
          expectedVersion,
          ...(actualVersion === undefined ? {} : { actualVersion }),
          ...(options?.metadata ?? {}),
        },
      },
    );
  }
}

/** FAILED_PRECONDITION: the system is not in a state where this operation is allowed. */
export class FailedPreconditionError extends DomainError {
  readonly grpcCode = GrpcCode.FAILED_PRECONDITION;
  constructor(message: string, options?: DomainErrorOptions) {
    super(message, 'FAILED_PRECONDITION', options);
  }
}

/** FAILED_PRECONDITION with reason ILLEGAL_STATE_TRANSITION, naming the transitions that are allowed. */
export class IllegalStateTransitionError extends FailedPreconditionError {
  constructor(
    readonly entity: string,
    readonly from: string,
    readonly to: string,
    readonly allowed: readonly string[],
    options?: DomainErrorOptions,
  ) {
    super(
      `${entity} cannot move from ${from} to ${to}; allowed from ${from}: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
      {
        reason: 'ILLEGAL_STATE_TRANSITION',
        ...options,
        metadata: { entity, from, to, allowed: allowed.join(','), ...(options?.metadata ?? {}) },
      },
    );
  }
}

/** PERMISSION_DENIED: the caller is known but may not do this. */
export class PermissionDeniedError extends DomainError {
  readonly grpcCode = GrpcCode.PERMISSION_DENIED;
  constructor(message = 'permission denied', options?: DomainErrorOptions) {
    super(message, 'PERMISSION_DENIED', options);
  }
}

/** UNAUTHENTICATED: no valid credentials. */
export class UnauthenticatedError extends DomainError {
  readonly grpcCode = GrpcCode.UNAUTHENTICATED;
  constructor(message = 'authentication required', options?: DomainErrorOptions) {
    super(message, 'UNAUTHENTICATED', options);
  }
}

export interface RetryableErrorOptions extends DomainErrorOptions {
  /** Carried as google.rpc.RetryInfo; the gateway turns it into `Retry-After`. */
  readonly retryAfterMs?: number;
}

/** RESOURCE_EXHAUSTED: a quota or rate limit was hit. */
export class ResourceExhaustedError extends DomainError {
  readonly grpcCode = GrpcCode.RESOURCE_EXHAUSTED;
  readonly retryAfterMs: number | undefined;
  constructor(message = 'resource exhausted', options?: RetryableErrorOptions) {
    super(message, 'RESOURCE_EXHAUSTED', options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** UNAVAILABLE: transient; safe to retry (clients retry it automatically, boundedly). */
export class UnavailableError extends DomainError {
  readonly grpcCode = GrpcCode.UNAVAILABLE;
  readonly retryAfterMs: number | undefined;
  constructor(message = 'service unavailable', options?: RetryableErrorOptions) {
    super(message, 'UNAVAILABLE', options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** DEADLINE_EXCEEDED: the caller's deadline passed before the work finished. */
export class DeadlineExceededError extends DomainError {
  readonly grpcCode = GrpcCode.DEADLINE_EXCEEDED;
  constructor(message = 'deadline exceeded', options?: DomainErrorOptions) {
    super(message, 'DEADLINE_EXCEEDED', options);
  }
}

/** UNIMPLEMENTED: the operation is not supported by this server. */
export class UnimplementedError extends DomainError {
  readonly grpcCode = GrpcCode.UNIMPLEMENTED;
  constructor(message = 'not implemented', options?: DomainErrorOptions) {
    super(message, 'UNIMPLEMENTED', options);
  }
}

/** CANCELLED: the caller gave up. */
export class CancelledError extends DomainError {
  readonly grpcCode = GrpcCode.CANCELLED;
  constructor(message = 'cancelled', options?: DomainErrorOptions) {
    super(message, 'CANCELLED', options);
  }
}

/**
 * INTERNAL: a bug or an unexpected failure. Its message is never sent to callers (they get a generic one);
 * it is what a client sees when an upstream service failed in an unexpected way.
 */
export class InternalError extends DomainError {
  readonly grpcCode = GrpcCode.INTERNAL;
  constructor(message = 'internal error', options?: DomainErrorOptions) {
    super(message, 'INTERNAL', options);
  }
}
