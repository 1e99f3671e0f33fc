import type { AnyRoute } from '../http/route';
import { buildOpenApiDocument } from '../openapi/document';
import { analyticsRoutes } from './analytics';
import { cargoRoutes } from './cargo';
import { caseRoutes } from './cases';
import { flightRoutes } from './flights';
import { knowledgeRoutes } from './knowledge';
import { loyaltyRoutes } from './loyalty';
import { operationsRoutes } from './operations';
import { passenger360Routes } from './passenger-360';
import { passengerRoutes } from './passengers';
import { partnerRoutes } from './partners';
import { platformRoutes } from './platform';

export interface RouteTableOptions {
  readonly upstreams: Record<string, string>;
  readonly healthTimeoutMs: number;
  readonly sectionDeadlineMs: number;
}

export const API_INFO = {
  title: 'CSM channel API',
  version: '1.0.0',
  description:
    'REST/JSON API of the airline customer service platform for channel frontends (call-center desktop, web, app, IVR) and alliance partners. Bodies and answers are proto3 JSON of the csm.*.v1 gRPC contracts; errors are RFC 9457 problems.',
};

/** Every route of /api/v1, in the order the document lists them. */
export function routeTable(options: RouteTableOptions): AnyRoute[] {
  let document: unknown;
  const table: AnyRoute[] = [];
  table.push(
    ...platformRoutes({ ...options, openApiDocument: () => (document ??= buildOpenApiDocument(table, API_INFO)) }),
    ...passengerRoutes,
    ...passenger360Routes({ sectionDeadlineMs: options.sectionDeadlineMs }),
    ...caseRoutes,
    ...knowledgeRoutes,
    ...loyaltyRoutes,
    ...partnerRoutes,
    ...flightRoutes,
    ...operationsRoutes,
    ...cargoRoutes,
    ...analyticsRoutes,
  );
  return table;
}
