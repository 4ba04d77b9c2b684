import { Injectable } from '@nestjs/common';
import type { CampaignStatus } from '@nudge/campaigns';
import { ConflictError, NotFoundError } from '@nudge/contracts';
import { CampaignCatalog } from './campaign-catalog.service';
import { withStatus } from './campaign-versions';
import { CampaignVersionsStore, type CampaignVersion, type CampaignVersionPage } from './campaign-versions.store';
import { CampaignsStore, type SaveResult } from './campaigns.store';

/**
 * A campaign's history and the changes made from it. History is append-only: a rollback or a
 * pause saves a new version through the catalog like any other save (validated, activated here,
 * and picked up by every other rules instance when the catalog's fingerprint moves).
 */
@Injectable()
export class CampaignVersions {
  constructor(
    private readonly catalog: CampaignCatalog,
    private readonly campaigns: CampaignsStore,
    private readonly versions: CampaignVersionsStore,
  ) {}

  async page(id: string, page: { limit: number; before?: number }): Promise<CampaignVersionPage & { campaignId: string; current: number }> {
    const current = await this.currentOf(id);
    return { campaignId: id, current: current.version, ...(await this.versions.page(id, page)) };
  }

  async get(id: string, version: number): Promise<CampaignVersion> {
    await this.currentOf(id);
    const found = await this.versions.find(id, version);
    if (!found) throw new NotFoundError(`campaign ${id} has no version ${version}`);
    return found;
  }

  /** Saves version `version`'s document as a new version; 409 when it is what runs now. */
  async rollback(id: string, version: number): Promise<SaveResult> {
    const current = await this.currentOf(id);
    const target = await this.get(id, version);
    if (target.checksum === current.checksum) {
      throw new ConflictError(`version ${version} of campaign ${id} is what runs now (version ${current.version})`);
    }
    return this.catalog.save(target.document, `api:rollback:v${version}`, id);
  }

  /** Saves the running document with this status as a new version, or changes nothing when it has it already. */
  async setStatus(id: string, status: CampaignStatus): Promise<SaveResult> {
    const campaign = await this.campaigns.find(id);
    if (!campaign) throw new NotFoundError(`no campaign ${id}`);
    const changed = withStatus(campaign.document, status);
    if (!changed) return { change: 'unchanged', campaign };
    return this.catalog.save(changed, `api:${status === 'paused' ? 'pause' : 'activate'}`, id);
  }

  private async currentOf(id: string): Promise<{ version: number; checksum: string }> {
    const current = await this.versions.current(id);
    if (!current) throw new NotFoundError(`no campaign ${id}`);
    return current;
  }
}
