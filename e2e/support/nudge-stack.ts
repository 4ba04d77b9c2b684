import { createDispatchApp } from '@nudge/dispatch';
import { createIngestApp } from '@nudge/ingest';
import { createRulesApp } from '@nudge/rules';
import { TestStack, type StackOptions } from '@nudge/testing';

/** The three services in this process, on the run's Kafka, with a database of their own. */
export function startNudge(options: Omit<StackOptions, 'factories'> = {}): Promise<TestStack> {
  return TestStack.start({
    factories: { ingest: createIngestApp, rules: createRulesApp, dispatch: createDispatchApp },
    ...options,
  });
}

/** A campaign document as the rules API takes it (what the builder sets; a test may add more). */
export interface CampaignDocument {
  id: string;
  name: string;
  category: string;
  status: string;
  trigger: { event: string; conditions?: unknown };
  delay: string;
  message: { channel: string; sender?: string; body: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Builds campaign documents for tests: `aCampaign('c1').withDelay('PT2S').build()`. */
export class CampaignBuilder {
  private readonly document: CampaignDocument;

  constructor(id: string) {
    this.document = {
      id,
      name: `test campaign ${id}`,
      category: 'marketing',
      status: 'active',
      trigger: { event: 'cart_abandoned' },
      delay: 'PT0S',
      message: { channel: 'sms', sender: 'ACME', body: 'Hi {{ profile.attributes.firstName }}, cart {{ event.properties.cartValue }}' },
    };
  }

  triggeredBy(event: string): this {
    this.document.trigger.event = event;
    return this;
  }
  withCondition(path: string, operator: string, value: unknown): this {
    this.document.trigger.conditions = { all: [{ fact: 'event', path, operator, value }] };
    return this;
  }
  withDelay(delay: string): this {
    this.document.delay = delay;
    return this;
  }
  withStatus(status: 'active' | 'paused' | 'archived'): this {
    this.document.status = status;
    return this;
  }
  withBody(body: string): this {
    this.document.message.body = body;
    return this;
  }
  build(): CampaignDocument {
    return structuredClone(this.document);
  }
}

export const aCampaign = (id: string) => new CampaignBuilder(id);

/** A profile with an SMS number and marketing consent. */
export function aReachableProfile(firstName = 'Ana', phone = '+34600000001') {
  return {
    attributes: { firstName },
    timezone: 'Europe/Madrid',
    country: 'ES',
    channels: { sms: { address: phone, consent: { marketing: true, transactional: true } } },
  };
}
