import { aCampaign } from '@nudge/campaigns/testing';
import { emptyProfile, type Profile } from '@nudge/contracts';
import { DEFAULT_SETTINGS, type Settings } from '@nudge/settings';
import { sendTimeVerdict } from './send-time';

const frRules: Settings = {
  ...DEFAULT_SETTINGS,
  defaultTimezone: 'Europe/Madrid',
  countryRules: { FR: { category: 'marketing', hours: { 'mon-sat': '08:00-20:00' }, sundays: false, holidays: false } },
};

function aProfile(fields: Partial<Profile>): Profile {
  return { ...emptyProfile('u1', '2026-01-01T00:00:00.000Z'), ...fields };
}

const daytime = aCampaign().with('timeWindow', { start: '09:00', end: '21:00' });
const madrid = aProfile({ timezone: 'Europe/Madrid', country: 'ES' });
const paris = aProfile({ timezone: 'Europe/Paris', country: 'FR' });

describe('sendTimeVerdict', () => {
  it.each([
    ['no window and no country rule', aCampaign(), madrid, '2026-11-24T23:00:00.000Z', DEFAULT_SETTINGS, null, null],
    ['inside the window', daytime, madrid, '2026-11-24T10:00:00.000Z', DEFAULT_SETTINGS, null, null],
    [
      'after the window closes (22:00 Madrid)',
      daytime,
      madrid,
      '2026-11-24T21:00:00.000Z',
      DEFAULT_SETTINGS,
      'deferred_window',
      '2026-11-25T08:00:00.000Z',
    ],
    [
      'before it opens, on the day clocks go back',
      daytime,
      madrid,
      '2026-10-25T05:00:00.000Z',
      DEFAULT_SETTINGS,
      'deferred_window',
      '2026-10-25T08:00:00.000Z',
    ],
    [
      'with outside: drop',
      daytime.with('timeWindow', { start: '09:00', end: '21:00', outside: 'drop' }),
      madrid,
      '2026-11-24T21:00:00.000Z',
      DEFAULT_SETTINGS,
      'dropped_window',
      null,
    ],
    [
      'a French Sunday for marketing',
      aCampaign(),
      paris,
      '2026-11-29T10:00:00.000Z',
      frRules,
      'deferred_window',
      '2026-11-30T07:00:00.000Z',
    ],
    [
      'a French public holiday (Christmas)',
      aCampaign(),
      paris,
      '2026-12-25T10:00:00.000Z',
      frRules,
      'deferred_window',
      '2026-12-26T07:00:00.000Z',
    ],
    [
      'a French Sunday for a transactional message',
      aCampaign().with('category', 'transactional'),
      paris,
      '2026-11-29T10:00:00.000Z',
      frRules,
      null,
      null,
    ],
    ['a Spanish Sunday (no rules for ES)', aCampaign(), madrid, '2026-11-29T10:00:00.000Z', frRules, null, null],
    [
      'a profile without a zone uses the default zone',
      daytime,
      aProfile({}),
      '2026-11-24T21:00:00.000Z',
      frRules,
      'deferred_window',
      '2026-11-25T08:00:00.000Z',
    ],
    [
      'a window in a fixed zone',
      daytime.with('timeWindow', { start: '09:00', end: '21:00', timezone: 'America/New_York' }),
      madrid,
      '2026-11-24T12:00:00.000Z',
      DEFAULT_SETTINGS,
      'deferred_window',
      '2026-11-24T14:00:00.000Z',
    ],
  ])('%s', (_label, builder, profile, now, settings, outcome, scheduledFor) => {
    const verdict = sendTimeVerdict({ campaign: builder.compile(), profile, now: new Date(now), settings });
    expect(verdict?.outcome ?? null).toBe(outcome);
    expect(verdict ?? {}).toMatchObject(scheduledFor ? { scheduledFor: new Date(scheduledFor) } : {});
    expect(!verdict || verdict.reason.length > 20).toBe(true); // a verdict says why in a sentence
  });

  it('explains a deferral by the rule that refused', () => {
    const verdict = sendTimeVerdict({
      campaign: aCampaign().compile(),
      profile: paris,
      now: new Date('2026-12-25T10:00:00.000Z'),
      settings: frRules,
    });
    expect(verdict?.reason).toMatch(/public holiday in FR/);
  });
});
