import { displayWidgetCode } from '@nudge/channel-rules';
import type { WidgetSettings } from '@nudge/settings';
import type { RecipientPage } from '../recipient-links/recipient-page';
import type { WidgetButton } from './widget-links';

/** A page `/w/{widgetId}` answers with, and its HTTP status: a recipient page like the links'. */
export type WidgetPage = RecipientPage;

/**
 * The widget page: its title and text, then one link per messenger, styled as a button. Plain
 * HTML, no script: links open outside the frame the page may be embedded in (`target=_blank`,
 * `rel=noopener noreferrer`), each reachable with Tab and visibly focused. WhatsApp's code is
 * also written out, for a visitor whose WhatsApp is on another device.
 */
export function widgetPage(widget: WidgetSettings, buttons: readonly WidgetButton[], code: string): WidgetPage {
  const items = buttons
    .map(
      (button) =>
        `<li><a class="button ${button.messenger}" href="${escapeHtml(button.href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(button.label)}</a></li>`,
    )
    .join('\n');
  const text = widget.text === undefined ? '' : `<p>${escapeHtml(widget.text)}</p>\n`;
  const whatsapp = widget.whatsapp
    ? `<p class="code">On WhatsApp you can also send the code <strong>${displayWidgetCode(code)}</strong> to ${escapeHtml(widget.whatsapp.number)}.</p>\n`
    : '';
  return page(200, widget.title, `${text}<ul>\n${items}\n</ul>\n${whatsapp}`);
}

export const UNKNOWN_WIDGET_PAGE = page(404, 'Page not found', '<p>There is no subscription page at this address.</p>');

/** A visitor's user id and token that do not match (tampered, or signed with another secret): nothing is minted. */
export const INVALID_VISITOR_PAGE = page(
  400,
  'This link is not valid',
  '<p>Open the page again from the site or message that linked to it; if it still does not work, contact us.</p>',
);

/** More pages were asked for this minute than DISPATCH_WIDGET_CODES_PER_MINUTE allows. */
export const WIDGET_BUSY_PAGE = page(
  429,
  'Please try again',
  '<p>Many people are subscribing right now. Please try again in a minute.</p>',
);

export const WIDGET_UNAVAILABLE_PAGE = page(
  503,
  'Please try again',
  '<p>We could not prepare your subscription links just now. Please try again in a few minutes.</p>',
);

/**
 * `embed.js`: inserts the widget page as an iframe right after the script tag, passing on the
 * script's own query (`?user=…&token=…` when the embedding site knows the visitor).
 */
export function widgetEmbedScript(pageUrl: string, title: string): string {
  return `(function () {
  var script = document.currentScript;
  if (!script) return;
  var query = script.src.indexOf('?') < 0 ? '' : script.src.slice(script.src.indexOf('?'));
  var frame = document.createElement('iframe');
  frame.src = ${JSON.stringify(pageUrl)} + query;
  frame.title = ${JSON.stringify(title)};
  frame.loading = 'lazy';
  frame.style.cssText = 'border:0;width:100%;max-width:32rem;height:24rem';
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Plain, accessible HTML: no script, no external resource, readable contrast, visible focus. */
function page(status: number, title: string, body: string): WidgetPage {
  return {
    status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:32rem;margin:1.5rem auto;padding:0 1rem}
ul{list-style:none;padding:0}li{margin:.6rem 0}
.button{display:inline-block;padding:.6rem 1.2rem;color:#fff;background:#1a4fb4;border-radius:.3rem;text-decoration:none}
.button:focus-visible{outline:3px solid #1a1a1a;outline-offset:3px}.code{font-size:.95rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}</main></body></html>
`,
  };
}
