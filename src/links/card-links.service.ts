import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CardContext } from '../cds/card-pipeline.js';
import { serviceSettings } from '../cds/service-apps.js';
import { ServiceRegistry } from '../cds/service-registry.js';
import type { AppContextRow } from './app-contexts.repository.js';
import { AppContextService } from './app-context.service.js';
import type { Card, Link } from '../cds/cds-types.js';
import { APP_CONFIG, type AppConfig, linkUserBinding, type SmartClientConfig, urls } from '../config/app-config.js';
import { LaunchService } from '../smart/launch.service.js';
import { type CardLinkRow, CardLinksRepository } from './card-links.repository.js';
import { isLinkUser, isWithinLaunchBudget } from './link-checks.js';
import { LinkEventsRepository, type LinkOutcome } from './link-events.repository.js';
import { LinkForbidden, LinkGone, LinkUsedUp, LinkWrongUser } from './link-errors.js';
import { SecretsService } from '../signing/secrets.service.js';
import { signToken, verifyToken } from '../signing/url-signer.js';

const LINK_SECRET = 'card-links';
/** Per-card feedback URLs ride on the card as this extension (CDS Hooks §Extensions: reverse-DNS names). */
const FEEDBACK_URL_EXTENSION = 'dev.hookwarden.feedback-url';

/**
 * Card click-through links and per-card feedback URLs: signed, expiring, tied to the hookInstance,
 * carrying ids only. The launch context lives server-side in `card_links`.
 */
@Injectable()
export class CardLinksService {
  private readonly logger = new Logger(CardLinksService.name);

  constructor(
    @Inject(CardLinksRepository) private readonly links: CardLinksRepository,
    @Inject(LinkEventsRepository) private readonly events: LinkEventsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    private readonly launches: LaunchService,
    private readonly registry: ServiceRegistry,
    private readonly appContexts: AppContextService,
  ) {}

  /**
   * Replaces every `app` link with a signed click-through URL to Hookwarden (type `absolute`: we mint
   * the launch ourselves, smart-auth.md §4.4 option a) and adds the card's signed feedback URL.
   * Links naming an app that is not registered are dropped and logged: never sent unlaunchable. When
   * the service's settings say the EHR launches its app (`appLaunch: ehr`), the link becomes a `smart`
   * link with an opaque appContext handle instead.
   */
  async sign(cards: Card[], ctx: CardContext): Promise<Card[]> {
    const secret = await this.secrets.secret(LINK_SECRET);
    const ehrLaunches = serviceSettings(this.config, this.registry.get(ctx.serviceId)).appLaunch === 'ehr';
    const handleSecret = ehrLaunches ? await this.appContexts.secret() : undefined;
    const contextRows: AppContextRow[] = [];
    const now = Date.now();
    const linkExp = Math.floor(now / 1000) + this.config.lifetimes.link;
    const feedbackExp = Math.floor(now / 1000) + this.config.lifetimes.feedbackUrl;
    const rows: CardLinkRow[] = [];
    const signLink = (card: Card, link: Link, index: number): Link[] => {
      if (link.app === undefined) return [link];
      const client = this.config.smartClients.find((registered) => registered.clientId === link.app && registered.launchUrl);
      if (!client) {
        this.logger.error(`service ${ctx.serviceId} links to unregistered app ${link.app}; link dropped`);
        return [];
      }
      if (handleSecret) return [this.appContexts.smartLink(handleSecret, card, link, client, ctx, now, contextRows)];
      const c = card.uuid as string;
      const id = randomBytes(16).toString('base64url');
      rows.push({
        id,
        service_id: ctx.serviceId,
        hook_instance: ctx.hookInstance,
        card_uuid: c,
        link_index: index,
        app: link.app,
        issuer: ctx.issuer,
        user_id: ctx.userId,
        patient_id: ctx.patientId,
        encounter_id: ctx.encounterId ?? null,
        scope_ceiling: ctx.scopeCeiling.join(' '),
        app_context: link.appContext ?? null,
        issued_at: new Date(now),
        expires_at: new Date(linkExp * 1000),
      });
      const token = signToken(secret, 'link', { s: ctx.serviceId, h: ctx.hookInstance, c, l: id, a: link.app, exp: linkExp });
      // appContext travels server-side into the launch; an absolute link must not carry it (cds-resp-3).
      const { app: _app, appContext: _appContext, ...rest } = link;
      return [{ ...rest, type: 'absolute', url: `${this.config.publicUrl}/cds-links/${token}` }];
    };
    const signed = cards.map((card) => {
      const feedback = signToken(secret, 'feedback', { s: ctx.serviceId, h: ctx.hookInstance, c: card.uuid as string, exp: feedbackExp });
      // Empty `links` are dropped by the host's wire rules after this step.
      return {
        ...card,
        links: card.links?.flatMap((link, index) => signLink(card, link, index)),
        extension: { ...card.extension, [FEEDBACK_URL_EXTENSION]: `${this.config.publicUrl}/cds-feedback/${feedback}` },
      };
    });
    await this.links.insert(rows);
    await this.appContexts.insert(contextRows);
    return signed;
  }

