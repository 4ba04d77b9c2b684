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

/** Who wrote an inbound message: the newest message sent to that address, and whether it is a STOP. */
interface IdentifiedSender {
  inbound: InboundMessage;
  fromAddress: string;
  answered: StoredMessage | null;
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
    const now = this.clock.now().toISOString();
    const sender = await this.identify(inbound);
    await this.withdrawIfStop(sender, now);
    return this.record(sender, now);
  }

  /**
   * The messages of one provider webhook: every STOP among them is applied before any message
   * is recorded. A STOP that cannot be applied (Kafka past its deadline: 503, the provider
   * redelivers the whole webhook) then leaves none of them recorded, so none is recorded twice.
   */
  async receiveAll(messages: InboundMessage[]): Promise<InboundOutcome[]> {
    const now = this.clock.now().toISOString();
    const senders: IdentifiedSender[] = [];
    for (const inbound of messages) senders.push(await this.identify(inbound));
    for (const sender of senders) await this.withdrawIfStop(sender, now);
    const outcomes: InboundOutcome[] = [];
    for (const sender of senders) outcomes.push(await this.record(sender, now));
    return outcomes;
  }

  private async identify(inbound: InboundMessage): Promise<IdentifiedSender> {
    const fromAddress = senderAddress(inbound.channel, inbound.from);
    const answered = await this.messages.latestSentTo(inbound.channel, fromAddress);
    return { inbound, fromAddress, answered, unsubscribed: answered !== null && isUnsubscribeRequest(inbound.text) };
  }

  /** Before the message is recorded: a STOP that fails (503) leaves nothing for the provider's redelivery to duplicate. */
  private async withdrawIfStop({ inbound, answered, unsubscribed }: IdentifiedSender, now: string): Promise<void> {
    if (!unsubscribed || !answered) return;
    await this.consent.withdrawMarketing(answered.userId, inbound.channel, { at: now, source: `inbound:${inbound.provider}:STOP` });
  }

  private async record({ inbound, fromAddress, answered, unsubscribed }: IdentifiedSender, now: string): Promise<InboundOutcome> {
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
