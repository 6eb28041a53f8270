import { readAtMost } from './bounded-read.js';

/** A Response whose body is `chunks`, then either ends or (endless) keeps producing until cancelled. */
function streamed(chunks: string[], opts: { endless?: boolean; headers?: Record<string, string> } = {}): { res: Response; cancelled: () => boolean; pulled: () => number } {
  let cancelled = false;
  let pulled = 0;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled] ?? (opts.endless ? 'x'.repeat(1000) : undefined);
      pulled++;
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { res: new Response(body, { headers: opts.headers }), cancelled: () => cancelled, pulled: () => pulled };
}

describe('readAtMost', () => {
  it('reads a body within the bound whole, multi-byte characters split across chunks included', async () => {
    const bytes = new TextEncoder().encode('{"a":"é💊"}');
    const res = new Response(new ReadableStream({ start: (c) => (c.enqueue(bytes.slice(0, 7)), c.enqueue(bytes.slice(7)), c.close()) }));
    expect(await readAtMost(res, 100)).toBe('{"a":"é💊"}');
  });

  it('stops an endless stream just past the bound and cancels it', async () => {
    const s = streamed([], { endless: true });
    expect(await readAtMost(s.res, 10_000)).toBeUndefined();
    expect(s.cancelled()).toBe(true);
    expect(s.pulled()).toBeLessThanOrEqual(12);
  });

  it('refuses a body whose Content-Length announces more than the bound without reading it', async () => {
    const s = streamed(['{}'], { headers: { 'content-length': '20000' } });
    expect(await readAtMost(s.res, 10_000)).toBeUndefined();
    expect(s.pulled()).toBeLessThanOrEqual(1);
  });

  it('a body of exactly the bound is read', async () => {
    expect(await readAtMost(streamed(['x'.repeat(10)]).res, 10)).toBe('x'.repeat(10));
  });
});
