import { bodyParserRejection } from './input-bounds.guard.js';
import { ContentTooLarge, MalformedJson, UnreadableBody } from './input-errors.js';

describe('bodyParserRejection', () => {
  it('maps body-parser failures to the edge errors every transport renders', () => {
    expect(bodyParserRejection({ type: 'entity.too.large', status: 413 })).toBeInstanceOf(ContentTooLarge);
    expect(bodyParserRejection({ type: 'entity.parse.failed', status: 400 })).toBeInstanceOf(MalformedJson);
    const charset = bodyParserRejection({ type: 'charset.unsupported', status: 415 });
    expect([charset instanceof UnreadableBody, charset?.status]).toEqual([true, 415]);
  });

  it('leaves every other error to the framework', () => {
    for (const e of [new Error('boom'), { type: 'x', status: 500 }, null, undefined, { status: 400 }]) expect(bodyParserRejection(e)).toBeUndefined();
  });
});
