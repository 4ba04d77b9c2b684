import type { CompiledCampaign } from '@nudge/campaigns';
import type { EventEnvelope } from '@nudge/contracts';
import { addIsoDuration } from '@nudge/timing';
import { isDeepStrictEqual } from 'node:util';

/** A send (or held-out send) of a campaign a conversion may be attributed to. */
export interface Attribution {
  sendId: string;
  at: Date;
  triggerProperties: Record<string, unknown>;
  converted: boolean;
}

/**
 * Whether a campaign's sends are kept for attribution: only when something measures them — a
 * `conversion` to count, or a `holdout` to compare with. Sends made while neither was set are
 * never counted as converting, even if a conversion is added later.
 */
export function isMeasured(campaign: CompiledCampaign): boolean {
  return campaign.document.conversion !== undefined || (campaign.document.holdout ?? 0) > 0;
}

/**
 * The send a conversion event counts for: the campaign's LAST send to the user before the
 * event, if it is within `conversion.within` and its trigger matches (`match: { cartId:
 * cartId }` compares the event's cartId with the trigger's). A send converts once; the
 * same rule serves treated and held-out users, which is what makes uplift comparable.
 */
export function attributeConversion(
  campaign: CompiledCampaign,
  event: EventEnvelope,
  attributions: readonly Attribution[],
): Attribution | null {
  const conversion = campaign.document.conversion;
  if (!conversion || conversion.event !== event.name) return null;
  const at = new Date(event.timestamp);
  const last = attributions.filter((a) => a.at <= at).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (!last || last.converted || addIsoDuration(last.at, conversion.within) < at) return null;
  const matches = Object.entries(conversion.match ?? {}).every(([eventKey, triggerKey]) => {
    const value = event.properties[eventKey];
    return value !== undefined && isDeepStrictEqual(value, last.triggerProperties[triggerKey]);
  });
  return matches ? last : null;
}
