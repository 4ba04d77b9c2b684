import { Inject, Injectable } from '@nestjs/common';
import { suppressionAddress } from '@nudge/channel-rules';
import { CONSENT_SOURCES, type Channel, type ConsentProof, type Profile, type ProfileUpdate } from '@nudge/contracts';
import { pendingOptInsAt, removePendingOptIn } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { MessageStore } from '../messages/message.store';
import type { TokenVerdict } from '../recipient-links/recipient-link-token';
import { RecipientProfileChanges } from '../recipient-links/recipient-profile-changes';
import { confirmLinksFrom, type ConfirmLinks } from './confirm-links';
import { isPendingOn, linkEvidence } from './pending-confirmation';

/** What a presented confirmation token did: refused, or accepted (`confirmed`: pending until now). */
export type LinkConfirmation =
  { ok: true; channel: Channel; confirmed: boolean } | { ok: false; reason: 'invalid' | 'expired' | 'unavailable' };

/** Thrown inside the merge when the consent is no longer pending: the transaction rolls back. */
class NotPending extends Error {}

/** How a confirmation came: its time, IP and user agent where known, and what else proves it. */
export interface ConfirmationProof {
  at: string;
  proof?: ConsentProof;
  evidence: string;
}

/**
 * Confirms double opt-ins (issue #12 item 4): a pending marketing consent becomes `true` with
 * source `double_opt_in` and its proof, merged as ingest merges profiles — under the user's
 * lock, appended to the consent history, the profile and its `consent_confirmed` event
 * published (within DISPATCH_PUBLISH_TIMEOUT_MS) before the change commits. A consent that is
 * no longer pending when the lock is held is left as it is. A failed publish throws: nothing
 * is recorded, and the caller answers so the recipient or provider tries again.
 */
@Injectable()
export class OptInConfirmation {
  private readonly links: ConfirmLinks;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DISPATCH_CONFIG) config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectPinoLogger('double-opt-in') private readonly logger: PinoLogger,
    private readonly messages: MessageStore,
    private readonly changes: RecipientProfileChanges,
  ) {
    this.links = confirmLinksFrom(config);
  }

  /** Whether the token is a live confirmation link (the page a GET shows; nothing changes). */
  check(token: string): TokenVerdict {
    return this.links.verify(token, this.clock.now());
  }

  /** A confirmation link's POST: the token checked, then the user's pending consent on its channel confirmed with the request's proof. */
  async confirmLink(token: string, proof: ConsentProof): Promise<LinkConfirmation> {
    const verdict = this.check(token);
    if (!verdict.ok) return verdict;
    const { userId, channel, messageId } = verdict.claims;
    try {
      const address = await this.addressSentTo(channel, messageId);
      const confirmed = await this.confirm(userId, channel, { at: this.now(), proof, evidence: linkEvidence(messageId) }, address);
      return { ok: true, channel, confirmed };
    } catch (error) {
      this.logger.error({ err: error, userId, channel, messageId }, 'double opt-in confirmation not applied');
      return { ok: false, reason: 'unavailable' };
    }
  }

  /** Confirms every user asked to confirm at this address on this channel whose consent is still pending; answers who was confirmed. */
  async confirmAddress(channel: Channel, address: string, proof: ConfirmationProof): Promise<string[]> {
    const userIds = await pendingOptInsAt(this.dataSource.manager, channel, address);
    const confirmed: string[] = [];
    for (const userId of userIds) if (await this.confirm(userId, channel, proof, address)) confirmed.push(userId);
    return confirmed;
  }

  /**
   * Confirms the user's pending marketing consent on the channel — from `address`, when a reply
   * confirms: the profile must still hold it; false when it was not pending (there).
   */
  async confirm(userId: string, channel: Channel, proof: ConfirmationProof, address?: string): Promise<boolean> {
    const update: ProfileUpdate = { channels: { [channel]: { consent: { marketing: true } } } };
    const change = {
      at: proof.at,
      source: CONSENT_SOURCES.doubleOptIn,
      evidence: proof.evidence,
      ...(proof.proof ? { proof: proof.proof } : {}),
    };
    try {
      await this.changes.merge(userId, update, change, (previous) => {
        if (!isPendingOn(previous, channel, address)) throw new NotPending();
      });
    } catch (error) {
      if (!(error instanceof NotPending)) throw error;
      await this.forget(userId, channel);
      return false;
    }
    await this.forget(userId, channel);
    this.logger.info({ userId, channel }, 'double opt-in confirmed');
    return true;
  }

  /**
   * Where the link's message went, keyed as suppressions are: the link confirms only while the
   * profile still holds that address. A message no longer stored (retention) checks nothing more.
   */
  private async addressSentTo(channel: Channel, messageId: string | undefined): Promise<string | undefined> {
    const message = messageId === undefined ? null : await this.messages.findById(messageId);
    return message ? suppressionAddress(channel, message.recipient) : undefined;
  }

  /** The stored profile (its locale chooses the pages' language), or null. */
  profileOf(userId: string): Promise<Profile | null> {
    return this.changes.profileOf(userId);
  }

  /** The clock confirmations by link are dated by (a reply is dated by its provider). */
  private now(): string {
    return this.clock.now().toISOString();
  }

  private forget(userId: string, channel: Channel): Promise<void> {
    return removePendingOptIn(this.dataSource.manager, userId, channel);
  }
}
