import type { ApiOperation } from '@nudge/service-runtime';
import { settingsSchema } from '@nudge/settings';
import { z } from 'zod';

const storedSettingsSchema = z.object({
  version: z.number().int(),
  document: z.record(z.unknown()).describe('The settings with their defaults filled in.'),
  source: z.string(),
  updatedAt: z.string(),
});

const settings = {
  defaultTimezone: 'Europe/Madrid',
  frequencyCaps: [{ category: 'marketing', channel: 'any', max: 3, per: 'P7D' }],
  countryRules: { FR: { category: 'marketing', hours: { 'mon-sat': '08:00-20:00' }, sundays: false, holidays: false } },
  providers: { sms: { provider: 'sandbox' } },
  topics: [{ id: 'newsletter', label: { en: 'Newsletter', es: 'Boletín' } }],
};
const stored = { version: 2, document: settings, source: 'api', updatedAt: '2026-03-01T10:15:00.000Z' };

/** Global settings (SPEC §5), described with the schema `validateSettings` starts from (`@nudge/settings`). */
export const SETTINGS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/settings',
    tag: 'Settings',
    summary: 'The settings in force (defaults when never set)',
    responses: { 200: { description: 'The settings.', content: { schema: storedSettingsSchema, examples: { stored } } } },
  },
  {
    method: 'put',
    path: '/v1/settings',
    tag: 'Settings',
    summary: 'Replace the settings',
    description:
      "Checked as a whole: shape, country rules' days, hours and holiday calendars, providers' credentials (names of `NUDGE_SECRET_*` variables, never values) and base URLs. Each issue names its field (`countryRules.FR.hours`, `providers.sms.accountSidEnv`).",
    request: { body: { schema: settingsSchema, examples: { settings } } },
    responses: {
      200: {
        description: 'Saved: `created`, `updated` or `unchanged`.',
        content: {
          schema: storedSettingsSchema.extend({ change: z.enum(['created', 'updated', 'unchanged']) }),
          examples: { updated: { change: 'updated', ...stored } },
        },
      },
    },
  },
  {
    method: 'post',
    path: '/v1/settings/validate',
    tag: 'Settings',
    summary: 'Check a settings document without saving it',
    request: { body: { schema: settingsSchema, examples: { settings } } },
    responses: {
      200: {
        description: 'Valid: the settings with their defaults filled in.',
        content: {
          schema: z.object({ valid: z.literal(true), settings: z.record(z.unknown()) }),
          examples: { valid: { valid: true, settings } },
        },
      },
    },
  },
];
