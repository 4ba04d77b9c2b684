import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { providersSettingsIssues } from '@nudge/channels';
import { ValidationError, type ValidationIssue } from '@nudge/contracts';
import { DEFAULT_SETTINGS, validateSettings, type Settings } from '@nudge/settings';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { SettingsStore, type StoredSettings } from './settings.store';

/** The global settings rules decides with; saved versions from other instances are polled. */
@Injectable()
export class SettingsCatalog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('settings');
  private stored: StoredSettings | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: SettingsStore,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.refreshTimer = setInterval(() => {
      this.refresh().catch((error: Error) => this.logger.warn(`settings refresh failed: ${error.message}`));
    }, this.config.CAMPAIGN_REFRESH_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  /** The settings in force (defaults until any were saved). */
  current(): Settings {
    return this.stored?.document ?? DEFAULT_SETTINGS;
  }

  describe(): StoredSettings {
    return this.stored ?? { version: 0, document: DEFAULT_SETTINGS, source: 'defaults', updatedAt: new Date(0).toISOString() };
  }

  /**
   * Checks a settings document without saving it; throws ValidationError naming each field,
   * provider credentials naming anything but a NUDGE_SECRET_* variable included, and
   * provider settings the provider's adapter in dispatch would refuse.
   */
  validate(document: unknown): Settings {
    const result = validateSettings(document, { allowProviderBaseUrl: this.config.NUDGE_ALLOW_PROVIDER_BASE_URL });
    if (!result.ok) throw invalidSettings(result.errors);
    const providerIssues = providersSettingsIssues(result.settings.providers);
    if (providerIssues.length > 0) throw invalidSettings(providerIssues);
    return result.settings;
  }

  async save(document: unknown, source: string) {
    const settings = this.validate(document);
    const result = await this.store.save(settings, source);
    if (result.change !== 'unchanged') {
      this.stored = result.settings;
      this.logger.log(`settings ${result.change} (v${result.settings.version}, ${source})`);
    }
    return result;
  }

  async refresh(): Promise<void> {
    const stored = await this.store.find();
    if (stored && stored.version !== this.stored?.version) this.stored = stored;
  }
}

function invalidSettings(issues: ValidationIssue[]): ValidationError {
  return new ValidationError(`invalid settings: ${issues.map((e) => `${e.path}: ${e.message}`).join('; ')}`, issues);
}
