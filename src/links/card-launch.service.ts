import { Injectable } from '@nestjs/common';
import { AuthSessions } from '../smart/session/auth-sessions.service.js';
import { SignInService } from '../smart/session/sign-in.service.js';
import { CardLinksService } from './card-links.service.js';

/** Where a bound click goes: the app's launch URL, or a sign-in (its cookie value) that comes back here. */
export type CardLaunchNext = { launch: string } | { signIn: string };

/**
 * A click on a card link bound to its user (DESIGN.md flow 2): the session says who clicked; nobody signed
 * in → a sign-in that continues at this same link, so the launch follows it.
 */
@Injectable()
export class CardLaunchService {
  constructor(
    private readonly links: CardLinksService,
    private readonly sessions: AuthSessions,
    private readonly signIn: SignInService,
  ) {}

  async open(token: string, sessionToken: string | undefined): Promise<CardLaunchNext> {
    const signedIn = await this.sessions.signedIn(sessionToken);
    if (!signedIn) {
      await this.links.check(token);
      return { signIn: await this.signIn.begin(`/auth/cds-links/${token}`) };
    }
    return { launch: await this.links.launchAs(token, signedIn.fhirUser) };
  }
}
