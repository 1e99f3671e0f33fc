import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** A caller's X-Request-Id is kept when it is a safe token (so it can be logged and forwarded); otherwise a new one. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given !== undefined && SAFE_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
