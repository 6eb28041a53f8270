import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { inputProblem, type JsonBounds } from './input-bounds.js';
import { ContentTooLarge, type InputRejected, MalformedJson, rejectionFor, UnreadableBody } from './input-errors.js';

/** Where deferBodyErrors leaves a body-parser failure for InputBoundsGuard. */
const BODY_ERROR = Symbol('bodyError');

type DeferredRequest = Request & { [BODY_ERROR]?: InputRejected };

/** What a body-parser failure is answered with (body-parser's `type` and `status`); undefined: not a parser failure. */
export function bodyParserRejection(err: unknown): InputRejected | undefined {
  const { type, status } = (err ?? {}) as { type?: unknown; status?: unknown };
  if (type === 'entity.too.large') return new ContentTooLarge('request body is too large');
  if (type === 'entity.parse.failed') return new MalformedJson();
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) return new UnreadableBody(status);
  return undefined;
}

/**
 * Express error middleware right after the body parsers: a parser failure happens before Nest routes
 * the request, where no transport's filter could render it, so it is kept on the request and
 * InputBoundsGuard raises it inside the route, where that transport's filter answers it.
 */
export function deferBodyErrors(err: unknown, req: Request, _res: Response, next: NextFunction): void {
  const rejected = bodyParserRejection(err);
  if (!rejected) return next(err);
  (req as DeferredRequest)[BODY_ERROR] = rejected;
  next();
}

/**
 * The global guard, first of every route: a body the parser refused, or a body, query or path parameter
 * outside the bounds of inputProblem(), is refused before any other guard or handler reads it.
 */
export class InputBoundsGuard implements CanActivate {
  constructor(private readonly bounds: JsonBounds) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<DeferredRequest>();
    const deferred = req[BODY_ERROR];
    if (deferred) throw deferred;
    for (const [prefix, value] of [['', req.body], ['query', req.query], ['params', req.params]] as const) {
      const problem = inputProblem(value, this.bounds);
      if (problem) throw rejectionFor(problem, prefix);
    }
    return true;
  }
}
