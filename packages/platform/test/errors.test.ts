import { Metadata, status as GrpcCode } from '@grpc/grpc-js';
import {
  AlreadyExistsError,
  DomainError,
  fromGrpcError,
  IllegalStateTransitionError,
  InternalError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  STATUS_DETAILS_KEY,
  toGrpcStatus,
  toProblemDetails,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  VersionConflictError,
} from '../src/errors';

/** What a grpc-js client receives for a status the server sent. */
function asReceived(err: unknown) {
  const status = toGrpcStatus(err, { domain: 'cases' });
  return Object.assign(new Error(`${status.code} ${GrpcCode[status.code]}: ${status.details}`), status);
}

describe('toGrpcStatus / fromGrpcError', () => {
  it('round-trips a ValidationError with every field violation and its rule', () => {
    const original = new ValidationError([
      { field: 'contact.email', description: 'must be a valid e-mail address', rule: 'FORMAT' },
      { field: 'flightNumber', description: 'is required' },
    ]);
    const status = toGrpcStatus(original, { domain: 'profile' });
    expect(status.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(status.details).toBe('invalid request: contact.email: must be a valid e-mail address (FORMAT); flightNumber: is required');
    expect(status.metadata.get(STATUS_DETAILS_KEY)[0]).toBeInstanceOf(Buffer);

    const decoded = fromGrpcError(Object.assign(new Error('x'), status));
    expect(decoded).toBeInstanceOf(ValidationError);
    expect(decoded.violations).toEqual([
      { field: 'contact.email', description: 'must be a valid e-mail address', rule: 'FORMAT' },
      { field: 'flightNumber', description: 'is required' },
    ]);
    expect(decoded.message).toBe(original.message);
    expect(decoded.reason).toBe('VALIDATION_FAILED');
    expect(decoded.domain).toBe('profile');
  });

  it('keeps the error domain an error was created with', () => {
    const decoded = fromGrpcError(asReceived(new NotFoundError('profile', 'pax_1', undefined, { domain: 'profile' })));
    expect(decoded.domain).toBe('profile');
  });

  it.each<[DomainError, GrpcCode]>([
    [new NotFoundError('case', 'case_1'), GrpcCode.NOT_FOUND],
    [new AlreadyExistsError('case', 'case_1'), GrpcCode.ALREADY_EXISTS],
    [new VersionConflictError('case', 'case_1', '3', '4'), GrpcCode.ABORTED],
    [new IllegalStateTransitionError('case', 'CLOSED', 'IN_PROGRESS', ['REOPENED']), GrpcCode.FAILED_PRECONDITION],
    [new PermissionDeniedError('agents of level 1 cannot refund'), GrpcCode.PERMISSION_DENIED],
    [new UnauthenticatedError(), GrpcCode.UNAUTHENTICATED],
    [new ResourceExhaustedError('quota exceeded', { retryAfterMs: 1500 }), GrpcCode.RESOURCE_EXHAUSTED],
    [new UnavailableError('store down', { retryAfterMs: 250 }), GrpcCode.UNAVAILABLE],
  ])('maps %p to its code and back to the same class, message, reason and metadata', (original, code) => {
    const status = toGrpcStatus(original);
    expect(status.code).toBe(code);
    const decoded = fromGrpcError(Object.assign(new Error('x'), status));
    expect(decoded.constructor).toBe(original.constructor);
    expect(decoded.message).toBe(original.message);
    expect(decoded.reason).toBe(original.reason);
    expect(decoded.metadata).toEqual(original.metadata);
  });

  it('names the allowed transitions and restores them on the client', () => {
    const decoded = fromGrpcError(asReceived(new IllegalStateTransitionError('case', 'CLOSED', 'IN_PROGRESS', ['REOPENED', 'ARCHIVED'])));
    expect(decoded).toBeInstanceOf(IllegalStateTransitionError);
    const transition = decoded as IllegalStateTransitionError;
    expect(transition.allowed).toEqual(['REOPENED', 'ARCHIVED']);
    expect(transition.message).toBe('case cannot move from CLOSED to IN_PROGRESS; allowed from CLOSED: REOPENED, ARCHIVED');
  });

  it('carries retry hints as google.rpc.RetryInfo', () => {
    const decoded = fromGrpcError(asReceived(new ResourceExhaustedError('slow down', { retryAfterMs: 1500 })));
    expect((decoded as ResourceExhaustedError).retryAfterMs).toBe(1500);
  });

  it('turns unknown errors into INTERNAL with a generic message', () => {
    const status = toGrpcStatus(new Error('connection to 10.0.0.7 refused, password=hunter2'));
    expect(status.code).toBe(GrpcCode.INTERNAL);
    expect(status.details).toBe('internal error');
    expect(status.metadata.get(STATUS_DETAILS_KEY)[0]?.toString('latin1')).not.toContain('hunter2');
    expect(toGrpcStatus('a string').details).toBe('internal error');
    expect(toGrpcStatus(new InternalError('pool exhausted in tx 42')).details).toBe('internal error');
  });

  it('decodes plain statuses from peers that send no details', () => {
    const decoded = fromGrpcError(Object.assign(new Error('5 NOT_FOUND: no such thing'), { code: GrpcCode.NOT_FOUND, details: 'no such thing', metadata: new Metadata() }));
    expect(decoded).toBeInstanceOf(NotFoundError);
    expect(decoded.message).toBe('no such thing');
    expect(fromGrpcError(new TypeError('boom'))).toBeInstanceOf(InternalError);
  });

  it('re-maps a received upstream status when a handler re-throws it', () => {
    const upstream = asReceived(new NotFoundError('profile', 'pax_9'));
    const status = toGrpcStatus(upstream);
    expect(status.code).toBe(GrpcCode.NOT_FOUND);
    expect(status.details).toBe('profile pax_9 not found');
  });
});

describe('toProblemDetails', () => {
  it('maps a ValidationError to a 400 problem listing each field', () => {
    const problem = toProblemDetails(
      new ValidationError([{ field: 'email', description: 'must be a valid e-mail address', rule: 'FORMAT' }]),
      '/v1/profiles',
    );
    expect(problem).toEqual({
      type: 'urn:csm:problem:validation-failed',
      title: 'Invalid request',
      status: 400,
      detail: 'invalid request: email: must be a valid e-mail address (FORMAT)',
      instance: '/v1/profiles',
      errors: [{ field: 'email', message: 'must be a valid e-mail address', rule: 'FORMAT' }],
      reason: 'VALIDATION_FAILED',
    });
  });

  it.each<[DomainError, number]>([
    [new NotFoundError('case', 'case_1'), 404],
    [new AlreadyExistsError('case', 'case_1'), 409],
    [new VersionConflictError('case', 'case_1', '1'), 409],
    [new IllegalStateTransitionError('case', 'CLOSED', 'OPEN', []), 409],
    [new PermissionDeniedError(), 403],
    [new UnauthenticatedError(), 401],
    [new ResourceExhaustedError(), 429],
    [new UnavailableError(), 503],
  ])('maps %p to HTTP %i', (err, httpStatus) => {
    const problem = toProblemDetails(err);
    expect(problem.status).toBe(httpStatus);
    expect(problem.detail).toBe(err.message);
    expect(problem.instance).toBeUndefined();
    expect(problem.errors).toEqual([]);
  });

  it('decodes a grpc-js client error first, as the gateway receives it', () => {
    const problem = toProblemDetails(asReceived(new IllegalStateTransitionError('case', 'CLOSED', 'OPEN', ['REOPENED'])), '/v1/cases/case_1');
    expect(problem.status).toBe(409);
    expect(problem.type).toBe('urn:csm:problem:illegal-state-transition');
    expect(problem.detail).toContain('allowed from CLOSED: REOPENED');
  });

  it('hides unknown errors behind a generic 500', () => {
    const problem = toProblemDetails(new Error('SELECT * FROM secrets failed'), '/v1/x');
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'internal error',
      instance: '/v1/x',
      errors: [],
      reason: 'INTERNAL',
    });
  });
});
