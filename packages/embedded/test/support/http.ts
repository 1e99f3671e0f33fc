import { randomUUID } from 'node:crypto';

/** One HTTP exchange with the gateway, as a channel would make it. */
export interface Exchange {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
}

export interface SendOptions {
  readonly token?: string | undefined;
  readonly query?: Record<string, string> | undefined;
  readonly body?: unknown;
  /** Raw body text (sent as is, e.g. malformed JSON); wins over `body`. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /** Send a fresh Idempotency-Key on writes (default true). */
  readonly idempotencyKey?: boolean;
}

export async function send(baseUrl: string, method: string, path: string, opts: SendOptions = {}): Promise<Exchange> {
  const url = new URL(`${baseUrl}/api/v1${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  const write = method.toLowerCase() !== 'get';
  if (write && opts.idempotencyKey !== false) headers['idempotency-key'] = `test-${randomUUID()}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  // fetch refuses a body on GET; such a request is sent without one.
  if (!write) body = undefined;
  if (body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, opts.headers ?? {});
  const res = await fetch(url, { method: method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: Record<string, unknown> = {};
  if (text && /json/.test(contentType)) parsed = JSON.parse(text) as Record<string, unknown>;
  else if (text) parsed = { text };
  return { status: res.status, contentType, body: parsed };
}
