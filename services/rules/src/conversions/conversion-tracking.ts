import { Injectable } from '@nestjs/common';
import { attributeConversion } from '@nudge/decisions';
import type { EventEnvelope } from '@nudge/contracts';
import { durationToMillis } from '@nudge/timing';
import type { EntityManager } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { attributionsSince, recordConversions } from './attributions';

/** Counts conversion events against the last send (or held-out send) of each campaign they convert. */
@Injectable()
export class ConversionTracking {
  constructor(private readonly catalog: CampaignCatalog) {}

  /** Records the conversions among `events` inside the caller's transaction. */
  async record(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    const converting = events.filter((e) => this.catalog.index.forConversion(e.name).length > 0);
    if (converting.length === 0) return;
    const campaigns = [...new Set(converting.flatMap((e) => this.catalog.index.forConversion(e.name)))];
    const longest = Math.max(...campaigns.map((c) => durationToMillis(c.document.conversion?.within ?? 'PT0S')));
    const earliest = Math.min(...converting.map((e) => Date.parse(e.timestamp)));
    const attributions = await attributionsSince(
      manager,
      converting.map((e) => e.userId),
      campaigns.map((c) => c.id),
      new Date(earliest - longest),
    );
    const conversions: { sendId: string; campaignId: string; eventId: string; at: Date }[] = [];
    for (const event of converting) {
      for (const campaign of this.catalog.index.forConversion(event.name)) {
        const candidates = attributions.get(`${event.userId}\u0000${campaign.id}`) ?? [];
        const attributed = attributeConversion(campaign, event, candidates);
        if (!attributed) continue;
        attributed.converted = true; // a later event in this batch cannot convert it again
        conversions.push({ sendId: attributed.sendId, campaignId: campaign.id, eventId: event.eventId, at: new Date(event.timestamp) });
      }
    }
    await recordConversions(manager, conversions);
  }
}
