import type { ArgumentsHost } from '@nestjs/common';
import { ContentTooLarge, MalformedInput } from './input-errors.js';
import { InputRejectedFilter } from './input-rejected.filter.js';

/** The status and JSON body the filter writes for `e`. */
function rendered(e: MalformedInput | ContentTooLarge): { status?: number; body?: unknown } {
  const out: { status?: number; body?: unknown } = {};
  const res = {
    status(code: number) {
      out.status = code;
      return res;
    },
    json(body: unknown) {
      out.body = body;
      return res;
    },
  };
  new InputRejectedFilter().catch(e, { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost);
  return out;
}

describe('InputRejectedFilter', () => {
  it('answers an edge refusal on a route without a transport filter as RFC 6749 §5.2 JSON with its status', () => {
    expect(rendered(new MalformedInput('query.x contains a NUL character or an unpaired surrogate', 'query.x'))).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'query.x contains a NUL character or an unpaired surrogate' },
    });
    expect(rendered(new ContentTooLarge('request body is too large')).status).toBe(413);
  });
});
