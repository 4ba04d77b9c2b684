import type { ValidationIssue } from '@nudge/contracts';

/** The only environment variables a provider setting may name: provider credentials, nothing else of the process. */
export const PROVIDER_SECRET_PREFIX = 'NUDGE_SECRET_';

const SECRET_NAME = /^NUDGE_SECRET_[A-Z0-9_]+$/;

/**
 * Where each provider's real API lives. A `baseUrl` setting pointing elsewhere would send
 * the provider's credentials there, so it is refused unless NUDGE_ALLOW_PROVIDER_BASE_URL=1
 * (tests and fakes). Kept equal to the adapters' own defaults by a test in dispatch.
 */
export const PROVIDER_API_ORIGINS: Readonly<Record<string, string>> = {
  twilio: 'https://api.twilio.com',
  smsapi: 'https://api.smsapi.com',
  telegram: 'https://api.telegram.org',
  viber: 'https://chatapi.viber.com',
  vk: 'https://api.vk.com',
  messenger: 'https://graph.facebook.com',
  'whatsapp-cloud': 'https://graph.facebook.com',
  fcm: 'https://fcm.googleapis.com',
};

/** What the deployment allows of provider settings, read from its environment by each service's config. */
export interface ProviderSettingsPolicy {
  /** NUDGE_ALLOW_PROVIDER_BASE_URL=1: a provider's `baseUrl` may point at another host (a fake, a proxy). */
  allowProviderBaseUrl: boolean;
}

/** Production's policy: credentials only from NUDGE_SECRET_* variables, provider APIs only at their real hosts. */
export const STRICT_PROVIDER_POLICY: ProviderSettingsPolicy = { allowProviderBaseUrl: false };

/** Whether `name` may hold a provider credential: `NUDGE_SECRET_` followed by capitals, digits and underscores. */
export function isProviderSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The issues of one channel's provider settings (`providers.<channel>`): every `…Env`
 * setting must name a NUDGE_SECRET_* variable, and `baseUrl` must stay at the provider's
 * API unless the policy allows otherwise. Each issue names the field (`providers.sms.accountSidEnv`).
 */
export function providerSettingsIssues(
  channel: string,
  settings: Readonly<Record<string, unknown>>,
  policy: ProviderSettingsPolicy,
): ValidationIssue[] {
  const at = (field: string) => `providers.${channel}.${field}`;
  const issues: ValidationIssue[] = [];
  for (const [field, value] of Object.entries(settings)) {
    if (!field.endsWith('Env')) continue;
    if (typeof value !== 'string' || !isProviderSecretName(value)) {
      issues.push({
        path: at(field),
        message: `must name an environment variable starting ${PROVIDER_SECRET_PREFIX} (got ${describe(value)})`,
      });
    }
  }
  if (settings.baseUrl !== undefined && !policy.allowProviderBaseUrl) {
    const issue = baseUrlIssue(String(settings.provider), settings.baseUrl);
    if (issue) issues.push({ path: at('baseUrl'), message: issue });
  }
  return issues;
}

function baseUrlIssue(provider: string, baseUrl: unknown): string | null {
  const origin = PROVIDER_API_ORIGINS[provider];
  if (origin !== undefined && typeof baseUrl === 'string' && originOf(baseUrl) === origin) return null;
  const where = origin === undefined ? `provider "${provider}" takes no baseUrl` : `must be ${origin}`;
  return `${where}; another host only when NUDGE_ALLOW_PROVIDER_BASE_URL=1`;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value;
}
