import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SANDBOX_PROVIDER } from '@nudge/channels';
import type { MessageView } from '../../messages/message';
import { DeliveryReceiptsService } from '../delivery-receipts.service';
import { InboundMessagesService } from '../inbound-messages.service';
import { parseSandboxInbound, parseSandboxStatus } from './sandbox-callbacks.input';

/** The sandbox provider's webhooks: tests move messages on and reply through them (SPEC §7). */
@Controller(`v1/providers/${SANDBOX_PROVIDER}`)
export class SandboxCallbacksController {
  constructor(
    private readonly receipts: DeliveryReceiptsService,
    private readonly inbound: InboundMessagesService,
  ) {}

  @Post('status')
  @HttpCode(200)
  status(@Body() body: unknown): Promise<MessageView> {
    const input = parseSandboxStatus(body);
    return this.receipts.report({ provider: SANDBOX_PROVIDER, ...input });
  }

  @Post('inbound')
  @HttpCode(200)
  async receive(@Body() body: unknown): Promise<{ repliedTo: MessageView | null }> {
    const input = parseSandboxInbound(body);
    return { repliedTo: await this.inbound.receive({ provider: SANDBOX_PROVIDER, ...input }) };
  }
}
