import type { Profile } from '@nudge/contracts';
import { textIn, type TopicSettings } from '@nudge/settings';
import type { PageLanguage } from './page-language';
import { PAGE_TEXTS } from './page-texts';
import { FORM_FIELD, FORM_NAME, OFFERED_WEEKLY_MAXIMUMS, receivesNoMarketing } from './preference-form';
import { escapeHtml, recipientPage, type RecipientPage } from './recipient-page';

/**
 * The preference centre's form: one checkbox per topic of the settings (ticked unless the
 * user switched it off, as the send decision reads it), the weekly maximum as radios in a
 * fieldset, "unsubscribe from all marketing", one submit button. Works without script; every
 * control has its `<label for>`, hints are tied with `aria-describedby`. Hidden fields tell the
 * POST what was shown, so only what the user changes is written.
 */
export function preferenceFormPage(profile: Profile, topics: readonly TopicSettings[], language: PageLanguage): RecipientPage {
  const texts = PAGE_TEXTS[language].preferences;
  const parts: string[] = [`<p>${escapeHtml(texts.intro)}</p>`];
  if (receivesNoMarketing(profile)) parts.push(`<p class="notice">${escapeHtml(texts.noMarketingNow)}</p>`);
  parts.push(`<form method="post">`, `<input type="hidden" name="${FORM_FIELD}" value="${FORM_NAME}">`);
  if (topics.length > 0) {
    parts.push(`<fieldset><legend>${escapeHtml(texts.topicsLegend)}</legend>`);
    topics.forEach((topic, index) => parts.push(topicChoice(topic, index, profile, language)));
    parts.push('</fieldset>');
  }
  parts.push(frequencyChoice(profile.preferences.maxPerWeek ?? null, language));
  parts.push(
    `<div class="choice"><input type="checkbox" id="unsubscribe-all" name="unsubscribe_all" value="yes" aria-describedby="unsubscribe-all-hint">`,
    `<label for="unsubscribe-all">${escapeHtml(texts.unsubscribeAll)}</label>`,
    `<p class="hint" id="unsubscribe-all-hint">${escapeHtml(texts.unsubscribeAllHint)}</p></div>`,
    `<p><button type="submit" id="save">${escapeHtml(texts.save)}</button></p>`,
    '</form>',
  );
  return recipientPage(200, language, texts.title, parts.join('\n'));
}

/** The confirmation after saving, with a link back to the form (`token` is the page's own). */
export function preferencesSavedPage(token: string, unsubscribedAll: boolean, language: PageLanguage): RecipientPage {
  const texts = PAGE_TEXTS[language].saved;
  const body = unsubscribedAll ? texts.unsubscribedBody : texts.body;
  return recipientPage(
    200,
    language,
    texts.title,
    `<p role="status">${escapeHtml(body)}</p>\n<p><a href="${escapeHtml(token)}">${escapeHtml(texts.changeAgain)}</a></p>`,
  );
}

/** A POST that is not what the form sends (no `form` field, a bad frequency): 400 naming the field; nothing saved. */
export function badFormPage(field: string, token: string, language: PageLanguage): RecipientPage {
  const texts = PAGE_TEXTS[language];
  return recipientPage(
    400,
    language,
    texts.badForm.title,
    `<p>${escapeHtml(texts.badForm.body(field))}</p>\n<p><a href="${escapeHtml(token)}">${escapeHtml(texts.saved.changeAgain)}</a></p>`,
  );
}

/** Topic ids may hold `.`: control ids use the topic's position instead, which is always a valid id. */
function topicChoice(topic: TopicSettings, index: number, profile: Profile, language: PageLanguage): string {
  const id = `topic-${index}`;
  const ticked = profile.preferences.topics[topic.id] !== false;
  const value = escapeHtml(topic.id);
  const description = topic.description === undefined ? undefined : textIn(topic.description, language);
  return [
    `<div class="choice"><input type="hidden" name="shown" value="${value}">`,
    ticked ? `<input type="hidden" name="was" value="${value}">` : '',
    `<input type="checkbox" id="${id}" name="topic" value="${value}"${ticked ? ' checked' : ''}`,
    description === undefined ? '>' : ` aria-describedby="${id}-hint">`,
    `<label for="${id}">${escapeHtml(textIn(topic.label, language))}</label>`,
    description === undefined ? '' : `<p class="hint" id="${id}-hint">${escapeHtml(description)}</p>`,
    '</div>',
  ].join('');
}

/** "As they come", "at most 3 a week", "at most one a week" — and the profile's own maximum when it is another. */
function frequencyChoice(current: number | null, language: PageLanguage): string {
  const texts = PAGE_TEXTS[language].preferences;
  const maximums: number[] = [...OFFERED_WEEKLY_MAXIMUMS];
  if (current !== null && current > 0 && !maximums.includes(current)) maximums.push(current);
  maximums.sort((a, b) => b - a);
  const options = [
    { value: 'any', label: texts.asTheyCome, selected: current === null },
    ...maximums.map((max) => ({ value: String(max), label: texts.atMostPerWeek(max), selected: current === max })),
  ];
  return [
    `<fieldset><legend>${escapeHtml(texts.frequencyLegend)}</legend>`,
    ...options.map(
      (o) =>
        `<div class="choice"><input type="radio" id="frequency-${o.value}" name="frequency" value="${o.value}"${o.selected ? ' checked' : ''}>` +
        `<label for="frequency-${o.value}">${escapeHtml(o.label)}</label></div>`,
    ),
    '</fieldset>',
  ].join('\n');
}
