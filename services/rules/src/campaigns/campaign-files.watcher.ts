import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { parseCampaignText } from '@nudge/campaigns';
import { ValidationError } from '@nudge/contracts';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { CampaignCatalog } from './campaign-catalog.service';

const CAMPAIGN_FILE = /\.(ya?ml|json)$/i;
const SETTLE_MS = 200;

/**
 * Applies the campaign files of NUDGE_CONFIG_DIR/campaigns at start and whenever one
 * changes. A file that does not validate is reported with every error's path and never
 * replaces the running version of its campaign.
 */
@Injectable()
export class CampaignFilesWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('campaign-files');
  private watcher: FSWatcher | undefined;
  private pending: NodeJS.Timeout | undefined;
  private readonly directory: string;

  constructor(
    private readonly catalog: CampaignCatalog,
    @Inject(RULES_CONFIG) config: RulesConfig,
  ) {
    this.directory = path.resolve(config.NUDGE_CONFIG_DIR, 'campaigns');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!existsSync(this.directory)) {
      this.logger.log(`no campaign directory at ${this.directory}; campaigns come from the API only`);
      return;
    }
    await this.applyAll();
    this.watcher = watch(this.directory, () => this.scheduleApply());
    this.watcher.on('error', (error) => this.logger.warn(`watching ${this.directory} failed: ${error.message}`));
  }

  onModuleDestroy(): void {
    clearTimeout(this.pending);
    this.watcher?.close();
  }

  /** Editors write files in several steps: wait for them to settle. */
  private scheduleApply(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.applyAll().catch((error: Error) => this.logger.error(`applying campaign files failed: ${error.message}`));
    }, SETTLE_MS);
  }

  async applyAll(): Promise<void> {
    const names = (await readdir(this.directory)).filter((name) => CAMPAIGN_FILE.test(name)).sort();
    for (const name of names) await this.applyFile(name);
  }

  private async applyFile(name: string): Promise<void> {
    const file = path.join(this.directory, name);
    try {
      const parsed = parseCampaignText(await readFile(file, 'utf8'), name);
      if (!parsed.ok) throw new ValidationError(`campaign file ${name} does not parse`, parsed.errors);
      await this.catalog.save(parsed.value, `file:${name}`);
    } catch (error) {
      if (error instanceof ValidationError) {
        const lines = error.details.map((d) => `  ${d.path || '(root)'}: ${d.message}`).join('\n');
        this.logger.error(`campaign file ${name} is invalid and was not applied:\n${lines}`);
        return;
      }
      throw error;
    }
  }
}
