import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's HTTP parser errors that a caller caused, and the problem each becomes. */
const PARSER_PROBLEMS: Readonly<Record<string, { status: number; field: string; detail: string; rule: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, field: 'header', detail: 'the request headers (or URL) are too large', rule: 'MAX_SIZE' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, field: 'request', detail: 'the request took too long to arrive', rule: 'TIMEOUT' },
};

/**
 * Requests Node rejects before express sees them (oversize headers or URL, malformed HTTP) still get an RFC 9457
 * problem instead of Node's bare status line, so every 4xx a channel sees has the same shape.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const known = PARSER_PROBLEMS[err.code ?? ''] ?? { status: 400, field: 'request', detail: 'the request is not valid HTTP', rule: 'HTTP' };
    const body = JSON.stringify({
      type: `urn:csm:problem:${known.rule.toLowerCase().replace(/_/g, '-')}`,
      title: STATUS_CODES[known.status] ?? 'Bad Request',
      status: known.status,
      detail: known.detail,
      errors: [{ field: known.field, message: known.detail, rule: known.rule }],
      reason: 'INVALID_HTTP_REQUEST',
    });
    socket.end(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? ''}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
