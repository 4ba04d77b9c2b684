import type { Channel } from '@nudge/contracts';

/** A page the unsubscribe link answers with, and its HTTP status. */
export interface UnsubscribePage {
  status: number;
  html: string;
}

/** What a recipient calls the messages of a channel. */
const MESSAGES_ON: Record<Channel, string> = {
  sms: 'text messages',
  rcs: 'RCS messages',
  whatsapp: 'WhatsApp messages',
  viber: 'Viber messages',
  telegram: 'Telegram messages',
  messenger: 'Messenger messages',
  vk: 'VK messages',
  push: 'notifications',
  webpush: 'browser notifications',
  inapp: 'in-app messages',
  email: 'e-mails',
  webhook: 'messages',
};

/**
 * The confirmation a GET shows: a button that POSTs to the same URL. Link scanners and mail
 * security gateways fetch GETs, so a GET never unsubscribes.
 */
export function confirmPage(channel: Channel): UnsubscribePage {
  return page(
    200,
    'Unsubscribe?',
    `<p>You will no longer receive marketing ${messagesOn(channel)} from us. Messages about your orders and your account still arrive.</p>
<form method="post">
<input type="hidden" name="confirm" value="unsubscribe">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export function unsubscribedPage(channel: Channel): UnsubscribePage {
  return page(200, 'You are unsubscribed', `<p>You will no longer receive marketing ${messagesOn(channel)} from us.</p>`);
}

/** A token that is not ours, tampered with, or of another purpose: nothing says which. */
export const INVALID_LINK_PAGE = page(
  400,
  'This link is not valid',
  '<p>Open the whole link from the message again; if it still does not work, reply to the message or contact us.</p>',
);

export const EXPIRED_LINK_PAGE = page(
  410,
  'This link has expired',
  '<p>Use the unsubscribe link of a more recent message, or contact us.</p>',
);

export const UNAVAILABLE_PAGE = page(
  503,
  'Please try again',
  '<p>We could not process your request just now. Please try again in a few minutes.</p>',
);

function messagesOn(channel: Channel): string {
  return MESSAGES_ON[channel];
}

/** Plain, accessible HTML: no script, no external resource, readable contrast, visible focus. */
function page(status: number, title: string, body: string): UnsubscribePage {
  return {
    status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:36rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.6rem 1.4rem;color:#fff;background:#1a4fb4;border:0;border-radius:.3rem;cursor:pointer}
button:focus-visible{outline:3px solid #1a1a1a;outline-offset:3px}</style></head>
<body><main><h1>${title}</h1>
${body}
</main></body></html>
`,
  };
}
