import { Injectable } from '@nestjs/common';
import type { Channel } from '@nudge/contracts';
import type { MessageView } from '../messages/message';
import { MessageStore } from '../messages/message.store';
import { DeliveryReceiptsService } from './delivery-receipts.service';

/** A message a recipient sent back on a channel. */
export interface InboundMessage {
  provider: string;
  channel: Channel;
  from: string;
  text: string;
}

/**
 * Handles replies: the newest message sent to the sender's address on that channel
 * becomes `replied`. Unsubscribe keywords (STOP, BAJA…) are not handled yet.
 */
@Injectable()
export class InboundMessagesService {
  constructor(
    private readonly store: MessageStore,
    private readonly receipts: DeliveryReceiptsService,
  ) {}

  /** Answers the message the reply answers, or null when nothing was sent to that address. */
  async receive(inbound: InboundMessage): Promise<MessageView | null> {
    const repliedTo = await this.store.latestSentTo(inbound.channel, inbound.from, inbound.provider);
    if (!repliedTo) return null;
    return this.receipts.report({ provider: inbound.provider, messageId: repliedTo.id, status: 'replied' });
  }
}
