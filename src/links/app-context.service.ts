import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CardContext } from '../cds/card-pipeline.js';
import type { Card, Link } from '../cds/cds-types.js';
import { APP_CONFIG, type AppConfig, type SmartClientConfig } from '../config/app-config.js';
import { SecretsService } from '../signing/secrets.service.js';
import { signToken, verifyToken } from '../signing/url-signer.js';
import { InvalidToken } from '../smart/oauth-errors.js';
import { type AppContextPayload, type AppContextRow, AppContextsRepository } from './app-contexts.repository.js';

const HANDLE_SECRET = 'app-context';

/** RFC 6750 §2.1: `Authorization: Bearer <token>`, the scheme case-insensitive. */
function bearerOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** What the app needs to open on the card's question; the card's own wire fields, nothing from the call's data. */
function cardContext(card: Card, ctx: CardContext): AppContextPayload {
  return {
    service: ctx.serviceId,
    hookInstance: ctx.hookInstance,
    card: card.uuid as string,
    summary: card.summary,
    indicator: card.indicator,
    ...(card.detail === undefined ? {} : { findings: card.detail }),
    source: card.source,
    suggestions: (card.suggestions ?? []).map((s) => ({ ...(s.uuid ? { uuid: s.uuid } : {}), label: s.label, ...(s.isRecommended === undefined ? {} : { isRecommended: s.isRecommended }) })),
  };
}

/**
 * CDS Hooks `smart` links for EHRs that launch apps through their own SMART server (DESIGN.md flow 2).
 * The link's `appContext` is an opaque, signed, expiring handle bound to the hookInstance and card;
 * the card's context stays here and is handed once to the app that presents the handle. The link
 * itself carries ids only, never PHI.
 */
@Injectable()
export class AppContextService {
  constructor(
    @Inject(AppContextsRepository) private readonly contexts: AppContextsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretsService,
  ) {}

  /** The signing secret; loaded once per call before links are made. */
  secret(): Promise<Buffer> {
    return this.secrets.secret(HANDLE_SECRET);
  }

  /**
   * §Link `type: smart`: `url` is the app's launch URL (the EHR launches it) and `appContext` the
   * handle; the row to store goes to `rows`.
   */
  smartLink(secret: Buffer, card: Card, link: Link, client: SmartClientConfig, ctx: CardContext, now: number, rows: AppContextRow[]): Link {
    const id = randomBytes(16).toString('base64url');
    const exp = Math.floor(now / 1000) + this.config.lifetimes.link;
    const c = card.uuid as string;
    rows.push({
      id,
      service_id: ctx.serviceId,
      hook_instance: ctx.hookInstance,
      card_uuid: c,
      app: client.clientId,
      context: cardContext(card, ctx),
      issued_at: new Date(now),
      expires_at: new Date(exp * 1000),
    });
    const handle = signToken(secret, 'app-context', { s: ctx.serviceId, h: ctx.hookInstance, c, l: id, a: client.clientId, exp });
    const { app: _app, ...rest } = link;
    return { ...rest, type: 'smart', url: client.launchUrl as string, appContext: handle };
  }

  insert(rows: readonly AppContextRow[]): Promise<void> {
    return this.contexts.insert(rows);
  }

  /**
   * `POST /cds-links/app-context` with the handle as bearer token (RFC 6750 §2.1): the card's context,
   * once. A tampered handle, an expired one, one whose card is not its hookInstance's, or one already
   * redeemed is `invalid_token` (RFC 6750 §3.1).
   */
  async redeem(authorization: string | undefined): Promise<AppContextPayload> {
    const handle = bearerOf(authorization);
    if (handle === undefined) throw new InvalidToken('Send the link\'s appContext as "Authorization: Bearer <appContext>".');
    const now = Date.now();
    const result = verifyToken(await this.secret(), 'app-context', handle, Math.floor(now / 1000));
    if (!result.ok) throw new InvalidToken(result.reason === 'expired' ? 'The appContext has expired.' : 'The appContext is not valid.');
    const { l, c, h } = result.claims;
    const context = l === undefined ? undefined : await this.contexts.redeem(l, c, h, new Date(now));
    if (!context) throw new InvalidToken('The appContext was already redeemed or is not valid.');
    return context;
  }

  purge(now: Date): Promise<void> {
    return this.contexts.purgeExpired(now);
  }
}
