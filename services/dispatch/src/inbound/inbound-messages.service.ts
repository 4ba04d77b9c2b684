import { Inject, Injectable } from '@nestjs/common';
import { keywordIntent, senderAddress, suppressionAddress, type KeywordIntent } from '@nudge/channel-rules';
import { type ChannelOptOut } from '@nudge/channels';
import type { Channel } from '@nudge/contracts';
import { applySuppression, inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK } from '../clock';
import { OptInConfirmation } from '../double-opt-in/opt-in-confirmation.service';
import { replyEvidence } from '../double-opt-in/pending-confirmation';
import { toMessageView, type MessageView, type StoredMessage } from '../messages/message';
import { MessageStore } from '../messages/message.store';
import { afterUpdate } from '../messages/status-reports';
import { StatusEventsOutbox } from '../outbox/status-events.outbox';
import { ActiveProviders } from '../providers/active-providers';
import { DeliveryReceiptsService } from '../providers/delivery-receipts.service';
import { ReadyMessagesSignal } from '../sending/ready-messages.signal';
import { InboundMessagesStore } from './inbound-messages.store';
import { keywordReply } from './keyword-reply';

/** A message a recipient sent us on a channel, through a provider. */
export interface InboundMessage {
  provider: string;
  channel: Channel;
  from: string;
  text: string;
  /** When the provider says it was written; defaults to now. */
  at?: string;
  /** The provider's id of the message: a redelivery with the same id is recognised and changes nothing. */
  providerMessageId?: string;
}

export interface InboundOutcome {
  /** The message the reply answers (now `replied`), or null when nothing was sent to that address. */
  repliedTo: MessageView | null;
  /** Whether it was a STOP keyword: marketing to the address on the channel is stopped, whoever holds it. */
  unsubscribed: boolean;
  /** Whether it was a START keyword: the address's opt-out on the channel is lifted. */
  resubscribed: boolean;
  /** Whether the provider had delivered this message before (same provider message id): nothing was done again. */
  duplicate: boolean;
  /** How many profiles' pending double opt-in this YES confirmed (marketing consent now true). */
  optInsConfirmed: number;
}

/**
 * Handles what recipients send us, one transaction per message: record it (a provider message
 * id already recorded: a redelivery, nothing more is done) → a STOP or START keyword sets the
 * opt-out of the sender's address on the channel (suppressions: every profile holding the
 * address, now and later; rules reads it at send time) and queues its confirmation (a START
 * such as YES first confirms the pending double opt-ins asked at that address) → the
 * newest message sent to that address becomes `replied` and `message_replied` is published
 * with the text (every reply is an event of its own, also to a message already replied).
 *
 * The STOP no longer withdraws the consent of the profile whose message was answered: that
 * was another profile's when the number changed hands, nothing when we never wrote to it, and
 * a START could not tell which withdrawal to undo. The address's suppression is the one truth.
 */
