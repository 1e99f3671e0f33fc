import { checkGrpcHealth } from '@csm/platform/grpc';
import { route, type AnyRoute } from '../http/route';

export interface PlatformRouteOptions {
  /** Backend name → gRPC address, for /status. */
  readonly upstreams: Record<string, string>;
  readonly healthTimeoutMs: number;
  /** The OpenAPI document (built once from the whole route table). */
  readonly openApiDocument: () => unknown;
}

/** The API's own description and each backend's gRPC health (for operators and smoke checks). Both public. */
export function platformRoutes(options: PlatformRouteOptions): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This API, described as OpenAPI 3.1',
      tag: 'platform',
      access: 'public',
      handler: async () => ({ body: options.openApiDocument() }),
    }),
    route({
      method: 'get',
      path: '/status',
      operationId: 'getStatus',
      summary: "Each backend service's gRPC health; 503 when any is not serving",
      tag: 'platform',
      access: 'public',
      handler: async () => {
        const entries = await Promise.all(
          Object.entries(options.upstreams).map(async ([name, address]) => [name, await checkGrpcHealth(address, { timeoutMs: options.healthTimeoutMs })] as const),
        );
        const allServing = entries.every(([, s]) => s === 'SERVING');
        return { status: allServing ? 200 : 503, body: { status: allServing ? 'ok' : 'degraded', services: Object.fromEntries(entries) } };
      },
    }),
  ];
}
