import { emptyProfile, type Profile } from '@nudge/contracts';
import type { TopicSettings } from '@nudge/settings';
import { preferenceFormOf, preferenceUpdateOf, receivesNoMarketing, type PreferenceChoice } from './preference-form';

const topics: TopicSettings[] = [
  { id: 'promotions', label: 'Offers' },
  { id: 'news', label: 'News' },
  { id: 'tips.weekly', label: 'Tips' },
];

/** What the page's form sends: every topic shown, `was` for those shown ticked. */
const form = (fields: Record<string, string | string[]>) => ({
  form: 'preferences',
  shown: ['promotions', 'news', 'tips.weekly'],
  was: ['promotions', 'news'],
  ...fields,
});

function aProfile(patch: Partial<Profile> = {}): Profile {
  return { ...emptyProfile('ana', '2026-11-24T10:00:00.000Z'), version: 3, ...patch };
}

describe('the preference form', () => {
  it.each<[string, Record<string, unknown>, PreferenceChoice]>([
    ['nothing changed', form({ topic: ['promotions', 'news'], frequency: 'any' }), { topics: {}, maxPerWeek: null, unsubscribeAll: false }],
    ['a topic unticked', form({ topic: 'news', frequency: '3' }), { topics: { promotions: false }, maxPerWeek: 3, unsubscribeAll: false }],
    [
      'a topic ticked that was not',
      form({ topic: ['promotions', 'news', 'tips.weekly'] }),
      { topics: { 'tips.weekly': true }, maxPerWeek: undefined, unsubscribeAll: false },
    ],
    [
      'every box unticked, one a week, unsubscribe from all',
      form({ frequency: '1', unsubscribe_all: 'yes' }),
      { topics: { promotions: false, news: false }, maxPerWeek: 1, unsubscribeAll: true },
    ],
    [
      'a topic no longer in the settings',
      { form: 'preferences', shown: ['gone', 'news'], was: ['gone', 'news'], topic: 'news' },
      { topics: {}, maxPerWeek: undefined, unsubscribeAll: false },
    ],
    [
      'a ticked id the page never showed',
      form({ topic: ['promotions', 'news', 'elsewhere'] }),
      { topics: {}, maxPerWeek: undefined, unsubscribeAll: false },
    ],
  ])('reads %s', (_case, body, choice) => {
    expect(preferenceFormOf(body, topics)).toEqual({ ok: true, choice });
  });

  it.each<[string, unknown, string]>([
    ['no body', undefined, 'form'],
    ['a one-click unsubscribe body', { 'List-Unsubscribe': 'One-Click' }, 'form'],
    ['another form', { form: 'other' }, 'form'],
    ['two form fields', { form: ['preferences', 'preferences'] }, 'form'],
    ['a frequency the page never offers', form({ frequency: 'daily' }), 'frequency'],
    ['a weekly maximum over 100', form({ frequency: '101' }), 'frequency'],
    ['a weekly maximum of 0', form({ frequency: '0' }), 'frequency'],
    ['two frequencies', form({ frequency: ['1', '3'] }), 'frequency'],
    ['a nested value', form({ topic: { a: 'b' } as unknown as string }), 'topic'],
    ['a value too long', form({ topic: 'x'.repeat(65) }), 'topic'],
    ['more topics than settings may hold', form({ shown: Array.from({ length: 51 }, (_, i) => `t${i}`) }), 'shown'],
    ['two unsubscribe_all', form({ unsubscribe_all: ['yes', 'yes'] }), 'unsubscribe_all'],
  ])('refuses %s, naming the field', (_case, body, field) => {
    expect(preferenceFormOf(body, topics)).toEqual({ ok: false, field });
  });
});

describe('the profile update of a choice', () => {
  const choice = (patch: Partial<PreferenceChoice>): PreferenceChoice => ({
    topics: {},
    maxPerWeek: undefined,
    unsubscribeAll: false,
    ...patch,
  });
  const reachable = aProfile({
    channels: {
      sms: { address: '+34600000001', consent: { marketing: true, transactional: true } },
      email: { address: 'ana@example.com', consent: { transactional: true } },
      whatsapp: { address: '+34600000001', consent: { marketing: false } },
    },
    preferences: { topics: { promotions: true }, maxPerWeek: 3 },
  });

  it.each<[string, PreferenceChoice, object]>([
    ['no change', choice({ maxPerWeek: 3 }), {}],
    ['a topic switched off', choice({ topics: { promotions: false } }), { preferences: { topics: { promotions: false } } }],
    ['no limit any more', choice({ maxPerWeek: null }), { preferences: { maxPerWeek: null } }],
    ['one a week', choice({ maxPerWeek: 1 }), { preferences: { maxPerWeek: 1 } }],
    [
      'unsubscribe from all: marketing off on every channel not already off',
      choice({ unsubscribeAll: true }),
      { channels: { sms: { consent: { marketing: false } }, email: { consent: { marketing: false } } } },
    ],
  ])('%s', (_case, picked, update) => {
    expect(preferenceUpdateOf(picked, reachable)).toEqual(update);
  });

  it('unsubscribe from all on a profile without channels changes nothing', () => {
    expect(preferenceUpdateOf(choice({ unsubscribeAll: true }), aProfile())).toEqual({});
  });

  it('a profile receives no marketing when no channel has marketing consent', () => {
    expect(receivesNoMarketing(reachable)).toBe(false);
    expect(receivesNoMarketing(aProfile({ channels: { sms: { consent: { marketing: false, transactional: true } } } }))).toBe(true);
    expect(receivesNoMarketing(aProfile())).toBe(true);
  });
});
