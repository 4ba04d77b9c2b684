import { Inject, Injectable, Logger } from '@nestjs/common';
import { checksumOf } from '@nudge/campaigns';
import { ConflictError, NotFoundError } from '@nudge/contracts';
import type { Clock } from '@nudge/timing';
import { randomBytes } from 'node:crypto';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { CLOCK } from '../clock';
import { BroadcastCampaigns } from './broadcast-campaigns.service';
import { parseBroadcastRequest, type BroadcastDocument } from './broadcast-request';
import { BroadcastRunner } from './broadcast-runner.service';
import { BroadcastsStore, type StoredBroadcast } from './broadcasts.store';

/**
 * Creating and cancelling broadcasts. The request's `id` is the client's idempotency key:
 * the same request again answers the broadcast already made; another request under the
 * same id is a conflict.
 */
@Injectable()
export class Broadcasts {
  private readonly logger = new Logger('broadcasts');

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: BroadcastsStore,
    private readonly campaigns: BroadcastCampaigns,
    private readonly catalog: CampaignCatalog,
    private readonly runner: BroadcastRunner,
  ) {}

  /** Validates and stores a broadcast, due at `sendAt` (or now); `created` is false for a repeated request. */
  async create(body: unknown): Promise<{ created: boolean; broadcast: StoredBroadcast }> {
    const request = parseBroadcastRequest(body);
    const document: BroadcastDocument = { ...request, id: request.id ?? `bc_${randomBytes(8).toString('hex')}` };
    // Its deferred sends are resolved by campaign id, the catalog first: the two must not share one.
    if (this.catalog.get(document.id)) throw new ConflictError(`"${document.id}" is the id of a campaign; give the broadcast another id`);
    this.campaigns.of(document);
    const now = this.clock.now();
    const sendAt = request.sendAt && Date.parse(request.sendAt) > now.getTime() ? new Date(request.sendAt) : now;
    const checksum = checksumOf(document);
    const result = await this.store.create(document, checksum, sendAt, now);
    if (!result.created && result.broadcast.checksum !== checksum) {
      throw new ConflictError(`broadcast ${document.id} already exists with another request; use a new id for a new broadcast`);
    }
    if (result.created) {
      this.logger.log(`broadcast ${document.id} scheduled for ${sendAt.toISOString()}`);
      this.runner.wake();
    }
    return result;
  }

  async get(id: string): Promise<StoredBroadcast> {
    const broadcast = await this.store.find(id);
    if (!broadcast) throw new NotFoundError(`no broadcast ${id}`);
    return broadcast;
  }

  /** Stops a broadcast that has not finished; cancelling a cancelled one again changes nothing. */
  async cancel(id: string): Promise<StoredBroadcast> {
    const broadcast = await this.store.cancel(id, this.clock.now());
    if (!broadcast) throw new NotFoundError(`no broadcast ${id}`);
    if (broadcast.status === 'completed') throw new ConflictError(`broadcast ${id} has completed; there is nothing left to cancel`);
    return broadcast;
  }
}
