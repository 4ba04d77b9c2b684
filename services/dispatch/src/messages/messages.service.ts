import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@nudge/contracts';
import { toMessageView, type MessageView } from './message';
import { MessageStore, type MessageFilter } from './message.store';

/** Reads messages for the API. */
@Injectable()
export class MessagesService {
  constructor(private readonly store: MessageStore) {}

  async list(filter: MessageFilter): Promise<MessageView[]> {
    return (await this.store.list(filter)).map(toMessageView);
  }

  async get(id: string): Promise<MessageView> {
    const message = await this.store.findById(id);
    if (!message) throw new NotFoundError(`no message ${id}`);
    return toMessageView(message);
  }
}
