import { issuesFromZod, type ValidationIssue } from '@nudge/contracts';
import { PROVIDER_FACTORIES, PROVIDER_SETTINGS_SCHEMAS } from './providers';
import type { ProviderSettings } from './provider-factory';

/**
 * What dispatch would refuse in `providers` before it reads any credential: an unknown provider
 * name, or a setting the provider's adapter does not accept (`providers.webhook.secretEnv:
 * Required`). Each issue names the field. Credentials themselves are dispatch's to read.
 */
export function providersSettingsIssues(providers: Readonly<Record<string, ProviderSettings | undefined>>): ValidationIssue[] {
  return Object.entries(providers).flatMap(([channel, settings]) => {
    if (settings === undefined) return [];
    if (!Object.hasOwn(PROVIDER_FACTORIES, settings.provider)) {
      const known = Object.keys(PROVIDER_FACTORIES).join(', ');
      return [{ path: `providers.${channel}.provider`, message: `unknown provider "${settings.provider}" (known: ${known})` }];
    }
    const schema = PROVIDER_SETTINGS_SCHEMAS[settings.provider];
    const parsed = schema?.safeParse(settings);
    return parsed && !parsed.success ? issuesFromZod(parsed.error.issues, ['providers', channel]) : [];
  });
}
