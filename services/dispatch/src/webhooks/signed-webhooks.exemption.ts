import { Injectable } from '@nestjs/common';
import type { ApiKeyExemptionPolicy } from '@nudge/service-runtime';
import type { Request } from 'express';
import { ProviderWebhooksService } from './provider-webhooks.service';

/**
 * Providers cannot send our bearer key: a webhook of a provider that verifies its
 * signature skips NUDGE_API_KEY (the signature stands in for it). Any other provider name
 * (sandbox, unknown) still needs the key.
 */
@Injectable()
export class SignedWebhooksExemption implements ApiKeyExemptionPolicy {
  constructor(private readonly webhooks: ProviderWebhooksService) {}

  exempts(request: Request): boolean {
    const provider = request.params.provider;
    return typeof provider === 'string' && this.webhooks.verifiesSignatures(provider);
  }
}
