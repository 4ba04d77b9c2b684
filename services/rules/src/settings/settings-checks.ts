import type { SettingsCheck } from '@nudge/settings';
import { countryRuleIssues } from '@nudge/timing';

/** Semantic checks of settings beyond their shape: country rules' days, hours and calendars. */
export const settingsChecks: SettingsCheck[] = [
  (settings) =>
    Object.entries(settings.countryRules).flatMap(([country, rule]) => countryRuleIssues(rule, `countryRules.${country}`, country)),
];
