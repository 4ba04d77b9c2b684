import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Channel, ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileStore } from '@nudge/persistence';
import { DATA_SOURCE, PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import type { TokenVerdict } from './recipient-link-token';
import { recipientLinksFrom, type RecipientLinks } from './recipient-links';

/**
 * How an unsubscribe was asked for, the `source` of the consent change: a mail client's
 * RFC 8058 POST (`List-Unsubscribe=One-Click`), or the button of the page the link opens.
 */
export type UnsubscribeSource = 'one_click' | 'unsubscribe_link';

/** What a presented unsubscribe token did: refused, or accepted (`withdrawn`: consent changed now, not before). */
export type UnsubscribeOutcome =
  Extract<TokenVerdict, { ok: false }> | { ok: true; channel: Channel; withdrawn: boolean } | { ok: false; reason: 'unavailable' };

/** The profile did not exist before the merge: nothing to withdraw, and no profile to create. */
class NoProfile extends Error {}

/**
 * A recipient's unsubscribe link: its token checked (signature, purpose, expiry), then the
 * user's marketing consent on the link's channel withdrawn as ingest changes profiles —
 * merged under the user's lock with the time and source in the consent log and history, the
 * profile and its `consent_withdrawn` event published on the profiles and events topics
 * (within DISPATCH_PUBLISH_TIMEOUT_MS) before the change commits — so rules' next decision answers `no_consent`. A consent already withdrawn is
 * left as it is (repeated POSTs change nothing), and a user without a profile (erased, or
 * never stored) gets none: the link answers the same either way.
 */
@Injectable()
export class RecipientUnsubscribe implements OnModuleInit {
  private readonly profiles: ProfileStore;
  private readonly links: RecipientLinks;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectPinoLogger('recipient-links') private readonly logger: PinoLogger,
  ) {
    this.profiles = new ProfileStore(dataSource);
    this.links = recipientLinksFrom(config);
  }

  onModuleInit(): void {
    if (this.links.enabled) return;
    this.logger.warn(
      'NUDGE_LINK_SECRET is not set: messages carry no unsubscribe link ({{ unsubscribe_url }} renders empty, e-mail has no ' +
        'List-Unsubscribe, which Gmail and Yahoo require of bulk senders)',
    );
  }

  /** Whether the token is a live unsubscribe link (the page shown on GET; nothing changes). */
  check(token: string): TokenVerdict {
    return this.links.verifyUnsubscribe(token, this.clock.now());
  }

  async unsubscribe(token: string, source: UnsubscribeSource): Promise<UnsubscribeOutcome> {
    const verdict = this.check(token);
    if (!verdict.ok) return verdict;
    const { userId, channel, messageId } = verdict.claims;
    const current = await this.profiles.get(userId);
    if (current === null || current.channels[channel]?.consent.marketing === false) return { ok: true, channel, withdrawn: false };
    const update: ProfileUpdate = { channels: { [channel]: { consent: { marketing: false } } } };
    try {
      await this.profiles.merge(userId, update, { at: this.clock.now().toISOString(), source }, async (profile, consentEvents) => {
        if (profile.version === 1) throw new NoProfile();
        await this.producer.publishProfileChange(this.topics, userId, profile, consentEvents, this.config.DISPATCH_PUBLISH_TIMEOUT_MS);
      });
    } catch (error) {
      if (error instanceof NoProfile) return { ok: true, channel, withdrawn: false };
      this.logger.error({ err: error, userId, channel, messageId, source }, 'unsubscribe not applied');
      return { ok: false, reason: 'unavailable' };
    }
    this.logger.info({ userId, channel, messageId, source }, 'marketing consent withdrawn through an unsubscribe link');
    return { ok: true, channel, withdrawn: true };
  }
}
