import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { JsonLogger } from './logger.js';
import { acceptedRequestId, requestContext } from './request-context.js';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('JSON logs with a request id', () => {
  it('writes Nest log calls as JSON lines with level, message and context', () => {
    const { lines, stream } = capture();
    const logger = new JsonLogger(stream);
    logger.warn('CDS client refused: check=audience', 'CdsClientGuard');
    logger.error('boom', 'Error: boom\n    at x', 'CdsService');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'CDS client refused: check=audience', context: 'CdsClientGuard' }),
      expect.objectContaining({ level: 50, msg: 'boom', context: 'CdsService', stack: 'Error: boom\n    at x' }),
    ]);
  });

  it('tags lines written while handling a request with its id, and logs the route pattern, never the path, query or headers', async () => {
    const { lines, stream } = capture();
    const logger = new JsonLogger(stream);
    const app = express();
    app.use(requestContext({ log: (m: unknown) => logger.log(m, 'HTTP') } as never));
    app.get('/fhir/Patient/:id', (_req, res) => {
      logger.log('reading', 'Fhir');
      res.json({});
    });
    const res = await request(app).get('/fhir/Patient/secret-patient?code=secret-code').set('Authorization', 'Bearer secret-token').set('X-Request-Id', 'req-42').expect(200);
    expect(res.headers['x-request-id']).toBe('req-42');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['req-42', 'reading'],
      ['req-42', 'request'],
    ]);
    expect(lines[1]).toMatchObject({ method: 'GET', route: '/fhir/Patient/:id', status: 200 });
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
  });

  it('gives a request without an acceptable X-Request-Id a fresh UUID', async () => {
    const app = express();
    app.use(requestContext({ log: () => undefined } as never));
    app.get('/', (_req, res) => res.send('ok'));
    const res = await request(app).get('/').set('X-Request-Id', 'x'.repeat(65));
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptedRequestId('a\nb')).toBeUndefined();
    expect(acceptedRequestId('abc-1.2:3')).toBe('abc-1.2:3');
  });
});
