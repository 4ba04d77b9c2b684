import type { PageLanguage } from './page-language';
import { PAGE_TEXTS } from './page-texts';

/** A page a recipient link answers with, and its HTTP status. */
export interface RecipientPage {
  status: number;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values (settings texts, topic ids). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Plain, accessible HTML: no script, no external resource; text and controls at 4.5:1 contrast
 * or more on white, a visible focus outline on every control, large click targets. `body` is
 * HTML the caller built (escaping what it did not write itself); `title` is text.
 */
export function recipientPage(status: number, language: PageLanguage, title: string, body: string): RecipientPage {
  const heading = escapeHtml(title);
  return {
    status,
    html: `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${heading}</title>
<style>${STYLE}</style></head>
<body><main><h1>${heading}</h1>
${body}
</main></body></html>
`,
  };
}

const STYLE = [
  'body{font:1.1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:38rem;margin:2.5rem auto;padding:0 1rem}',
  'h1{font-size:1.7rem;line-height:1.25;margin:0 0 1rem}',
  'a{color:#1a4fb4}',
  'fieldset{border:1px solid #6b6b6b;border-radius:.4rem;margin:1.4rem 0;padding:.5rem 1rem .8rem}',
  'legend{font-weight:600;padding:0 .3rem}',
  '.choice{display:grid;grid-template-columns:1.5rem 1fr;column-gap:.6rem;margin:.7rem 0}',
  '.choice input{width:1.25rem;height:1.25rem;margin:.2rem 0 0;accent-color:#1a4fb4}',
  '.choice label{cursor:pointer}',
  '.hint{grid-column:2;margin:0;color:#4a4a4a;font-size:.95rem}',
  '.notice{background:#eef3fb;border-left:4px solid #1a4fb4;padding:.6rem 1rem}',
  'button{font:inherit;font-weight:600;padding:.6rem 1.4rem;color:#fff;background:#1a4fb4;border:0;border-radius:.3rem;cursor:pointer}',
  ':focus-visible{outline:3px solid #1a4fb4;outline-offset:3px}',
  'button:focus-visible{outline-color:#1a1a1a}',
].join('\n');

/** Why a link's page cannot do what was asked: a token not ours, an expired one, or Kafka or the database away for now. */
export type LinkRefusal = 'invalid' | 'expired' | 'unavailable';

/**
 * The page of a refused link, in `language`: 400 "not valid" (tampered, another secret or
 * purpose, garbage: nothing says which), 410 "expired", 503 "try again". Nothing changed.
 */
export function linkRefusalPage(reason: LinkRefusal, language: PageLanguage): RecipientPage {
  const texts = PAGE_TEXTS[language];
  const [status, notice] =
    reason === 'expired' ? [410, texts.expiredLink] : reason === 'unavailable' ? [503, texts.unavailable] : [400, texts.invalidLink];
  return recipientPage(status, language, notice.title, `<p>${escapeHtml(notice.body)}</p>`);
}
