import { emptyProfile, type Profile } from '@nudge/contracts';
import type { TopicSettings } from '@nudge/settings';
import { pageLanguageOf } from './page-language';
import { PAGE_LANGUAGES } from './page-language';
import { PAGE_TEXTS } from './page-texts';
import { badFormPage, preferenceFormPage, preferencesSavedPage } from './preference-pages';
import { linkRefusalPage } from './recipient-page';
import { confirmPage } from './unsubscribe-pages';

const topics: TopicSettings[] = [
  { id: 'promotions', label: { en: 'Offers', es: 'Ofertas' }, description: { en: 'Discounts first', es: 'Descuentos antes' } },
  { id: 'news', label: 'News <b>&</b> "views"' },
];

const profile: Profile = {
  ...emptyProfile('ana', '2026-11-24T10:00:00.000Z'),
  channels: { sms: { address: '+34600000001', consent: { marketing: true } } },
  preferences: { topics: { news: false }, maxPerWeek: 5 },
};

const inputsOf = (html: string) => [...html.matchAll(/<input ([^>]*)>/g)].map((m) => m[1] ?? '');
const attribute = (input: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(input)?.[1];

describe('the preference centre page', () => {
  const { status, html } = preferenceFormPage(profile, topics, 'en');

  it('has one h1, the language set, a checkbox per topic with its label and description', () => {
    expect(status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<label for="topic-0">Offers</label>');
    expect(html).toContain('<p class="hint" id="topic-0-hint">Discounts first</p>');
    expect(html).toContain('<input type="checkbox" id="topic-0" name="topic" value="promotions" checked aria-describedby="topic-0-hint">');
  });

  it('labels every visible control with <label for>, and groups the frequency radios in a fieldset with a legend', () => {
    const visible = inputsOf(html).filter((i) => !i.includes('type="hidden"'));
    expect(visible.length).toBe(2 + 4 + 1); // two topics, four frequencies, unsubscribe from all
    for (const input of visible) expect(html).toContain(`<label for="${attribute(input, 'id')}">`);
    expect(html).toMatch(/<fieldset><legend>How often<\/legend>\n<div class="choice"><input type="radio"/);
  });

  it('shows a topic switched off unticked, and the profile’s own weekly maximum selected', () => {
    expect(html).toContain('<input type="checkbox" id="topic-1" name="topic" value="news">');
    expect(html).not.toContain('name="was" value="news"');
    expect(html).toContain(
      '<input type="radio" id="frequency-5" name="frequency" value="5" checked><label for="frequency-5">At most 5 a week</label>',
    );
  });

  it('escapes what the settings say', () => {
    expect(html).toContain('News &lt;b&gt;&amp;&lt;/b&gt; &quot;views&quot;');
  });

  it('has no script and a visible focus outline', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(':focus-visible{outline:3px solid');
  });

  it('speaks Spanish to an es profile, with the topic’s Spanish label', () => {
    const spanish = preferenceFormPage(profile, topics, pageLanguageOf('es-MX', 'en')).html;
    expect(spanish).toContain('<html lang="es">');
    expect(spanish).toContain('<h1>Sus preferencias de mensajes</h1>');
    expect(spanish).toContain('<label for="topic-0">Ofertas</label>');
    expect(spanish).toContain('Darme de baja de todas las comunicaciones comerciales');
  });

  it('says so above the form when the profile receives no marketing', () => {
    const none = preferenceFormPage({ ...profile, channels: {} }, topics, 'en').html;
    expect(none).toContain('<p class="notice">You currently receive no marketing messages from us.</p>');
    expect(html).not.toContain('class="notice"');
  });

  it('confirms a save with a link back to the form, and names a bad field with a 400', () => {
    expect(preferencesSavedPage('tok.en', false, 'en').html).toContain('<p role="status">Thank you.');
    expect(preferencesSavedPage('tok.en', false, 'en').html).toContain('<a href="tok.en">Change my preferences</a>');
    const bad = badFormPage('frequency', 'tok.en', 'de');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('(Feld „frequency“)');
  });
});

describe('page languages', () => {
  it.each([
    ['es-MX', undefined, 'es'],
    ['ru_RU', undefined, 'ru'],
    ['it-IT', 'de-DE,de;q=0.9', 'de'],
    [undefined, 'it, fr-CH;q=0.8, en;q=0.5', 'fr'],
    [undefined, 'fr;q=0, es', 'es'],
    ['pt-BR', 'pt', 'en'],
    [undefined, undefined, 'en'],
  ])('profile locale %s, Accept-Language %s: %s', (locale, accept, language) => {
    expect(pageLanguageOf(locale, accept)).toBe(language);
  });

  it.each(PAGE_LANGUAGES)('%s: every page of the catalogue renders with its lang', (language) => {
    expect(preferenceFormPage(profile, topics, language).html).toContain(`<html lang="${language}">`);
    expect(confirmPage('email', language).html).toContain(PAGE_TEXTS[language].messagesOn.email);
    expect(linkRefusalPage('expired', language)).toMatchObject({ status: 410 });
    expect(linkRefusalPage('invalid', language).html).toContain(PAGE_TEXTS[language].invalidLink.title);
  });
});
