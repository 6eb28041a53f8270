import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, type Logger as Pino, pino } from 'pino';
import { currentRequestId } from './request-context.js';

/** Nest's `log(message, ...params)` convention: a trailing string is the context (the class that logs). */
function split(params: unknown[]): { context?: string; rest: unknown[] } {
  const last = params.at(-1);
  return typeof last === 'string' ? { context: last, rest: params.slice(0, -1) } : { rest: params };
}

/**
 * Nest's logger as one JSON line per event (pino), each with the request id of the request it
 * belongs to. Messages are what the code logs (ids, check names, counts); objects are logged as
 * fields. Callers never pass tokens or clinical data, and nothing here adds request headers or bodies.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino;

  constructor(destination?: DestinationStream, level = 'info') {
    this.pino = pino({ level, base: { pid: process.pid }, mixin: () => ({ reqId: currentRequestId() }) }, destination);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
  /** `error(message, stack?, context?)`; the stack is kept, it names code, not data. */
  error(message: unknown, ...params: unknown[]): void {
    const { context, rest } = split(params);
    const stack = typeof rest[0] === 'string' ? rest[0] : undefined;
    this.emit('error', message, context, stack === undefined ? {} : { stack });
  }

  /** Writes what is still buffered (before the process exits). */
  flush(): void {
    this.pino.flush();
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    this.emit(level, message, split(params).context, {});
  }

  private emit(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal' | 'error', message: unknown, context: string | undefined, extra: Record<string, unknown>): void {
    const fields = { ...(context === undefined ? {} : { context }), ...extra };
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    else if (message instanceof Error) this.pino[level]({ ...fields, err: { type: message.name, message: message.message } });
    else this.pino[level](fields, String(message));
  }
}
