import type { CompiledCampaign } from '@nudge/campaigns';
import type { EventEnvelope } from '@nudge/contracts';
import { attributeConversion, type Attribution } from '@nudge/decisions';
import { effects, type Effects } from './effects';
import { touchKey, type ConversionRow } from './vocabulary';

export interface ConversionState {
  campaigns: { forConversion(eventName: string): readonly CompiledCampaign[] };
  /** The users' recent attributions of the converting campaigns, keyed by `touchKey(userId, campaignId)`. */
  attributions: ReadonlyMap<string, readonly Attribution[]>;
}

/** Conversion events counted against the last send (or held-out send) of each campaign they convert; a send converts once. */
export function planConversions(state: ConversionState, events: readonly EventEnvelope[]): Effects {
  const attributions = new Map([...state.attributions].map(([key, list]) => [key, list.map((a) => ({ ...a }))]));
  const conversions: ConversionRow[] = [];
  for (const event of events) {
    for (const campaign of state.campaigns.forConversion(event.name)) {
      const attributed = attributeConversion(campaign, event, attributions.get(touchKey(event.userId, campaign.id)) ?? []);
      if (!attributed) continue;
      attributed.converted = true; // a later event in this batch cannot convert it again
      conversions.push({ sendId: attributed.sendId, campaignId: campaign.id, eventId: event.eventId, at: new Date(event.timestamp) });
    }
  }
  return effects({ conversions });
}
