import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiKeyExempt, type RequestWithRawBody } from '@nudge/service-runtime';
import type { Response } from 'express';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { ProviderWebhooksService, type WebhookOutcome } from './provider-webhooks.service';
import { SignedWebhooksExemption } from './signed-webhooks.exemption';
import { webhookRequestOf } from './webhook-request';

interface InvalidSignature {
  error: { code: 'invalid_signature'; message: string; details: { path: string; message: string }[] };
}

/**
 * Every provider's callbacks (SPEC §7): `POST …/status` (delivery receipts) and `POST
 * …/inbound` (replies) take whatever the provider sends, and `GET` answers the handshake
 * of providers that check the endpoint first. Registered after the sandbox's own routes.
 */
@Controller('v1/providers/:provider')
@ApiKeyExempt(SignedWebhooksExemption)
export class ProviderWebhooksController {
  constructor(
    private readonly webhooks: ProviderWebhooksService,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
  ) {}

  @Post('status')
  @HttpCode(200)
  status(@Param('provider') provider: string, @Req() request: RequestWithRawBody, @Res({ passthrough: true }) response: Response) {
    return this.receive(provider, request, response);
  }

  @Post('inbound')
  @HttpCode(200)
  inbound(@Param('provider') provider: string, @Req() request: RequestWithRawBody, @Res({ passthrough: true }) response: Response) {
    return this.receive(provider, request, response);
  }

  @Get(['status', 'inbound'])
  handshake(@Param('provider') provider: string, @Req() request: RequestWithRawBody, @Res({ passthrough: true }) response: Response) {
    const answer = this.webhooks.handshake(provider, webhookRequestOf(request, this.config.PUBLIC_URL));
    if (answer === null) {
      response.status(403);
      const message = `${provider} handshake refused`;
      return { error: { code: 'handshake_refused', message, details: [{ path: '(query)', message: 'wrong or missing verify token' }] } };
    }
    response.type('text/plain');
    return answer;
  }

  private async receive(provider: string, request: RequestWithRawBody, response: Response): Promise<WebhookOutcome | InvalidSignature> {
    const verdict = await this.webhooks.receive(provider, webhookRequestOf(request, this.config.PUBLIC_URL));
    if (verdict.outcome === 'processed') return verdict.processed;
    response.status(401);
    const message = `the request does not carry a valid ${provider} signature`;
    return { error: { code: 'invalid_signature', message, details: [{ path: '(signature)', message }] } };
  }
}
