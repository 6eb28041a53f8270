/** A click-through or feedback URL that was tampered with, is unknown, or names an unregistered app. */
export class LinkForbidden extends Error {
  readonly status = 403;
  constructor(readonly reason: string) {
    super('This link is not valid.');
  }
}

/** A click-through or feedback URL past its expiry (or whose card context has expired). */
export class LinkGone extends Error {
  readonly status = 410;
  constructor() {
    super('This link has expired. Open the patient chart again to get current guidance.');
  }
}
