import type { SettingsCheck } from '@nudge/settings';

/** Semantic checks of settings beyond their shape (country rule hours are checked by timing). */
export const settingsChecks: SettingsCheck[] = [];
