import { Injectable } from '@nestjs/common';
import { ReadyMessagesSignal } from '../sending/ready-messages.signal';

/** Rings the outbox relay after a commit that wrote status events, so it need not wait for its next poll. */
@Injectable()
export class OutboxSignal extends ReadyMessagesSignal {}
