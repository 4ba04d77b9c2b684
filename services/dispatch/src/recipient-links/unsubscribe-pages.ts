import type { Channel } from '@nudge/contracts';
import type { PageLanguage } from './page-language';
import { PAGE_TEXTS } from './page-texts';
import { escapeHtml, linkRefusalPage, recipientPage, type RecipientPage } from './recipient-page';

/** A page the unsubscribe link answers with, and its HTTP status. */
export type UnsubscribePage = RecipientPage;

/**
 * The confirmation a GET shows: a button that POSTs to the same URL. Link scanners and mail
 * security gateways fetch GETs, so a GET never unsubscribes.
 */
export function confirmPage(channel: Channel, language: PageLanguage = 'en'): UnsubscribePage {
  const texts = PAGE_TEXTS[language];
  return recipientPage(
    200,
    language,
    texts.unsubscribe.title,
    `<p>${escapeHtml(texts.unsubscribe.body(texts.messagesOn[channel]))}</p>
<form method="post">
<input type="hidden" name="confirm" value="unsubscribe">
<button type="submit">${escapeHtml(texts.unsubscribe.button)}</button>
</form>`,
  );
}

export function unsubscribedPage(channel: Channel, language: PageLanguage = 'en'): UnsubscribePage {
  const texts = PAGE_TEXTS[language];
  return recipientPage(200, language, texts.unsubscribed.title, `<p>${escapeHtml(texts.unsubscribed.body(texts.messagesOn[channel]))}</p>`);
}

/** A token that is not ours, tampered with, or of another purpose: nothing says which (English; see linkRefusalPage). */
export const INVALID_LINK_PAGE = linkRefusalPage('invalid', 'en');

export const EXPIRED_LINK_PAGE = linkRefusalPage('expired', 'en');

export const UNAVAILABLE_PAGE = linkRefusalPage('unavailable', 'en');

/** A page in English with the recipient pages' look (`recipientPage` takes a language). */
export function page(status: number, title: string, body: string): UnsubscribePage {
  return recipientPage(status, 'en', title, body);
}
