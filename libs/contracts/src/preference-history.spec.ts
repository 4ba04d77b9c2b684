import { preferenceChangesBetween } from './preference-history';
import { emptyProfile, type Profile } from './profile';

const profile = (preferences: Profile['preferences']): Profile => ({ ...emptyProfile('ana', '2026-11-24T10:00:00.000Z'), preferences });
const context = { at: '2026-11-24T11:00:00.000Z', source: 'preference_page', proof: { ip: '203.0.113.7', textVersion: 'v1' } };
const proof = { at: context.at, source: 'preference_page', ip: '203.0.113.7', userAgent: null, textVersion: 'v1' };

describe('preference changes between two profiles', () => {
  it.each<[string, Profile['preferences'], Profile['preferences'], object[]]>([
    ['nothing changed', { topics: { news: true } }, { topics: { news: true } }, []],
    [
      'a topic switched off, another set for the first time',
      { topics: { news: true } },
      { topics: { news: false, promotions: true } },
      [
        { preference: 'topic', topic: 'news', subscribed: false, ...proof },
        { preference: 'topic', topic: 'promotions', subscribed: true, ...proof },
      ],
    ],
    ['a weekly maximum set', { topics: {} }, { topics: {}, maxPerWeek: 1 }, [{ preference: 'maxPerWeek', maxPerWeek: 1, ...proof }]],
    [
      'the weekly maximum lifted',
      { topics: {}, maxPerWeek: 3 },
      { topics: {} },
      [{ preference: 'maxPerWeek', maxPerWeek: null, ...proof }],
    ],
  ])('%s', (_case, before, after, changes) => {
    expect(preferenceChangesBetween(profile(before), profile(after), context)).toEqual(changes);
  });
});
