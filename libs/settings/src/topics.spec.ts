import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateSettings } from './settings.schema';
import { textIn } from './topics';

describe('settings topics', () => {
  it('takes labels and descriptions as one string or per language', () => {
    const result = validateSettings({
      topics: [
        { id: 'promotions', label: { en: 'Offers', es: 'Ofertas' }, description: { en: 'Discounts', es: 'Descuentos' } },
        { id: 'news', label: 'News' },
      ],
    });
    expect(result).toMatchObject({ ok: true, settings: { topics: [{ id: 'promotions' }, { id: 'news', label: 'News' }] } });
  });

  it('the example config/settings.yaml lists valid topics', () => {
    const example = parse(readFileSync(path.join(__dirname, '../../../config/settings.yaml'), 'utf8'));
    const result = validateSettings(example);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.settings.topics.map((t) => t.id)).toEqual(['promotions', 'news', 'tips']);
  });

  it('defaults to no topics', () => {
    expect(validateSettings({})).toMatchObject({ ok: true, settings: { topics: [] } });
  });

  it.each([
    ['an id with a space', [{ id: 'hot deals', label: 'x' }], 'topics[0].id'],
    [
      'a repeated id',
      [
        { id: 'news', label: 'a' },
        { id: 'news', label: 'b' },
      ],
      'topics[1].id',
    ],
    ['an empty label', [{ id: 'news', label: ' ' }], 'topics[0].label'],
    ['a label with no language', [{ id: 'news', label: {} }], 'topics[0].label'],
    ['a bad language tag', [{ id: 'news', label: { English: 'News' } }], 'topics[0].label.English'],
    ['a description too long', [{ id: 'news', label: 'News', description: 'x'.repeat(501) }], 'topics[0].description'],
    ['an unknown field', [{ id: 'news', label: 'News', colour: 'red' }], 'topics[0]'],
    ['no label', [{ id: 'news' }], 'topics[0].label'],
  ])('refuses %s, naming the path', (_case, topics, path) => {
    const result = validateSettings({ topics });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(path);
  });

  it('refuses more than 50 topics', () => {
    const topics = Array.from({ length: 51 }, (_, i) => ({ id: `t${i}`, label: `T${i}` }));
    expect(validateSettings({ topics })).toMatchObject({ ok: false, errors: [{ path: 'topics' }] });
  });

  it.each([
    ['es-MX', 'Ofertas'],
    ['es', 'Ofertas'],
    ['pt-BR', 'Promoções'],
    ['pt-PT', 'Offers'],
    ['ru', 'Offers'],
  ])('picks the text in %s: the tag, its language, else English', (language, expected) => {
    expect(textIn({ en: 'Offers', es: 'Ofertas', 'pt-BR': 'Promoções' }, language)).toBe(expected);
  });

  it('without English, the first text given; a plain string for every language', () => {
    expect(textIn({ de: 'Angebote', fr: 'Offres' }, 'ru')).toBe('Angebote');
    expect(textIn('Offers', 'de')).toBe('Offers');
  });
});
