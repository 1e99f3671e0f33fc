import { DomainError, PROBLEM_CONTENT_TYPE, ResourceExhaustedError, toProblemDetails, UnauthenticatedError, UnavailableError, type ProblemDetails } from '@csm/platform/errors';
import type { Logger } from '@csm/platform/logging';
import type { ErrorRequestHandler, Response } from 'express';

/** Sends an RFC 9457 problem with the request id as an extension member (what support asks a caller for). */
export function sendProblem(res: Response, problem: ProblemDetails): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).json({ ...problem, requestId: res.locals.requestId as string | undefined });
}

/** The body parser's own errors (malformed JSON, too large, bad charset), which happen before any route runs. */
interface BodyParserError {
  readonly type: string;
  readonly status?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string' && typeof (err as { status?: unknown }).status === 'number';
}

const BODY_PROBLEMS: Readonly<Record<string, { status: number; title: string; detail: string; rule: string }>> = {
  'entity.parse.failed': { status: 400, title: 'Invalid request', detail: 'the body is not valid JSON', rule: 'JSON' },
  'entity.too.large': { status: 413, title: 'Payload too large', detail: 'the body exceeds the size limit', rule: 'MAX_SIZE' },
  'encoding.unsupported': { status: 415, title: 'Unsupported media type', detail: 'unsupported content encoding', rule: 'ENCODING' },
  'charset.unsupported': { status: 415, title: 'Unsupported media type', detail: 'unsupported charset', rule: 'CHARSET' },
  'request.aborted': { status: 400, title: 'Invalid request', detail: 'the request body was aborted', rule: 'ABORTED' },
  'request.size.invalid': { status: 400, title: 'Invalid request', detail: 'the body length does not match Content-Length', rule: 'LENGTH' },
};

/**
 * The one error exit of the gateway: domain errors and decoded gRPC statuses map to their HTTP status
 * (toProblemDetails); anything unexpected is logged and answered as a generic 500 without internals.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const instance = req.path;
    if (isBodyParserError(err) && !(err instanceof DomainError)) {
      const known = BODY_PROBLEMS[err.type] ?? { status: err.status ?? 400, title: 'Invalid request', detail: 'the body could not be read', rule: 'BODY' };
      sendProblem(res, { type: `urn:csm:problem:${known.rule.toLowerCase()}`, title: known.title, status: known.status, detail: known.detail, instance, errors: [{ field: 'body', message: known.detail, rule: known.rule }], reason: 'INVALID_BODY' });
      return;
    }
    const problem = toProblemDetails(err, instance);
    if (problem.status >= 500) logger.error({ err, path: req.route ? (req.route as { path: string }).path : instance, requestId: res.locals.requestId as unknown }, 'request failed');
    if (err instanceof UnauthenticatedError) res.setHeader('WWW-Authenticate', 'Bearer realm="csm"');
    const retryAfterMs = err instanceof ResourceExhaustedError || err instanceof UnavailableError ? err.retryAfterMs : undefined;
    if (retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
    const named = err instanceof UnauthenticatedError && problem.errors.length === 0 ? { ...problem, errors: [{ field: 'header.authorization', message: problem.detail, rule: 'BEARER_TOKEN' }] } : problem;
    sendProblem(res, named);
  };
}
