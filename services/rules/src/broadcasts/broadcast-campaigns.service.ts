import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CompiledCampaign } from '@nudge/campaigns';
import type { EntityManager } from 'typeorm';
import { CampaignCatalog, type CampaignSource } from '../campaigns/campaign-catalog.service';
import { compileBroadcast } from './broadcast-campaign';
import type { BroadcastDocument } from './broadcast-request';
import { BroadcastsStore } from './broadcasts.store';

/** Compiled broadcasts kept per process; beyond this the least recently used are compiled again when needed. */
const MAX_CACHED = 1_000;

/**
 * Broadcasts compiled as campaigns, once per process. The runner asks for the one it is
 * sending; the timers ask for those whose deferred sends fall due — possibly created on
 * another rules instance, so what is not cached is read from the `broadcasts` table.
 */
@Injectable()
export class BroadcastCampaigns implements CampaignSource, OnModuleInit {
  private readonly compiled = new Map<string, CompiledCampaign>();

  constructor(
    private readonly store: BroadcastsStore,
    private readonly catalog: CampaignCatalog,
  ) {}

  /** The timers find broadcasts through the catalog: they know nothing of broadcasts. */
  onModuleInit(): void {
    this.catalog.addSource(this);
  }

  /** The compiled campaign of a broadcast document. */
  of(document: BroadcastDocument): CompiledCampaign {
    const cached = this.compiled.get(document.id);
    if (cached) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.compiled.delete(document.id);
      this.compiled.set(document.id, cached);
      return cached;
    }
    const campaign = compileBroadcast(document);
    this.compiled.set(document.id, campaign);
    if (this.compiled.size > MAX_CACHED) this.compiled.delete(this.compiled.keys().next().value as string);
    return campaign;
  }

  /** The broadcasts among `ids`, compiled, in one query for those not cached; ids of no broadcast are left out. */
  async resolve(manager: EntityManager, ids: Iterable<string>): Promise<Map<string, CompiledCampaign>> {
    const found = new Map<string, CompiledCampaign>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.compiled.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    for (const broadcast of await this.store.findMany(manager, missing)) found.set(broadcast.id, this.of(broadcast.document));
    return found;
  }
}
