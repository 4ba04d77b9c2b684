import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@nudge/contracts';
import { NO_EFFECTS, planConversions, type Effects } from '@nudge/engine';
import { durationToMillis } from '@nudge/timing';
import type { EntityManager } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { attributionsSince } from '../state/attributions';

/** Loads the attributions conversion events may count for, and plans the conversions (`planConversions`). */
@Injectable()
export class ConversionTracking {
  constructor(private readonly catalog: CampaignCatalog) {}

  /** The conversions among `events`, inside the caller's transaction. */
  async plan(manager: EntityManager, events: EventEnvelope[]): Promise<Effects> {
    const converting = events.filter((e) => this.catalog.index.forConversion(e.name).length > 0);
    if (converting.length === 0) return NO_EFFECTS;
    const campaigns = [...new Set(converting.flatMap((e) => this.catalog.index.forConversion(e.name)))];
    const longest = Math.max(...campaigns.map((c) => durationToMillis(c.document.conversion?.within ?? 'PT0S')));
    const earliest = Math.min(...converting.map((e) => Date.parse(e.timestamp)));
    const attributions = await attributionsSince(
      manager,
      converting.map((e) => e.userId),
      campaigns.map((c) => c.id),
      new Date(earliest - longest),
    );
    return planConversions({ campaigns: this.catalog.index, attributions }, converting);
  }
}
