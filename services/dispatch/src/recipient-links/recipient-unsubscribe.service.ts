import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Channel, ConsentProof, Profile } from '@nudge/contracts';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import type { TokenVerdict } from './recipient-link-token';
import { recipientLinksFrom, type RecipientLinks } from './recipient-links';
import { RecipientProfileChanges } from './recipient-profile-changes';

/**
 * How an unsubscribe was asked for, the `source` of the consent change: a mail client's
 * RFC 8058 POST (`List-Unsubscribe=One-Click`), or the button of the page the link opens.
 */
export type UnsubscribeSource = 'one_click' | 'unsubscribe_link';

/** What a presented unsubscribe token did: refused, or accepted (`withdrawn`: consent changed now, not before). */
export type UnsubscribeOutcome =
  Extract<TokenVerdict, { ok: false }> | { ok: true; channel: Channel; withdrawn: boolean } | { ok: false; reason: 'unavailable' };

/**
 * A recipient's unsubscribe link: its token checked (signature, purpose, expiry), then the
 * user's marketing consent on the link's channel withdrawn as ingest changes profiles
 * (RecipientProfileChanges: under the user's lock, consent history with the request's proof,
 * profile and `consent_withdrawn` published before commit) — so rules' next decision answers
 * `no_consent`. A consent already withdrawn is left as it is (repeated POSTs change nothing),
 * and a user without a profile (erased, or never stored) gets none: the link answers the same.
 */
@Injectable()
export class RecipientUnsubscribe implements OnModuleInit {
  private readonly links: RecipientLinks;

  constructor(
    private readonly changes: RecipientProfileChanges,
    @Inject(DISPATCH_CONFIG) config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectPinoLogger('recipient-links') private readonly logger: PinoLogger,
  ) {
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

  /** The profile a link's page is about (for its language), or null. */
  profileOf(userId: string): Promise<Profile | null> {
    return this.changes.profileOf(userId);
  }

  async unsubscribe(token: string, source: UnsubscribeSource, proof: ConsentProof = {}): Promise<UnsubscribeOutcome> {
    const verdict = this.check(token);
    if (!verdict.ok) return verdict;
    const { userId, channel, messageId } = verdict.claims;
    const current = await this.changes.profileOf(userId);
    if (current === null || current.channels[channel]?.consent.marketing === false) return { ok: true, channel, withdrawn: false };
    const update = { channels: { [channel]: { consent: { marketing: false } } } };
    const outcome = await this.changes.apply(userId, update, { at: this.clock.now().toISOString(), source, proof });
    if (outcome === 'unavailable') return { ok: false, reason: 'unavailable' };
    if (outcome === 'no_profile') return { ok: true, channel, withdrawn: false };
    this.logger.info({ userId, channel, messageId, source }, 'marketing consent withdrawn through an unsubscribe link');
    return { ok: true, channel, withdrawn: true };
  }
}