  /**
   * A click: verify, then either mint the launch (no user binding) or send the browser to the
   * authorization server, whose session says who clicked (`launchAs`).
   */
  async click(token: string): Promise<string> {
    const { row, client } = await this.resolve(token);
    if (linkUserBinding(this.config)) return `${this.config.publicUrl}/auth/cds-links/${token}`;
    return this.launch(row, client);
  }

  /** Refuses a link that could never launch (tampered, expired, unknown), before anyone is asked to sign in. */
  async check(token: string): Promise<void> {
    await this.resolve(token);
  }

  /** A click by the signed-in `fhirUser`: a launch only if that is the user the hook named. */
  async launchAs(token: string, fhirUser: string): Promise<string> {
    const { row, client } = await this.resolve(token);
    if (!isLinkUser(row.user_id, fhirUser)) {
      await this.record(row, 'wrong_user');
      throw new LinkWrongUser();
    }
    return this.launch(row, client);
  }

  /** Verifies the link and finds its stored context and registered app; a refusal is recorded. */
  private async resolve(token: string): Promise<{ row: CardLinkRow; client: SmartClientConfig & { launchUrl: string } }> {
    const secret = await this.secrets.secret(LINK_SECRET);
    const result = verifyToken(secret, 'link', token, Math.floor(Date.now() / 1000));
    if (!result.ok) {
      await this.record(null, result.reason === 'expired' ? 'expired' : 'rejected');
      if (result.reason === 'expired') throw new LinkGone();
      throw new LinkForbidden(result.reason);
    }
    const row = result.claims.l === undefined ? undefined : await this.links.find(result.claims.l, result.claims.c, result.claims.h);
    if (!row || row.app !== result.claims.a) {
      await this.record(null, 'rejected');
      throw new LinkForbidden('unknown link');
    }
    const client = this.config.smartClients.find((c) => c.clientId === row.app);
    if (!client?.launchUrl) {
      await this.record(row, 'rejected');
      throw new LinkForbidden('app no longer registered');
    }
    return { row, client: { ...client, launchUrl: client.launchUrl } };
  }

  /** Mints a fresh single-use launch within the link's budget and says where to send the browser. */
  private async launch(row: CardLinkRow, client: SmartClientConfig & { launchUrl: string }): Promise<string> {
    if (!isWithinLaunchBudget(await this.links.countLaunch(row.id), this.config.links.maxLaunches)) {
      await this.record(row, 'exhausted');
      throw new LinkUsedUp();
    }
    const fhirBase = urls.fhirBase(this.config);
    const launch = await this.launches.mint({
      clientId: row.app,
      iss: fhirBase,
      userId: row.user_id,
      patientId: row.patient_id,
      ...(row.encounter_id ? { encounterId: row.encounter_id } : {}),
      scopeCeiling: row.scope_ceiling,
      ...(row.app_context ? { appContext: row.app_context } : {}),
      hookInstance: row.hook_instance,
      serviceId: row.service_id,
      cardUuid: row.card_uuid,
    });
    await this.record(row, 'launched');
    // Only ever the app's *registered* launch URL (RFC 9700 §4.11: no open redirector).
    const target = new URL(client.launchUrl);
    target.searchParams.set('iss', fhirBase);
    target.searchParams.set('launch', launch);
    return target.toString();
  }

  /** Verifies a per-card feedback URL token; returns the card it is bound to. */
  async verifyFeedbackToken(token: string): Promise<{ serviceId: string; hookInstance: string; cardUuid: string }> {
    const secret = await this.secrets.secret(LINK_SECRET);
    const result = verifyToken(secret, 'feedback', token, Math.floor(Date.now() / 1000));
    if (!result.ok) {
      if (result.reason === 'expired') throw new LinkGone();
      throw new LinkForbidden(result.reason);
    }
    return { serviceId: result.claims.s, hookInstance: result.claims.h, cardUuid: result.claims.c };
  }

  /** Expired links; their click events are raw analytics events, purged by analytics/ once rolled up. */
  async purge(now: Date): Promise<void> {
    await this.links.purgeExpired(now);
    await this.appContexts.purge(now);
  }

  private async record(row: CardLinkRow | null, outcome: LinkOutcome): Promise<void> {
    await this.events.insert({ link: row, outcome, at: new Date() });
  }
}
