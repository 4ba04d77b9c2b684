import { ValidationError, type Channel } from '@nudge/contracts';
import type { CampaignDocument, CampaignInput } from '../campaign.schema';
import { compileCampaign } from '../compile-campaign';
import type { CompiledCampaign } from '../compiled-campaign';
import type { ConditionTree } from '../condition-tree';
import { validateCampaign } from '../validate-campaign';

/**
 * Test support: `aCampaign().withDelay('PT2S').withConditions({...}).compile()`. Starts as a
 * valid one-message campaign; each `with…` returns a new builder, so a base can be shared.
 */
export function aCampaign(id = 'cart-abandon-sms'): CampaignBuilder {
  return new CampaignBuilder({
    id,
    name: 'Abandoned cart nudge',
    trigger: { event: 'cart_abandoned' },
    message: { channel: 'sms', body: 'Hi {{ profile.attributes.firstName }}, your cart is waiting' },
  });
}

export class CampaignBuilder {
  constructor(private readonly input: Record<string, unknown>) {}

  /** Sets any field as written in a document, valid or not (for validation tests). */
  with(field: string, value: unknown): CampaignBuilder {
    return new CampaignBuilder({ ...structuredClone(this.input), [field]: structuredClone(value) });
  }

  without(field: string): CampaignBuilder {
    const { [field]: _removed, ...rest } = structuredClone(this.input);
    return new CampaignBuilder(rest);
  }

  withTrigger(event: string, conditions?: ConditionTree): CampaignBuilder {
    return this.with('trigger', conditions === undefined ? { event } : { event, conditions });
  }

  withConditions(conditions: ConditionTree): CampaignBuilder {
    return this.with('trigger', { ...(this.input.trigger as object), conditions });
  }

  withDelay(delay: string): CampaignBuilder {
    return this.with('delay', delay);
  }

  withStatus(status: CampaignDocument['status']): CampaignBuilder {
    return this.with('status', status);
  }

  withSchedule(schedule: { start?: string | Date; end?: string | Date }): CampaignBuilder {
    return this.with('schedule', schedule);
  }

  withMessage(message: Record<string, unknown>): CampaignBuilder {
    return this.with('message', { ...(this.input.message as object), ...message });
  }

  withChannels(...channels: Channel[]): CampaignBuilder {
    return this.withMessage({ channel: channels.length === 1 ? channels[0] : channels });
  }

  /** A journey: these steps instead of one message and its delay. */
  withSteps(steps: Record<string, unknown>[]): CampaignBuilder {
    return this.without('message').without('delay').with('steps', steps);
  }

  /** The document as a file would hold it. */
  build(): CampaignInput {
    return structuredClone(this.input) as CampaignInput;
  }

  /** The validated document; throws a ValidationError listing every issue. */
  document(): CampaignDocument {
    const result = validateCampaign(this.input);
    if (!result.ok) {
      throw new ValidationError(`invalid campaign: ${result.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, result.errors);
    }
    return result.campaign;
  }

  compile(version = 1): CompiledCampaign {
    return compileCampaign(this.document(), version);
  }
}
