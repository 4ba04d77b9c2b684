import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SANDBOX_PROVIDER } from '@nudge/channels';
import { InboundMessagesService, type InboundOutcome } from '../inbound/inbound-messages.service';
import type { MessageView } from '../messages/message';
import { DeliveryReceiptsService } from '../providers/delivery-receipts.service';
import { parseSandboxInbound, parseSandboxStatus } from './sandbox-callbacks.input';

/**
 * The sandbox provider's webhooks: tests move messages on by our message id and reply
 * through them (SPEC §7). They carry no signature, so they keep needing the API key.
 */
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
  receive(@Body() body: unknown): Promise<InboundOutcome> {
    const input = parseSandboxInbound(body);
    return this.inbound.receive({ provider: SANDBOX_PROVIDER, ...input });
  }
}
