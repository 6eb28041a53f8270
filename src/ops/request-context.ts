import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const context = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the request being handled, for log lines; undefined outside a request. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

/** A caller's `X-Request-Id` is kept only when it is a short token, so it cannot forge or flood log lines. */
export function acceptedRequestId(header: unknown): string | undefined {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(header) ? header : undefined;
}

/**
 * Where a request went, for the access log: the route pattern (`/cds-services/:id`), never the
 * concrete path or query, which can carry patient ids, codes or tokens.
 */
export function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : '-';
}

/**
 * Gives every request an id (the caller's `X-Request-Id` when acceptable, else a new UUID), echoes
 * it, makes it visible to every log line written while handling the request, and writes one access
 * log line when the response finished: method, route pattern, status, milliseconds. No headers,
 * no bodies, no query: nothing that carries a token or PHI.
 */
export function requestContext(logger = new Logger('HTTP')) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = acceptedRequestId(req.headers['x-request-id']) ?? randomUUID();
    const started = performance.now();
    res.setHeader('X-Request-Id', requestId);
    res.once('finish', () => {
      context.run({ requestId }, () =>
        logger.log({ msg: 'request', method: req.method, route: routeOf(req), status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }),
      );
    });
    context.run({ requestId }, next);
  };
}
