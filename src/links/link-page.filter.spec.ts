import { InvalidCardError } from '../cds/cds-errors.js';
import { LinkForbidden, LinkGone } from './link-errors.js';
import { linkPage } from './link-page.filter.js';

describe('linkPage', () => {
  it('a tampered, unknown or orphaned link → 403 "Link not valid", never the reason', () => {
    expect(linkPage(new LinkForbidden('bad signature'))).toEqual({ status: 403, title: 'Link not valid', message: 'This link is not valid.' });
  });

  it('an expired link → 410 "Link expired"', () => {
    expect(linkPage(new LinkGone())).toEqual({ status: 410, title: 'Link expired', message: 'This link has expired. Open the patient chart again to get current guidance.' });
  });

  it('any other error → 500 page without detail', () => {
    const generic = { status: 500, title: 'Something went wrong', message: 'The link could not be opened. Please try again from the patient chart.' };
    expect(linkPage(new Error('row for patient 123 missing'))).toEqual(generic);
    expect(linkPage(new InvalidCardError('summary', 'cards[0]'))).toEqual(generic);
  });
});
