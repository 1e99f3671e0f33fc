import { histogram } from '@csm/platform/telemetry';
import type { RequestHandler } from 'express';

const requestDuration = histogram<'method' | 'route' | 'status'>({
  name: 'csm_gateway_http_request_duration_seconds',
  help: 'Gateway HTTP requests by route template and status',
  labelNames: ['method', 'route', 'status'],
});

/** Duration per route template (never the raw path: ids would explode the label set). */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const template = route === undefined ? 'unmatched' : `${req.baseUrl}${route}`;
      requestDuration.observe({ method: req.method, route: template, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
