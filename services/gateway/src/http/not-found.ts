import type { RequestHandler } from 'express';
import type { AnyRoute } from './route';
import { sendProblem } from './problem';

/** Unknown path → 404; known path, other method → 405 with `Allow`; both as problem+json naming what was wrong. */
export function notFound(routes: readonly AnyRoute[], prefix: string): RequestHandler {
  const matchers = routes.map((r) => ({ method: r.method.toUpperCase(), regex: new RegExp(`^${prefix}${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[A-Za-z0-9_]+\\?\}/g, '[^/]+')}/?$`) }));
  return (req, res) => {
    const allowed = [...new Set(matchers.filter((m) => m.regex.test(req.path)).map((m) => m.method))];
    if (allowed.length > 0) {
      res.setHeader('Allow', allowed.join(', '));
      sendProblem(res, {
        type: 'urn:csm:problem:method-not-allowed',
        title: 'Method not allowed',
        status: 405,
        detail: `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`,
        instance: req.path,
        errors: [{ field: 'method', message: `must be one of ${allowed.join(', ')}`, rule: 'METHOD' }],
        reason: 'METHOD_NOT_ALLOWED',
      });
      return;
    }
    sendProblem(res, { type: 'urn:csm:problem:route-not-found', title: 'Resource not found', status: 404, detail: `no such route: ${req.method} ${req.path}`, instance: req.path, errors: [{ field: 'path', message: 'no such route', rule: 'ROUTE' }], reason: 'ROUTE_NOT_FOUND' });
  };
}
