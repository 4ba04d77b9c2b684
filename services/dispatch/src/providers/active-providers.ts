import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ProviderContext, ProviderFactory, ProviderRegistry } from '@nudge/channels';
import { DEFAULT_SETTINGS } from '@nudge/settings';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { KNOWN_PROVIDERS, PROVIDER_CONTEXT } from './provider-tokens';
import { ProviderSettingsStore } from './provider-settings.store';
import { providersFromSettings, type ProvidersInForce } from './providers-from-settings';

/**
 * The providers in force, built from the settings row rules writes (defaults when there is
 * none) and rebuilt when its version changes (polled every DISPATCH_SETTINGS_REFRESH_MS). A
 * version that cannot be built (an unknown provider, a missing credential) is logged,
 * naming the setting, and the providers in force stay. At start there are none to keep:
 * dispatch then refuses to start rather than send real messages through sandbox.
 */
@Injectable()
export class ActiveProviders implements OnModuleInit, OnModuleDestroy {
  private inForce: ProvidersInForce | null = null;
  /** The last version that could not be built: logged once, not every poll. */
  private refusedVersion: number | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settingsStore: ProviderSettingsStore,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(KNOWN_PROVIDERS) private readonly factories: Readonly<Record<string, ProviderFactory>>,
    @Inject(PROVIDER_CONTEXT) private readonly context: ProviderContext,
    @InjectPinoLogger('providers') private readonly logger: PinoLogger,
  ) {}

  /** Before any module bootstraps (the consumer, the senders): they need the providers. */
  async onModuleInit(): Promise<void> {
    const saved = await this.settingsStore.findOtherThan(0);
    try {
      this.inForce = this.build(saved?.document ?? DEFAULT_SETTINGS, saved?.version ?? 0);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`dispatch cannot build its providers from settings v${saved?.version ?? 0}: ${reason}`, { cause: error });
    }
    this.refreshTimer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'reading the settings failed; providers unchanged'));
    }, this.config.DISPATCH_SETTINGS_REFRESH_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  /** The providers in force now; take it once per batch, as it may change between batches. */
  current(): ProvidersInForce {
    if (!this.inForce) throw new Error('the providers are read at start; nothing may send before');
    return this.inForce;
  }

  registry(): ProviderRegistry {
    return this.current().registry;
  }

  /** Applies a newer settings version if there is one; keeps the providers in force if it cannot be built. */
  async refresh(): Promise<void> {
    const known = this.current().version;
    const saved = await this.settingsStore.findOtherThan(known);
    if (!saved || saved.version === this.refusedVersion) return;
    try {
      this.inForce = this.build(saved.document, saved.version);
      this.refusedVersion = null;
      this.logger.info({ settingsVersion: saved.version }, `providers rebuilt from settings v${saved.version}`);
    } catch (error) {
      this.refusedVersion = saved.version;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ settingsVersion: saved.version }, `settings v${saved.version} not applied, keeping v${known}: ${reason}`);
    }
  }

  private build(document: unknown, version: number): ProvidersInForce {
    const policy = { allowProviderBaseUrl: this.config.NUDGE_ALLOW_PROVIDER_BASE_URL };
    return providersFromSettings(document, version, this.factories, this.context, policy);
  }
}
