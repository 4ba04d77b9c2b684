import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { parseCampaignText } from '@nudge/campaigns';
import { ValidationError } from '@nudge/contracts';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { SettingsCatalog } from '../settings/settings-catalog.service';
import { AppliedFilesStore } from './applied-files.store';

const CAMPAIGN_FILE = /\.(ya?ml|json)$/i;
const SETTINGS_FILES = ['settings.yaml', 'settings.yml', 'settings.json'];
const SETTLE_MS = 200;

/**
 * Applies NUDGE_CONFIG_DIR — `settings.yaml` and `campaigns/*` — at start and whenever a
 * file changes. A file that does not validate is reported with every error's path and
 * never replaces the running version. A file is applied when its content changed since
 * it was last applied, so restarting rules never undoes a later change made through the
 * API; editing the file again does (the file wins when it changes).
 */
@Injectable()
export class ConfigFilesWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('config-files');
  private readonly watchers: FSWatcher[] = [];
  private pending: NodeJS.Timeout | undefined;
  private readonly configDir: string;
  private readonly campaignsDir: string;

  constructor(
    private readonly catalog: CampaignCatalog,
    private readonly settings: SettingsCatalog,
    private readonly appliedFiles: AppliedFilesStore,
    @Inject(RULES_CONFIG) config: RulesConfig,
  ) {
    this.configDir = path.resolve(config.NUDGE_CONFIG_DIR);
    this.campaignsDir = path.join(this.configDir, 'campaigns');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!existsSync(this.configDir)) {
      this.logger.log(`no config directory at ${this.configDir}; campaigns and settings come from the API only`);
      return;
    }
    await this.applyAll();
    for (const dir of [this.configDir, this.campaignsDir].filter((d) => existsSync(d))) {
      const watcher = watch(dir, () => this.scheduleApply());
      watcher.on('error', (error) => this.logger.warn(`watching ${dir} failed: ${error.message}`));
      this.watchers.push(watcher);
    }
  }

  onModuleDestroy(): void {
    clearTimeout(this.pending);
    for (const watcher of this.watchers) watcher.close();
  }

  /** Editors write files in several steps: wait for them to settle. */
  private scheduleApply(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.applyAll().catch((error: Error) => this.logger.error(`applying config files failed: ${error.message}`));
    }, SETTLE_MS);
  }

  /** Settings first: campaigns are decided with them. */
  async applyAll(): Promise<void> {
    const settingsFile = SETTINGS_FILES.map((name) => path.join(this.configDir, name)).find((file) => existsSync(file));
    if (settingsFile) await this.applyFile(settingsFile, (document, source) => this.settings.save(document, source));
    if (!existsSync(this.campaignsDir)) return;
    const names = (await readdir(this.campaignsDir)).filter((name) => CAMPAIGN_FILE.test(name)).sort();
    for (const name of names) {
      await this.applyFile(path.join(this.campaignsDir, name), (document, source) => this.catalog.save(document, source));
    }
  }

  private async applyFile(file: string, apply: (document: unknown, source: string) => Promise<unknown>): Promise<void> {
    const name = path.relative(this.configDir, file);
    const content = await readFile(file, 'utf8');
    if (await this.appliedFiles.alreadyApplied(name, content)) return;
    try {
      const parsed = parseCampaignText(content, path.basename(file));
      if (!parsed.ok) throw new ValidationError(`${name} does not parse`, parsed.errors);
      await apply(parsed.value, `file:${name}`);
      await this.appliedFiles.markApplied(name, content);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const lines = error.details.map((d) => `  ${d.path || '(root)'}: ${d.message}`).join('\n');
      this.logger.error(`${name} is invalid and was not applied:\n${lines}`);
    }
  }
}