@Injectable()
export class InboundMessagesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly messages: MessageStore,
    private readonly inbound: InboundMessagesStore,
    private readonly receipts: DeliveryReceiptsService,
    private readonly outbox: StatusEventsOutbox,
    private readonly providers: ActiveProviders,
    private readonly readyMessages: ReadyMessagesSignal,
    private readonly optIns: OptInConfirmation,
  ) {}

  async receive(inbound: InboundMessage): Promise<InboundOutcome> {
    const [outcome] = await this.receiveAll([inbound]);
    if (!outcome) throw new Error('inbound message not handled');
    return outcome;
  }

  /** The messages of one provider webhook, in order, each in its own transaction. */
  async receiveAll(messages: InboundMessage[]): Promise<InboundOutcome[]> {
    const outcomes: InboundOutcome[] = [];
    for (const inbound of messages) outcomes.push(await this.receiveOne(inbound, this.clock.now().toISOString()));
    return outcomes;
  }

  /**
   * Channel-side opt-outs (a blocked bot, a Viber unsubscribe…): the address's suppression is
   * set as a STOP or START sets it, at the provider's time; no confirmation is sent (the
   * channel would refuse it or shows its own). A redelivery sets the same state again.
   */
  async optOut(provider: string, optOuts: ChannelOptOut[]): Promise<number> {
    const now = this.clock.now().toISOString();
    let applied = 0;
    for (const optOut of optOuts) {
      const change = {
        channel: optOut.channel,
        address: suppressionAddress(optOut.channel, senderAddress(optOut.channel, optOut.from)),
        suppressed: optOut.suppressed,
        keyword: optOut.event,
        source: `provider:${provider}`,
        changedAt: receivedAt(optOut.at, now),
      };
      if (await inTransaction(this.dataSource, (manager) => applySuppression(manager, change))) applied += 1;
    }
    return applied;
  }

  private async receiveOne(inbound: InboundMessage, now: string): Promise<InboundOutcome> {
    const fromAddress = senderAddress(inbound.channel, inbound.from);
    const answered = await this.messages.latestSentTo(inbound.channel, fromAddress);
    const intent = keywordIntent(inbound.text);
    const at = receivedAt(inbound.at, now);
    // Before the message is recorded: a failed confirmation (Kafka down) throws, the provider
    // delivers the YES again, and it is not taken for a redelivery already handled.
    const confirmed = intent === 'start' ? await this.confirmOptIns(inbound, fromAddress, at) : [];
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const inboundId = await this.inbound.record(manager, {
        provider: inbound.provider,
        providerMessageId: inbound.providerMessageId ?? null,
        channel: inbound.channel,
        fromAddress,
        userId: answered?.userId ?? null,
        messageId: answered?.id ?? null,
        text: inbound.text,
        receivedAt: at,
      });
      if (inboundId === null) return { repliedTo: null, queuedReply: false, duplicate: true };
      const queuedReply = intent ? await this.applyKeyword(manager, inbound, { fromAddress, answered, intent, inboundId, at, now }) : false;
      const message = answered && (await this.messages.lockById(manager, answered.id));
      const repliedTo = message ? await this.markReplied(manager, message, inbound.text, inboundId, now) : null;
      return { repliedTo, queuedReply, duplicate: false };
    });
    this.outbox.committed();
    if (outcome.queuedReply) this.readyMessages.ring();
    return {
      repliedTo: outcome.repliedTo,
      unsubscribed: intent === 'stop',
      resubscribed: intent === 'start',
      duplicate: outcome.duplicate,
      optInsConfirmed: confirmed.length,
    };
  }

  /**
   * A YES (any START keyword) confirms the double opt-in of every profile asked to confirm at
   * this address on this channel whose marketing consent is still pending; with none pending
   * it is only the START it always was. Confirming again is nothing (no longer pending).
   */
  private confirmOptIns(inbound: InboundMessage, fromAddress: string, at: string): Promise<string[]> {
    const evidence = replyEvidence({ ...inbound, from: fromAddress });
    return this.optIns.confirmAddress(inbound.channel, suppressionAddress(inbound.channel, fromAddress), { at, evidence });
  }

  /** Sets the address's opt-out and queues the confirmation; answers whether one was queued. */
  private async applyKeyword(
    manager: EntityManager,
    inbound: InboundMessage,
    keyword: { fromAddress: string; answered: StoredMessage | null; intent: KeywordIntent; inboundId: string; at: string; now: string },
  ): Promise<boolean> {
    const { fromAddress, answered, intent, inboundId, at, now } = keyword;
    const address = suppressionAddress(inbound.channel, fromAddress);
    await applySuppression(manager, {
      channel: inbound.channel,
      address,
      suppressed: intent === 'stop',
      keyword: inbound.text.trim().toUpperCase(),
      source: `inbound:${inbound.provider}`,
      changedAt: at,
    });
    const { registry, keywordReplies } = this.providers.current();
    const reply = keywordReply(
      {
        provider: inbound.provider,
        channel: inbound.channel,
        to: fromAddress,
        intent,
        inboundId: inbound.providerMessageId ?? `nudge-${inboundId}`,
        userId: answered?.userId ?? `address:${inbound.channel}:${address}`,
        replies: keywordReplies,
        at: now,
      },
      registry.forChannel(inbound.channel).name,
    );
    const inserted = await this.messages.insertNew(manager, [reply], now);
    return inserted.length > 0;
  }

  private async markReplied(
    manager: EntityManager,
    message: StoredMessage,
    text: string,
    inboundId: string,
    at: string,
  ): Promise<MessageView> {
    const event = { id: `${message.id}:replied:${inboundId}`, properties: { text } };
    const outcome = await this.receipts.applyLocked(manager, message, [{ status: 'replied', event }]);
    // A reply to a message already `replied` is no change, but still an event of its own.
    const replyOnly = outcome.changes.length === 0 ? [{ message, status: 'replied' as const, at, event }] : [];
    await this.outbox.add(manager, outcome.changes, replyOnly);
    return toMessageView(afterUpdate(message, outcome.update));
  }
}

/** The provider's time of writing when it gives a valid one no later than now; otherwise now. */
function receivedAt(at: string | undefined, now: string): string {
  const given = at === undefined ? Number.NaN : Date.parse(at);
  return Number.isNaN(given) || given > Date.parse(now) ? now : new Date(given).toISOString();
}
