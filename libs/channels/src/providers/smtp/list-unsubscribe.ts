/**
 * The List-Unsubscribe headers of a marketing e-mail (RFC 2369, RFC 8058 one-click): the
 * https link, which a mail client POSTs `List-Unsubscribe=One-Click` to, and a mailto whose
 * subject carries the link's token when an unsubscribe mailbox is configured. Gmail and Yahoo
 * require both headers of bulk senders; RFC 8058 needs the https link, the mailto is optional.
 */
export function listUnsubscribeHeaders(link: { url: string; token: string }, mailto?: string): Record<string, string> {
  const targets = [`<${link.url}>`];
  if (mailto !== undefined) targets.push(`<mailto:${mailto}?subject=${encodeURIComponent(`unsubscribe-${link.token}`)}>`);
  return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
