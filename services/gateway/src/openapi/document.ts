import { z } from 'zod';
import type { AnyRoute } from '../http/route';

/** OpenAPI 3.1 uses JSON Schema 2020-12, which zod emits directly: the route table is the document's only source. */
type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function parametersOf(where: 'path' | 'query', schema: z.ZodType | undefined): JsonSchema[] {
  if (schema === undefined) return [];
  const object = jsonSchema(schema);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    schema: prop,
  }));
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail', 'errors', 'reason'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    reason: { type: 'string', description: 'machine-readable cause (UPPER_SNAKE_CASE)' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string', description: 'e.g. body.contact.email, query.limit, path.caseId' }, message: { type: 'string' }, rule: { type: 'string' } } },
    },
  },
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/** The OpenAPI 3.1 document of the channel API, built from the same route table express mounts. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [...parametersOf('path', r.params), ...parametersOf('query', r.query)];
    if (r.idempotent) {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: r.idempotent === 'required', description: 'Retries with the same key return the first result instead of acting twice.', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' } });
    }
    const access = r.access === 'public' ? undefined : r.access;
    const roles = access === undefined ? [] : [...access.roles, ...(access.passengerSelf ? ['passenger (own profile)'] : []), ...(access.partnerSelf ? ['partner (own code)'] : [])];
    const status = String(r.successStatus ?? 200);
    (paths[r.path] ??= {})[r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      ...(access === undefined ? { security: [] } : { description: `Allowed: ${roles.join(', ')}.`, 'x-roles': roles }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(r.body !== undefined ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      responses: {
        [status]: {
          description: r.responseDescription ?? 'OK',
          content: r.responseContentType === undefined ? { 'application/json': { schema: { type: 'object' } } } : { [r.responseContentType]: { schema: { type: 'string' } } },
        },
        '400': problemResponse('Invalid request: `errors` names each bad field'),
        ...(access === undefined ? {} : { '401': problemResponse('Missing or invalid bearer token'), '403': problemResponse('The caller may not do this') }),
        '404': problemResponse('Not found'),
        '409': problemResponse('Conflict with the current state'),
        '429': problemResponse('Rate limit exceeded (see Retry-After)'),
        '503': problemResponse('A backend service is unavailable'),
        '504': problemResponse('A backend service timed out'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'OIDC access token (RS256); roles and scopes from its claims' } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    paths,
  };
}
