/**
 * The body of a FHIR server's response, read no further than `maxBytes`: a server that streams without end
 * (or announces more than the bound) is cut off, never buffered whole. Undefined when over the bound.
 */
export async function readAtMost(res: Response, maxBytes: number): Promise<string | undefined> {
  const announced = Number(res.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > maxBytes) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
