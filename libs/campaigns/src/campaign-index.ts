import { FALLBACK_DUE_EVENT, isMessageEventName, MESSAGE_EVENT_NAMES } from '@nudge/contracts';
import type { CompiledCampaign } from './compiled-campaign';

/** The running campaigns, found by the event that triggers them: one map lookup per incoming event. */
export class CampaignIndex {
  private readonly byId = new Map<string, CompiledCampaign>();
  /** Rebuilt on put/remove (rare) so forTrigger (every event) returns a ready list. */
  private readonly byTrigger = new Map<string, readonly CompiledCampaign[]>();
  /** Campaigns whose pending sends an event of this name may cancel (their `exceptions`). */
  private readonly byException = new Map<string, readonly CompiledCampaign[]>();
  /** Campaigns whose `conversion.event` is this name. */
  private readonly byConversion = new Map<string, readonly CompiledCampaign[]>();
  /** Journeys with a waitFor step for this event name. */
  private readonly byAwaited = new Map<string, readonly CompiledCampaign[]>();
  private journeys = 0;
  /** Campaigns that send with a fallback chain (`fallbackAfter`). */
  private fallbackChains = 0;

  /** Adds a campaign, or replaces the version held for its id (its trigger may have changed). */
  put(campaign: CompiledCampaign): void {
    this.remove(campaign.id);
    this.byId.set(campaign.id, campaign);
    this.byTrigger.set(campaign.triggerEvent, [...this.forTrigger(campaign.triggerEvent), campaign]);
    for (const name of exceptionNames(campaign)) this.byException.set(name, [...this.forException(name), campaign]);
    const conversion = campaign.document.conversion?.event;
    if (conversion) this.byConversion.set(conversion, [...this.forConversion(conversion), campaign]);
    for (const name of campaign.journey?.awaitedEvents ?? []) this.byAwaited.set(name, [...this.forAwaited(name), campaign]);
    if (campaign.journey) this.journeys++;
    if (hasFallbackChain(campaign)) this.fallbackChains++;
  }

  /** Forgets a campaign; true when it was held. */
  remove(id: string): boolean {
    const held = this.byId.get(id);
    if (!held) return false;
    this.byId.delete(id);
    const remaining = this.forTrigger(held.triggerEvent).filter((campaign) => campaign.id !== id);
    if (remaining.length > 0) this.byTrigger.set(held.triggerEvent, remaining);
    else this.byTrigger.delete(held.triggerEvent);
    const conversion = held.document.conversion?.event;
    if (conversion) {
      const others = this.forConversion(conversion).filter((campaign) => campaign.id !== id);
      if (others.length > 0) this.byConversion.set(conversion, others);
      else this.byConversion.delete(conversion);
    }
    for (const name of exceptionNames(held)) {
      const others = this.forException(name).filter((campaign) => campaign.id !== id);
      if (others.length > 0) this.byException.set(name, others);
      else this.byException.delete(name);
    }
    for (const name of held.journey?.awaitedEvents ?? []) {
      const others = this.forAwaited(name).filter((campaign) => campaign.id !== id);
      if (others.length > 0) this.byAwaited.set(name, others);
      else this.byAwaited.delete(name);
    }
    if (held.journey) this.journeys--;
    if (hasFallbackChain(held)) this.fallbackChains--;
    return true;
  }

  get(id: string): CompiledCampaign | undefined {
    return this.byId.get(id);
  }

  all(): CompiledCampaign[] {
    return [...this.byId.values()];
  }

  /** Every campaign (active or not: the decision says why not) triggered by `eventName`, in the order they were put. */
  forTrigger(eventName: string): readonly CompiledCampaign[] {
    return this.byTrigger.get(eventName) ?? NONE;
  }

  /** Every campaign that lists `eventName` among its exceptions. */
  forException(eventName: string): readonly CompiledCampaign[] {
    return this.byException.get(eventName) ?? NONE;
  }

  /** Every campaign that counts `eventName` as its conversion. */
  forConversion(eventName: string): readonly CompiledCampaign[] {
    return this.byConversion.get(eventName) ?? NONE;
  }

  /**
   * The precise form of isRelevant, once the event is parsed: a message status event that
   * no campaign names matters only when it reports a message of a journey (its runs remember
   * it) or shows a message of a fallback chain was seen (its fallback is cancelled).
   * Dispatch's `fallback_due` always matters: it names a fallback step to decide.
   */
  isRelevantEvent(event: { name: string; properties: Record<string, unknown> }): boolean {
    const { name } = event;
    if (this.byTrigger.has(name) || this.byException.has(name) || this.byConversion.has(name) || this.byAwaited.has(name)) return true;
    if (name === FALLBACK_DUE_EVENT) return true;
    const campaignId = event.properties.campaignId;
    if (!isMessageEventName(name) || typeof campaignId !== 'string') return false;
    const campaign = this.byId.get(campaignId);
    return campaign?.journey != null || (SEEN_EVENTS.has(name) && campaign !== undefined && hasFallbackChain(campaign));
  }

  /** Every journey with a waitFor step for `eventName`. */
  forAwaited(eventName: string): readonly CompiledCampaign[] {
    return this.byAwaited.get(eventName) ?? NONE;
  }

  /** True when some campaign is a journey (its runs follow their own messages' status events). */
  get hasJourneys(): boolean {
    return this.journeys > 0;
  }

  /**
   * True when an event of this name matters to any campaign: trigger, exception, conversion,
   * a journey's waitFor, or — while journeys run — a message status event a run may remember.
   */
  isRelevant(eventName: string): boolean {
    return (
      this.byTrigger.has(eventName) ||
      this.byException.has(eventName) ||
      this.byConversion.has(eventName) ||
      this.byAwaited.has(eventName) ||
      (this.journeys > 0 && isMessageEventName(eventName)) ||
      eventName === FALLBACK_DUE_EVENT ||
      (this.fallbackChains > 0 && SEEN_EVENTS.has(eventName))
    );
  }

  get size(): number {
    return this.byId.size;
  }
}

const NONE: readonly CompiledCampaign[] = Object.freeze([]);

/** Status events that show a message was seen: they cancel its fallback. */
const SEEN_EVENTS: ReadonlySet<string> = new Set([MESSAGE_EVENT_NAMES.read, MESSAGE_EVENT_NAMES.clicked, MESSAGE_EVENT_NAMES.replied]);

function hasFallbackChain(campaign: CompiledCampaign): boolean {
  return campaign.document.message?.fallbackAfter !== undefined;
}

function exceptionNames(campaign: CompiledCampaign): Set<string> {
  return new Set((campaign.document.exceptions ?? []).map((exception) => exception.event));
}
