import type { CompiledCampaign } from '@nudge/campaigns';
import type { Profile } from '@nudge/contracts';
import type { Settings } from '@nudge/settings';
import { nextAllowedTime, parseCountryRule, resolveZone, windowVerdict, type CountryRule, type SendConstraint } from '@nudge/timing';

export interface SendTimeInput {
  campaign: CompiledCampaign;
  profile: Profile | null;
  now: Date;
  settings: Settings;
}

export type SendTimeVerdict =
  { outcome: 'deferred_window'; reason: string; scheduledFor: Date } | { outcome: 'dropped_window'; reason: string };

/**
 * Null when now is an allowed time for this send in the recipient's zone; otherwise the
 * send is deferred to the next time the campaign's window and the country's marketing
 * rules both allow, or dropped when the window says `outside: drop`.
 */
export function sendTimeVerdict({ campaign, profile, now, settings }: SendTimeInput): SendTimeVerdict | null {
  const window = campaign.document.timeWindow;
  const zone = resolveZone(profile?.timezone, window?.timezone, settings.defaultTimezone);
  if (window?.outside === 'drop') {
    const inWindow = windowVerdict(now, window, zone);
    if (!inWindow.inside) return { outcome: 'dropped_window', reason: inWindow.reason.replace(/; next opening .*$/, '') };
  }
  const constraints = sendConstraints(campaign, profile, settings, zone);
  if (constraints.length === 0) return null;
  const allowed = nextAllowedTime(now, constraints, zone);
  if (allowed.at.getTime() <= now.getTime()) return null;
  return {
    outcome: 'deferred_window',
    scheduledFor: allowed.at,
    reason: `${allowed.reasons.join('; ')} — deferred to ${allowed.at.toISOString()}`,
  };
}

/** The campaign's window and, for its category, the recipient country's rules. */
function sendConstraints(campaign: CompiledCampaign, profile: Profile | null, settings: Settings, zone: string): SendConstraint[] {
  const constraints: SendConstraint[] = [];
  const window = campaign.document.timeWindow;
  if (window) constraints.push({ kind: 'timeWindow', window, zone });
  const country = profile?.country;
  const rule = country ? settings.countryRules[country] : undefined;
  if (country && rule && rule.category === campaign.category) {
    constraints.push({ kind: 'countryRule', country, rule: parsedCountryRule(rule, country), zone });
  }
  return constraints;
}

/** Settings change rarely and sends are many: parse each rule object once. */
const parsedRules = new WeakMap<object, CountryRule>();

function parsedCountryRule(rule: Settings['countryRules'][string], country: string): CountryRule {
  let parsed = parsedRules.get(rule);
  if (!parsed) {
    parsed = parseCountryRule(rule, `countryRules.${country}`, country);
    parsedRules.set(rule, parsed);
  }
  return parsed;
}
