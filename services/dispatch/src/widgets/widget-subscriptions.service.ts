import { Inject, Injectable } from '@nestjs/common';
import { senderAddress } from '@nudge/channel-rules';
import { type ChannelSubscription } from '@nudge/channels';
import { CONSENT_SOURCES, ServiceUnavailableError, type ProfileUpdate } from '@nudge/contracts';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { ActiveProviders } from '../providers/active-providers';
import { RecipientProfileChanges } from '../recipient-links/recipient-profile-changes';
import type { WidgetTokenRow } from './widget-binding';
import { verifyWidgetCode } from './widget-code';
import { WidgetTokensStore } from './widget-tokens.store';

/**
 * A chat that opened a widget's deep link (Telegram `/start <code>`, Viber context, Messenger
 * referral, WhatsApp code): the code checked (MAC, then its row under lock: live, not used by
 * another chat of the channel), then the chat bound to the code's user as ingest changes
 * profiles — the channel's address set and marketing consent granted, merged under the user's
 * lock with source `widget` and the widget's consent text version in the history, the profile
 * and its `consent_granted` published before the change commits — so a campaign can trigger on
 * it. An anonymous visitor's code creates their profile. A refused code binds nothing (logged).
 * A change not recorded (Kafka or Postgres down) answers 503 so the provider delivers again: the
 * chat's claim stays, and the redelivery records it.
 */
@Injectable()
export class WidgetSubscriptions {
  constructor(
    private readonly tokens: WidgetTokensStore,
    private readonly providers: ActiveProviders,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectPinoLogger('widgets') private readonly logger: PinoLogger,
    private readonly changes: RecipientProfileChanges,
  ) {}

  /** Binds each subscription's chat; how many were bound now (not refused, not bound before). */
  async bindAll(provider: string, subscriptions: readonly ChannelSubscription[]): Promise<number> {
    let bound = 0;
    for (const subscription of subscriptions) if (await this.bind(provider, subscription)) bound += 1;
    return bound;
  }

  private async bind(provider: string, subscription: ChannelSubscription): Promise<boolean> {
    const { channel, event } = subscription;
    const address = senderAddress(channel, subscription.from);
    const code = verifyWidgetCode(this.config.NUDGE_LINK_SECRET ?? [], subscription.code);
    if (!code.ok) {
      this.logger.info({ provider, channel, event }, 'widget subscription refused: not a code of ours');
      return false;
    }
    const now = this.clock.now();
    const verdict = await this.tokens.claim(code.id, channel, address, now);
    if (verdict.outcome !== 'bind' && verdict.outcome !== 'resume') {
      const userId = verdict.outcome === 'unknown' ? undefined : verdict.row.userId;
      this.logger.info(
        { provider, channel, event, codeId: code.id, userId, outcome: verdict.outcome },
        `widget subscription ${verdict.outcome}`,
      );
      return false;
    }
    try {
      await this.grantConsent(verdict.row, channel, address, now);
    } catch (error) {
      this.logger.error({ err: error, provider, channel, codeId: code.id, userId: verdict.row.userId }, 'widget subscription not recorded');
      throw new ServiceUnavailableError('the subscription could not be recorded now; deliver the webhook again', { cause: error });
    }
    await this.tokens.markBound(code.id, channel);
    this.logger.info(
      { provider, channel, event, widgetId: verdict.row.widgetId, userId: verdict.row.userId },
      'chat bound through a widget',
    );
    return true;
  }

  /**
   * The chat's address and marketing consent on the channel, with proof: source `widget`, the
   * time, and as text version `widget:<id>` (`widget:<id>:<textVersion>` when the widget names
   * the version of the text it shows). No IP or user agent: a webhook carries the provider's.
   */
  private async grantConsent(row: WidgetTokenRow, channel: ChannelSubscription['channel'], address: string, now: Date): Promise<void> {
    const version = this.providers.current().widgets[row.widgetId]?.textVersion;
    const textVersion = version === undefined ? `widget:${row.widgetId}` : `widget:${row.widgetId}:${version}`;
    const update: ProfileUpdate = { channels: { [channel]: { address, consent: { marketing: true } } } };
    const change = { at: now.toISOString(), source: CONSENT_SOURCES.widget, proof: { textVersion } };
    await this.changes.merge(row.userId, update, change);
  }
}
