import { Controller, Get, Param, Query } from '@nestjs/common';
import { parseListMessagesQuery } from './list-messages.query';
import type { MessageView } from './message';
import { MessagesService } from './messages.service';

@Controller('v1/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<{ items: MessageView[] }> {
    return { items: await this.messages.list(parseListMessagesQuery(query)) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<MessageView> {
    return this.messages.get(id);
  }
}
