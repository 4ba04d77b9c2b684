import { Inject, Injectable } from '@nestjs/common';
import { isUnsubscribeRequest, senderAddress } from '@nudge/channels';
import type { Channel } from '@nudge/contracts';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK } from '../clock';
import { toMessageView, type MessageView, type StoredMessage } from '../messages/message';
import { MessageStore } from '../messages/message.store';
import { afterUpdate } from '../messages/status-reports';
import { StatusEventsOutbox } from '../outbox/status-events.outbox';
import { DeliveryReceiptsService } from '../providers/delivery-receipts.service';
import { ConsentWithdrawal } from './consent-withdrawal';
import { InboundMessagesStore } from './inbound-messages.store';

/** A message a recipient sent us on a channel, through a provider. */
export interface InboundMessage {
  provider: string;
  channel: Channel;
  from: string;
  text: string;
  /** When the provider says it was written; defaults to now. */
  at?: string;
}

export interface InboundOutcome {
  /** The message the reply answers (now `replied`), or null when nothing was sent to that address. */
  repliedTo: MessageView | null;
  /** Whether it withdrew marketing consent (an unsubscribe keyword from a known recipient). */
  unsubscribed: boolean;
}

/**
 * Handles what recipients send us: find who wrote (the user of the newest message sent to
 * that address on that channel) → an unsubscribe keyword withdraws their marketing consent
 * on the channel at once → record the inbound message, mark the message `replied` and
 * publish `message_replied` with the text (every reply is an event of its own, also to a
 * message already replied). From an unknown address it is only recorded.
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
    private readonly consent: ConsentWithdrawal,
  ) {}

  async receive(inbound: InboundMessage): Promise<InboundOutcome> {
    const fromAddress = senderAddress(inbound.channel, inbound.from);
    const answered = await this.messages.latestSentTo(inbound.channel, fromAddress);
    const now = this.clock.now().toISOString();
    const unsubscribed = answered !== null && isUnsubscribeRequest(inbound.text);
    if (unsubscribed) {
      await this.consent.withdrawMarketing(answered.userId, inbound.channel, { at: now, source: `inbound:${inbound.provider}:STOP` });
    }
    const repliedTo = await inTransaction(this.dataSource, async (manager) => {
      const inboundId = await this.inbound.record(manager, {
        provider: inbound.provider,
        channel: inbound.channel,
        fromAddress,
        userId: answered?.userId ?? null,
        messageId: answered?.id ?? null,
        text: inbound.text,
        receivedAt: receivedAt(inbound.at, now),
      });
      const message = answered && (await this.messages.lockById(manager, answered.id));
      if (!message) return null;
      return this.markReplied(manager, message, inbound.text, inboundId, now);
    });
    this.outbox.committed();
    return { repliedTo, unsubscribed };
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
